"""DIME through HTTP: areas from the world, escalation lifecycle (TMF621), SLA in Colombian business hours on the
virtual clock, notes, searches, errors, reset and fixtures."""

from __future__ import annotations

import datetime as dt

import holidays
import pytest

from claro_backoffice.mocks.kit.events import EventLog

HOME = {"customer_id": "CUS00000003", "account_number": "46271064"}  # hogar, RR
MOBILE = {"customer_id": "CUS00000002", "msisdn": "3178280924"}  # móvil, AC account 4985774199


def escalation(**overrides) -> dict:
    body = dict(
        HOME,
        case_id="CASO-TEST-0001",
        area_code="SOPN2",
        typification_code="SOP-INT-01",
        description="Módem sin sincronía después de reinicio; se requiere nivel 2.",
        advisor="asesor.premium01",
        evidence=[
            {"name": "diagnostico.txt", "text": "Niveles fuera de rango"},
            {"name": "captura.png", "url": "https://evidencias.claro.com.co/x/captura.png"},
        ],
    )
    body.update(overrides)
    return {k: v for k, v in body.items() if v is not None}


def set_clock(client, when: str):
    response = client.post("/__admin/clock", json={"set": when, "frozen": True})
    assert response.status_code == 200, response.text


def problem(response, status: int) -> str:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    return response.json()["detail"]


@pytest.fixture
def dime(mock_client):
    return mock_client("dime")


# ---- areas --------------------------------------------------------------------------------------------------------
def test_areas_are_the_worlds_resolver_areas(dime, world):
    areas = {a["area_code"]: a for a in dime.get("/areas").json()["areas"]}
    expected = {a["area_code"]: a for a in world.tables["resolver_areas"]}
    assert set(areas) == set(expected)
    for code, area in expected.items():
        assert areas[code]["sla_hours"] == area["sla_hours"]
        assert areas[code]["categories"] == area["categories"].split(",")
        assert areas[code]["name"] == area["name"]
    ventas = [a["area_code"] for a in dime.get("/areas", params={"category": "VENTAS"}).json()["areas"]]
    assert ventas == ["APROV", "RETEN"]
    assert dime.get("/areas/NOC").json()["sla_hours"] == 8


def test_unknown_area_is_a_404_listing_the_areas(dime):
    detail = problem(dime.get("/areas/XYZ"), 404)
    assert "XYZ" in detail and "SOPN2" in detail


# ---- seeded history -----------------------------------------------------------------------------------------------
def test_seeded_escalations_agree_with_the_world(dime, world):
    page = dime.get("/escalations", params={"limit": 100}).json()
    assert page["total"] == 30 and len(page["escalations"]) == 30
    accounts = world.tables["home_accounts"] + world.tables["mobile_accounts"]
    owner = {a["account_number"]: a["customer_id"] for a in accounts}
    category = {t["code"]: t["category"] for t in world.tables["typifications"]}
    handles = {a["area_code"]: a["categories"].split(",") for a in world.tables["resolver_areas"]}
    for e in page["escalations"]:
        assert owner[e["account_number"]] == e["customer_id"]
        assert category[e["typification_code"]] in handles[e["area_code"]]
        assert e["state"] in ("acknowledged", "inProgress", "resolved", "rejected", "closed")
        assert (e["answer"] is not None) == (e["answered_at"] is not None)
    created = [e["created_at"] for e in page["escalations"]]
    assert created == sorted(created, reverse=True)


def test_a_seeded_escalation_is_open_past_its_due_date(dime):
    e = dime.get("/escalations/ESC00000002").json()
    assert (e["customer_id"], e["area_code"], e["state"]) == ("CUS00000176", "FACT", "inProgress")
    assert e["due_at"] == "2026-10-13T13:56:00-05:00"
    assert e["overdue"] is True and e["sla_met"] is None
    overdue = dime.get("/escalations", params={"overdue": "true", "limit": 100}).json()["escalations"]
    assert "ESC00000002" in [x["escalation_id"] for x in overdue]
    assert all(x["state"] in ("acknowledged", "inProgress", "pending") for x in overdue)


# ---- creation -----------------------------------------------------------------------------------------------------
def test_create_persists_and_reset_undoes_it(dime, var_dir):
    set_clock(dime, "2026-11-04T10:00:00-05:00")
    response = dime.post("/escalations", json=escalation())
    assert response.status_code == 201, response.text
    e = response.json()
    assert e["escalation_id"] == "ESC00000031"  # sequential after the 30 seeded
    assert (e["state"], e["ticket_type"], e["category"]) == ("acknowledged", "request", "SOPORTE")
    assert e["created_at"] == "2026-11-04T10:00:00-05:00"
    assert e["due_at"] == "2026-11-06T10:00:00-05:00"  # 24 business hours: Wed 10 -> Fri 10
    assert e["allowed_transitions"] == ["inProgress", "rejected", "cancelled"]
    assert e["evidence"] == [
        {"name": "diagnostico.txt", "text": "Niveles fuera de rango"},
        {"name": "captura.png", "url": "https://evidencias.claro.com.co/x/captura.png"},
    ]
    assert e["state_history"] == [
        {
            "from_state": None,
            "to_state": "acknowledged",
            "at": e["created_at"],
            "actor": "asesor.premium01",
            "comment": None,
        }
    ]
    assert dime.get("/escalations/ESC00000031").json()["description"].startswith("Módem sin sincronía")
    found = dime.get("/escalations", params={"case_id": "CASO-TEST-0001"}).json()
    assert [x["escalation_id"] for x in found["escalations"]] == ["ESC00000031"]
    assert dime.post("/escalations", json=escalation(case_id="CASO-TEST-0002")).json()["escalation_id"] == "ESC00000032"

    events = EventLog(var_dir / "events" / "default.sqlite").read("escalation.", key="CASO-TEST-0001")
    assert [(ev["source"], ev["type"], ev["payload"]["escalation_id"]) for ev in events] == [
        ("dime", "escalation.created", "ESC00000031")
    ]

    dime.post("/__admin/reset")
    problem(dime.get("/escalations/ESC00000031"), 404)
    assert dime.get("/escalations", params={"case_id": "CASO-TEST-0001"}).json()["total"] == 0
    assert EventLog(var_dir / "events" / "default.sqlite").read("escalation.", key="CASO-TEST-0001") == []


def test_a_mobile_line_gives_its_account(dime):
    body = escalation(
        **MOBILE, account_number=None, area_code="RADIO", typification_code="SOP-DAT-02", case_id="CASO-TEST-MOV"
    )
    e = dime.post("/escalations", json=body).json()
    assert (e["account_number"], e["msisdn"]) == ("4985774199", "3178280924")


def test_pqr_escalation_is_a_complaint_and_keeps_the_cun(dime):
    e = dime.post(
        "/escalations", json=escalation(area_code="PQRCRC", typification_code="PQR-SRV-01", cun="4521000012345678")
    ).json()
    assert (e["ticket_type"], e["cun"]) == ("complaint", "4521000012345678")


def test_area_must_handle_the_typification_category(dime):
    detail = problem(dime.post("/escalations", json=escalation(area_code="FACT")), 422)
    assert "FACT" in detail and "SOPORTE" in detail and "SOP-INT-01" in detail
    assert "APROV, NOC, RADIO, SOPN2" in detail


def test_typification_must_fit_the_line_of_business(dime):
    detail = problem(dime.post("/escalations", json=escalation(area_code="RADIO", typification_code="SOP-DAT-01")), 422)
    assert "movil" in detail and "46271064" in detail


@pytest.mark.parametrize(
    "overrides, needle",
    [
        ({"typification_code": "SOP-XYZ-99"}, "typification SOP-XYZ-99"),
        ({"customer_id": "CUS09999999"}, "customer CUS09999999"),
        ({"account_number": "4985774199"}, "customer CUS00000003 has no account 4985774199"),
        ({"msisdn": "3178280924"}, "customer CUS00000003 has no mobile line 3178280924"),
        ({"area_code": "NOPE"}, "resolver area NOPE"),
    ],
)
def test_unknown_or_foreign_identifiers_are_404s(dime, overrides, needle):
    assert needle in problem(dime.post("/escalations", json=escalation(**overrides)), 404)


@pytest.mark.parametrize(
    "body",
    [
        escalation(account_number=None),  # neither account nor line
        escalation(evidence=[{"name": "x", "url": "https://a.co/x", "text": "both"}]),  # link and text
        escalation(evidence=[{"name": "x", "text": "t"}] * 11),  # too many
        escalation(customer_id="12345"),
    ],
)
def test_schema_violations_are_400s(dime, body):
    problem(dime.post("/escalations", json=body), 400)


def test_one_open_escalation_per_case_and_area(dime):
    first = dime.post("/escalations", json=escalation()).json()
    detail = problem(dime.post("/escalations", json=escalation()), 409)
    assert first["escalation_id"] in detail and "SOPN2" in detail
    assert dime.post("/escalations", json=escalation(area_code="NOC")).status_code == 201
    dime.post(
        f"/escalations/{first['escalation_id']}/transitions", json={"to": "cancelled", "actor": "asesor.premium01"}
    )
    assert dime.post("/escalations", json=escalation()).status_code == 201


# ---- SLA in business hours ------------------------------------------------------------------------------------------
def test_sla_skips_the_weekend_and_a_colombian_holiday(dime):
    assert dt.date(2026, 11, 16) in holidays.country_holidays("CO")  # Independencia de Cartagena (moved)
    set_clock(dime, "2026-11-13T17:00:00-05:00")  # Friday 17:00
    e = dime.post("/escalations", json=escalation(area_code="NOC")).json()  # 8 business hours
    # Fri 17-19 (2 h), Sat, Sun, Mon 16 (holiday) skipped, Tue 17 07:00 + 6 h
    assert e["due_at"] == "2026-11-17T13:00:00-05:00"


def test_sla_from_a_saturday_can_end_at_closing_time(dime):
    set_clock(dime, "2026-11-14T10:30:00-05:00")  # Saturday
    e = dime.post("/escalations", json=escalation()).json()  # SOPN2: 24 business hours
    assert e["due_at"] == "2026-11-18T19:00:00-05:00"  # Tue 07-19 + Wed 07-19


def test_overdue_follows_the_virtual_clock(dime):
    set_clock(dime, "2026-11-13T17:00:00-05:00")
    esc_id = dime.post("/escalations", json=escalation(area_code="NOC")).json()["escalation_id"]
    set_clock(dime, "2026-11-17T12:59:00-05:00")
    assert dime.get(f"/escalations/{esc_id}").json()["overdue"] is False
    set_clock(dime, "2026-11-17T13:01:00-05:00")
    assert dime.get(f"/escalations/{esc_id}").json()["overdue"] is True
    late = dime.get("/escalations", params={"overdue": "true", "area_code": "NOC"}).json()["escalations"]
    assert esc_id in [x["escalation_id"] for x in late]
    dime.post(f"/escalations/{esc_id}/transitions", json={"to": "inProgress", "actor": "noc.analista1"})
    e = dime.post(
        f"/escalations/{esc_id}/transitions",
        json={"to": "resolved", "actor": "noc.analista1", "answer": "Nodo normalizado."},
    ).json()
    assert (e["overdue"], e["sla_met"]) == (False, False)


def test_fixture_changes_an_areas_sla(dime):
    patch = {"changes": [{"table": "areas", "update": {"where": {"area_code": "NOC"}, "set": {"sla_hours": 2}}}]}
    assert dime.post("/__admin/fixtures", json=patch).status_code == 200
    set_clock(dime, "2026-11-13T18:00:00-05:00")
    e = dime.post("/escalations", json=escalation(area_code="NOC")).json()
    assert (e["sla_hours"], e["due_at"]) == (2, "2026-11-17T08:00:00-05:00")


# ---- lifecycle ----------------------------------------------------------------------------------------------------
def test_lifecycle_to_closed_with_the_areas_answer(dime, var_dir):
    set_clock(dime, "2026-11-04T09:00:00-05:00")
    esc_id = dime.post("/escalations", json=escalation()).json()["escalation_id"]
    moves = [
        ({"to": "inProgress", "actor": "sopn2.analista1"}, "inProgress"),
        ({"to": "pending", "actor": "sopn2.analista1", "note": "Se requiere foto del módem"}, "pending"),
        ({"to": "inProgress", "actor": "asesor.premium01"}, "inProgress"),
        ({"to": "resolved", "actor": "sopn2.analista1", "answer": "Se reaprovisiona el módem."}, "resolved"),
        ({"to": "closed", "actor": "asesor.premium01"}, "closed"),
    ]
    for body, state in moves:
        response = dime.post(f"/escalations/{esc_id}/transitions", json=body)
        assert response.status_code == 200, response.text
        assert response.json()["state"] == state
    e = dime.get(f"/escalations/{esc_id}").json()
    assert (e["answer"], e["answered_by"], e["sla_met"], e["allowed_transitions"]) == (
        "Se reaprovisiona el módem.",
        "sopn2.analista1",
        True,
        [],
    )
    assert e["closed_at"] == e["updated_at"]
    assert [h["to_state"] for h in e["state_history"]] == [
        "acknowledged",
        "inProgress",
        "pending",
        "inProgress",
        "resolved",
        "closed",
    ]
    assert e["state_history"][2]["comment"] == "Se requiere foto del módem"
    events = EventLog(var_dir / "events" / "default.sqlite").read("escalation.", key="CASO-TEST-0001")
    types = [ev["type"] for ev in events]
    assert types == [
        "escalation.created",
        "escalation.inProgress",
        "escalation.pending",
        "escalation.inProgress",
        "escalation.resolved",
        "escalation.closed",
    ]


def test_illegal_transition_names_the_current_and_allowed_states(dime):
    response = dime.post("/escalations/ESC00000002/transitions", json={"to": "closed", "actor": "asesor.premium01"})
    detail = problem(response, 409)
    assert "inProgress" in detail and "pending, resolved, rejected, cancelled" in detail
    assert response.json()["allowed_transitions"] == ["pending", "resolved", "rejected", "cancelled"]
    assert response.json()["current_state"] == "inProgress"


def test_answer_is_required_exactly_for_resolved_and_rejected(dime):
    problem(dime.post("/escalations/ESC00000002/transitions", json={"to": "resolved", "actor": "fact.a"}), 400)
    problem(dime.post("/escalations/ESC00000002/transitions", json={"to": "rejected", "actor": "fact.a"}), 400)
    problem(
        dime.post("/escalations/ESC00000002/transitions", json={"to": "pending", "actor": "fact.a", "answer": "no"}),
        400,
    )
    e = dime.post(
        "/escalations/ESC00000002/transitions", json={"to": "rejected", "actor": "fact.a", "answer": "No procede."}
    ).json()
    assert (e["state"], e["answer"], e["sla_met"]) == ("rejected", "No procede.", False)


def test_reopening_a_resolved_escalation_clears_the_answer(dime):
    base = "/escalations/ESC00000002/transitions"
    dime.post(base, json={"to": "resolved", "actor": "fact.a", "answer": "Ajuste aplicado."})
    e = dime.post(base, json={"to": "inProgress", "actor": "asesor.premium01", "note": "Cliente no acepta"}).json()
    assert (e["state"], e["answer"], e["answered_at"]) == ("inProgress", None, None)


def test_unknown_escalation_is_a_404(dime):
    assert "ESC09999999" in problem(dime.get("/escalations/ESC09999999"), 404)
    problem(dime.post("/escalations/ESC09999999/notes", json={"text": "x", "author": "a.b"}), 404)


# ---- notes and searches -------------------------------------------------------------------------------------------
def test_notes_are_kept_and_refused_once_final(dime):
    set_clock(dime, "2026-11-05T11:00:00-05:00")
    note = dime.post(
        "/escalations/ESC00000002/notes", json={"text": "Cliente llamó de nuevo.", "author": "asesor.premium03"}
    )
    assert note.status_code == 201
    assert note.json()["created_at"] == "2026-11-05T11:00:00-05:00"
    e = dime.get("/escalations/ESC00000002").json()
    assert [(n["text"], n["author"]) for n in e["notes"]] == [("Cliente llamó de nuevo.", "asesor.premium03")]
    assert e["updated_at"] == "2026-11-05T11:00:00-05:00"
    closed = dime.get("/escalations", params={"state": "closed", "limit": 1}).json()["escalations"][0]
    response = dime.post(f"/escalations/{closed['escalation_id']}/notes", json={"text": "x", "author": "a.b"})
    detail = problem(response, 409)
    assert closed["escalation_id"] in detail and "closed" in detail


def test_search_by_customer_state_and_pages(dime):
    by_customer = dime.get("/escalations", params={"customer_id": "CUS00000176"}).json()
    assert [e["escalation_id"] for e in by_customer["escalations"]] == ["ESC00000002"]
    everything = dime.get("/escalations", params={"limit": 100}).json()["escalations"]
    acknowledged = dime.get("/escalations", params={"state": "acknowledged"}).json()
    assert acknowledged["total"] == sum(e["state"] == "acknowledged" for e in everything) > 0
    first = dime.get("/escalations", params={"limit": 5}).json()
    second = dime.get("/escalations", params={"limit": 5, "offset": 5}).json()
    assert (first["total"], len(first["escalations"]), len(second["escalations"])) == (30, 5, 5)
    assert [e["escalation_id"] for e in first["escalations"] + second["escalations"]] == [
        e["escalation_id"] for e in everything[:10]
    ]
    assert dime.get("/escalations", params={"customer_id": "CUS00000001", "state": "held"}).json()["total"] == 0
    problem(dime.get("/escalations", params={"limit": 101}), 400)
    problem(dime.get("/escalations", params={"state": "open"}), 400)
