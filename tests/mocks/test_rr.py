"""RR through HTTP: what it answers agrees with the world; markings and folders follow RR's rules."""

from __future__ import annotations

import pytest

from claro_backoffice.world.phones import to_wa_id


@pytest.fixture
def rr(mock_client):
    return mock_client("rr")


def _home_customer(world, in_building=False):
    accounts = [a for a in world.tables["home_accounts"] if bool(a["cuenta_matriz"]) == in_building]
    account = accounts[0]
    party = next(p for p in world.tables["parties"] if p["customer_id"] == account["customer_id"])
    return party, account


def test_subscriber_by_document_matches_the_world(rr, world):
    party, account = _home_customer(world)
    found = rr.get(
        "/subscribers", params={"document_number": party["document_number"], "document_type": party["document_type"]}
    ).json()["subscribers"]
    assert len(found) == 1
    sub = found[0]
    assert sub["customer_id"] == party["customer_id"] and sub["premium"] == party["premium"]
    assert sub["segment"] == ("premium" if party["premium"] else "masivo")
    assert account["account_number"] in sub["accounts"]
    none = rr.get("/subscribers", params={"document_number": "111111"}).json()
    assert none == {"subscribers": []}


def test_only_home_customers_are_in_rr(rr, world):
    mobile_only = next(p for p in world.tables["parties"] if p["segments"] == "movil")
    assert rr.get(f"/subscribers/{mobile_only['customer_id']}").status_code == 404
    assert (
        rr.get("/subscribers", params={"document_number": mobile_only["document_number"]}).json()["subscribers"] == []
    )


def test_subscriber_by_contact_mobile_and_by_fixed_line(rr, world):
    party, _ = _home_customer(world)
    for form in (party["contact_mobile"], to_wa_id(party["contact_mobile"]), "+" + to_wa_id(party["contact_mobile"])):
        found = rr.get(f"/phones/{form}/subscribers").json()["subscribers"]
        assert [s["customer_id"] for s in found] == [party["customer_id"]]
    fixed = next(s for s in world.tables["home_services"] if s["fixed_line"])
    owner = next(
        a["customer_id"] for a in world.tables["home_accounts"] if a["account_number"] == fixed["account_number"]
    )
    found = rr.get(f"/phones/{fixed['fixed_line']}/subscribers").json()["subscribers"]
    assert [s["customer_id"] for s in found] == [owner]
    assert rr.get("/phones/12345/subscribers").status_code == 400


def test_account_services_modem_and_building(rr, world):
    _, account = _home_customer(world, in_building=True)
    number = account["account_number"]
    body = rr.get(f"/accounts/{number}").json()
    assert body["node"] == account["node"] and body["estrato"] == account["estrato"]
    expected = sorted(s["service_id"] for s in world.tables["home_services"] if s["account_number"] == number)
    assert [s["service_id"] for s in body["services"]] == expected
    modem = next((m for m in world.tables["cable_modems"] if m["account_number"] == number), None)
    got = rr.get(f"/accounts/{number}/cable-modem")
    assert (got.json()["mac_address"] if modem else got.status_code) == (modem["mac_address"] if modem else 404)
    matriz = rr.get(f"/accounts/{number}/cuenta-matriz").json()
    assert matriz["cuenta_matriz"] == account["cuenta_matriz"] and number in matriz["accounts"]
    assert matriz["node"] == account["node"], "a building is on one node"
    _, house = _home_customer(world, in_building=False)
    assert rr.get(f"/accounts/{house['account_number']}/cuenta-matriz").status_code == 404


def test_unknown_accounts_are_404_with_a_hint(rr, world):
    missing = rr.get("/accounts/12345670")
    assert missing.status_code == 404 and "12345670" in missing.json()["detail"]
    assert rr.get("/accounts/ABC").status_code in (400, 404)


def test_marking_rules_and_history(rr, world):
    _, account = _home_customer(world)
    number = account["account_number"]
    first = rr.post(
        f"/accounts/{number}/markings",
        json={
            "code": "SAC-FAC-01",
            "advisor": "asesor.01",
            "notes": "Consulta de factura",
            "resolved_first_contact": True,
        },
    )
    assert first.status_code == 201 and first.json()["description"].startswith("Consulta de valor")
    second = rr.post(
        f"/accounts/{number}/markings", json={"code": "PQR-FAC-01", "advisor": "asesor.01", "cun": "1234567890123"}
    )
    assert second.status_code == 201
    history = rr.get(f"/accounts/{number}/markings").json()["markings"]
    assert [m["code"] for m in history] == ["PQR-FAC-01", "SAC-FAC-01"]
    assert history[1]["resolved_first_contact"] is True and history[0]["cun"] == "1234567890123"
    mobile_code = rr.post(f"/accounts/{number}/markings", json={"code": "SAC-RCG-01", "advisor": "asesor.01"})
    assert mobile_code.status_code == 422 and "SAC-RCG-01" in mobile_code.json()["detail"]
    too_long = rr.post(
        f"/accounts/{number}/markings", json={"code": "SAC-FAC-01", "advisor": "a.b", "notes": "x" * 251}
    )
    assert too_long.status_code == 422 and "ESTRATEGICOS" in too_long.json()["detail"]
    assert (
        rr.post(
            f"/accounts/{number}/markings", json={"code": "SAC-FAC-01", "advisor": "a.b", "notes": "x" * 250}
        ).status_code
        == 201
    )


def test_estrategicos_folder_holds_long_notes(rr, world):
    _, account = _home_customer(world)
    number = account["account_number"]
    note = {"text": "Nota extensa " * 100, "advisor": "asesor.01"}
    missing = rr.post(f"/accounts/{number}/folders/ESTRATEGICOS/notes", json=note)
    assert missing.status_code == 404 and "create it" in missing.json()["detail"]
    assert (
        rr.post(f"/accounts/{number}/folders", json={"name": "ESTRATEGICOS", "advisor": "asesor.01"}).status_code == 201
    )
    assert (
        rr.post(f"/accounts/{number}/folders", json={"name": "ESTRATEGICOS", "advisor": "asesor.01"}).status_code == 409
    )
    assert rr.post(f"/accounts/{number}/folders/ESTRATEGICOS/notes", json=note).status_code == 201
    notes = rr.get(f"/accounts/{number}/folders/ESTRATEGICOS/notes").json()["notes"]
    assert notes[0]["text"] == note["text"]
    assert rr.get(f"/accounts/{number}/folders").json()["folders"][0]["note_count"] == 1
    rr.post("/__admin/reset")
    assert rr.get(f"/accounts/{number}/folders").json()["folders"] == []


def test_lls_history_and_lls_booked_elsewhere(rr, world, var_dir):
    from claro_backoffice.mocks.kit.events import EventLog

    _, account = _home_customer(world)
    number = account["account_number"]
    events = EventLog(var_dir / "events" / "default.sqlite")
    events.append(
        "gestion",
        "lls.created",
        number,
        {
            "lls_id": "LLS-EV-1",
            "account_number": number,
            "reason": "Cable módem sin sincronía",
            "state": "confirmed",
            "slot_start": "2026-11-06T07:00:00-05:00",
            "slot_end": "2026-11-06T09:00:00-05:00",
            "technician": None,
            "appointment_id": "APT-1",
        },
    )
    events.append("gestion", "lls.updated", number, {"lls_id": "LLS-EV-1", "state": "cancelled"})
    try:
        lls = rr.get(f"/accounts/{number}/lls").json()["lls"]
        booked = next(o for o in lls if o["lls_id"] == "LLS-EV-1")
        assert booked["state"] == "cancelled" and booked["source"] == "gestion" and booked["appointment_id"] == "APT-1"
    finally:
        events.withdraw("gestion")
    assert all(o["lls_id"] != "LLS-EV-1" for o in rr.get(f"/accounts/{number}/lls").json()["lls"])


def test_typification_catalogue_is_home_only(rr):
    codes = rr.get("/typifications").json()["typifications"]
    assert codes and all(c["line"] in ("hogar", "ambos") for c in codes)
    support = rr.get("/typifications", params={"category": "SOPORTE"}).json()["typifications"]
    assert support and {c["category"] for c in support} == {"SOPORTE"}


def test_numbers_of_other_kinds_get_a_404_that_says_what_they_are(rr, world):
    mobile = world.tables["mobile_accounts"][0]["account_number"]
    assert "AC mobile account" in rr.get(f"/accounts/{mobile}").json()["detail"]
    matriz = world.tables["cuentas_matriz"][0]["cuenta_matriz"]
    assert "cuenta matriz" in rr.get(f"/accounts/{matriz}").json()["detail"]
