"""AC mock through HTTP: lookups agree with the world, tickler and line-status rules, writes persist and are undone by
reset, phone forms, bad input."""

from __future__ import annotations

from collections import defaultdict

import pytest

from claro_backoffice.mocks.kit.events import EventLog

ACCOUNT = "7264934899"  # CUS00000032, postpago, Plan Familia 100 GB, two lines
LINE, OTHER_LINE = "3236671972", "3236530642"
CUSTOMER = "CUS00000032"
FOREIGN_LINE = "3178280924"  # a line of account 4985774199 (CUS00000002)
SUSPENDED_BY_CUSTOMER = "3154378923"  # account 6023969401, suspendida / solicitud_cliente
SUSPENDED_FOR_DEBT = "3223397512"  # suspendida / mora
STOLEN = "3018688834"  # suspendida / hurto
RR_ACCOUNT = "46271064"
FROZEN_AT = "2026-11-05T10:30:00-05:00"


@pytest.fixture
def ac(mock_client):
    return mock_client("ac")


@pytest.fixture
def events(var_dir):
    return EventLog(var_dir / "events" / "default.sqlite")


def problem(response, status: int) -> dict:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    return response.json()


def freeze(ac, when: str = FROZEN_AT) -> None:
    assert ac.post("/__admin/clock", json={"set": when, "frozen": True}).status_code == 200


def tickler(ac, account=ACCOUNT, **fields):
    body = {
        "code": "SOP-DAT-01",
        "text": "Cliente sin datos móviles; se reconfigura APN.",
        "advisor": "asesor.premium01",
    }
    body.update(fields)
    return ac.post(f"/accounts/{account}/ticklers", json=body)


def plant(ac, *changes) -> None:
    response = ac.post("/__admin/fixtures", json={"changes": list(changes)})
    assert response.status_code == 200, response.text


# ---- consistency with the world ---------------------------------------------------------------------------------
def test_every_mobile_account_and_line_agrees_with_the_world(ac, world):
    lines_of = defaultdict(list)
    for line in world.tables["lines"]:
        lines_of[line["account_number"]].append(line)
    plans = world.index("mobile_plans", "plan_code")
    for account in world.tables["mobile_accounts"]:
        body = ac.get(f"/accounts/{account['account_number']}").json()
        assert body["customer_id"] == account["customer_id"]
        assert body["billing_type"] == account["billing_type"]
        expected = {ln["msisdn"]: ln for ln in lines_of[account["account_number"]]}
        assert {ln["msisdn"] for ln in body["lines"]} == set(expected)
        for line in body["lines"]:
            truth = expected[line["msisdn"]]
            for field in (
                "customer_id",
                "status",
                "suspension_reason",
                "iccid",
                "imei",
                "device_model",
                "volte_capable",
                "ported_from",
                "home_cell_id",
                "line_type",
                "activation_date",
            ):
                assert line[field] == truth[field], (line["msisdn"], field)
            assert line["plan"]["plan_code"] == truth["plan_code"]
            assert line["plan"]["shared_data_gb"] == plans[truth["plan_code"]]["shared_data_gb"]


def test_subscribers_by_document_are_exactly_the_mobile_parties(ac, world):
    accounts_of = defaultdict(list)
    for account in world.tables["mobile_accounts"]:
        accounts_of[account["customer_id"]].append(account["account_number"])
    home_only = [p for p in world.tables["parties"] if p["customer_id"] not in accounts_of]
    for party in [p for p in world.tables["parties"] if p["customer_id"] in accounts_of] + home_only[:15]:
        found = ac.get(
            "/subscribers",
            params={"document_number": party["document_number"], "document_type": party["document_type"]},
        ).json()["subscribers"]
        if party["customer_id"] not in accounts_of:
            assert found == [], party["customer_id"]
            continue
        assert [s["customer_id"] for s in found] == [party["customer_id"]]
        assert found[0]["accounts"] == sorted(accounts_of[party["customer_id"]])
        assert found[0]["premium"] is party["premium"]
        assert found[0]["segment"] == ("premium" if party["premium"] else "masivo")


def test_subscriber_and_its_accounts(ac):
    body = ac.get(f"/subscribers/{CUSTOMER}").json()
    assert body["document_number"] == "1033074380" and body["accounts"] == [ACCOUNT]
    accounts = ac.get(f"/subscribers/{CUSTOMER}/accounts").json()["accounts"]
    assert [a["account_number"] for a in accounts] == [ACCOUNT]
    assert sorted(ln["msisdn"] for ln in accounts[0]["lines"]) == sorted([LINE, OTHER_LINE])
    assert ac.get("/subscribers", params={"document_number": "1033074380", "document_type": "CE"}).json() == {
        "subscribers": []
    }


def test_line_shows_plan_sim_device_and_status(ac):
    line = ac.get(f"/lines/{LINE}").json()
    assert line["account_number"] == ACCOUNT and line["customer_id"] == CUSTOMER
    assert line["status"] == "activa" and line["suspension_reason"] is None and line["suspended_at"] is None
    assert line["iccid"] == "8957101460652484392" and line["imei"] == "353253112641160"
    assert line["device_model"] == "Apple iPhone 15" and line["volte_capable"] is True
    assert line["home_cell_id"] == "MED0002-3"
    assert line["plan"] == {
        "plan_code": "POS-FAM-100",
        "name": "Plan Familia 100 GB compartidos",
        "line_type": "postpago",
        "data_gb": 100,
        "minutes": None,
        "sms": None,
        "friends_and_family_max": 4,
        "volte_allowed": True,
        "shared_data_gb": 100,
        "monthly_fee": 159900,
    }
    stolen = ac.get(f"/lines/{STOLEN}").json()
    assert (stolen["status"], stolen["suspension_reason"], stolen["suspended_at"]) == (
        "suspendida",
        "hurto",
        "2026-10-29",
    )
    assert stolen["ported_from"] == "Tigo"


def test_plans_are_the_world_catalogue(ac, world):
    plans = ac.get("/plans").json()["plans"]
    assert {p["plan_code"] for p in plans} == {p["plan_code"] for p in world.tables["mobile_plans"]}
    prepaid = ac.get("/plans", params={"line_type": "prepago"}).json()["plans"]
    assert {p["plan_code"] for p in prepaid} == {"PRE-TODO-7", "PRE-BASICO"}
    assert ac.get("/plans/POS-BAS-15").json()["volte_allowed"] is False
    assert "GET /plans" in problem(ac.get("/plans/POS-XXX-99"), 404)["detail"]


def test_typifications_are_the_mobile_codes(ac, world):
    codes = {c["code"] for c in ac.get("/typifications").json()["typifications"]}
    assert codes == {c["code"] for c in world.tables["typifications"] if c["line"] in ("movil", "ambos")}
    assert "SOP-INT-01" not in codes and "SOP-DAT-01" in codes and "SAC-FAC-01" in codes
    support = ac.get("/typifications", params={"category": "SOPORTE"}).json()["typifications"]
    assert support and all(c["category"] == "SOPORTE" for c in support)
    voice = ac.get("/typifications", params={"category": "SOPORTE", "product": "voz"}).json()["typifications"]
    assert {c["code"] for c in voice} == {"SOP-VOZ-01", "SOP-VOZ-02"}


# ---- phone forms and not-found details ------------------------------------------------------------------------
@pytest.mark.parametrize("form", [LINE, "57" + LINE, "+57" + LINE])
def test_msisdn_forms_find_the_same_subscriber_and_line(ac, form):
    found = ac.get(f"/msisdns/{form}/subscribers").json()["subscribers"]
    assert [s["customer_id"] for s in found] == [CUSTOMER]
    assert ac.get(f"/lines/{form}").json()["msisdn"] == LINE


def test_a_second_line_finds_its_holder_and_an_unknown_number_finds_none(ac, world):
    assert [s["customer_id"] for s in ac.get(f"/msisdns/{OTHER_LINE}/subscribers").json()["subscribers"]] == [CUSTOMER]
    mobile_lines = {ln["msisdn"] for ln in world.tables["lines"]}
    home_only = next(
        p for p in world.tables["parties"] if p["segments"] == "hogar" and p["contact_mobile"] not in mobile_lines
    )
    assert ac.get(f"/msisdns/{home_only['contact_mobile']}/subscribers").json() == {"subscribers": []}


@pytest.mark.parametrize("bad", ["323667197", "6016592603", "+583236671972", "32366719721", "3236abc972"])
def test_malformed_msisdns_are_400(ac, bad):
    problem(ac.get(f"/msisdns/{bad}/subscribers"), 400)
    problem(ac.get(f"/lines/{bad}"), 400)


def test_not_found_details_say_what_and_where(ac, world):
    detail = problem(ac.get(f"/accounts/{RR_ACCOUNT}"), 404)["detail"]
    assert RR_ACCOUNT in detail and "RR home account" in detail
    matriz = world.tables["cuentas_matriz"][0]["cuenta_matriz"]
    assert "cuenta matriz" in problem(ac.get(f"/accounts/{matriz}/lines"), 404)["detail"]
    assert "does not exist in AC" in problem(ac.get("/accounts/1000000000"), 404)["detail"]
    home_only = next(p for p in world.tables["parties"] if p["segments"] == "hogar")
    detail = problem(ac.get(f"/subscribers/{home_only['customer_id']}"), 404)["detail"]
    assert home_only["customer_id"] in detail and "no mobile (AC) subscription" in detail
    detail = problem(ac.get("/lines/3001112233"), 404)["detail"]
    assert "3001112233" in detail and "another operator" in detail
    assert "another operator" not in problem(ac.get("/lines/3109999999"), 404)["detail"]


def test_bad_query_input_is_400(ac):
    problem(ac.get("/subscribers"), 400)
    problem(ac.get("/subscribers", params={"document_number": "12ab"}), 400)
    problem(ac.get("/subscribers", params={"document_number": "1033074380", "document_type": "PAS"}), 400)
    problem(ac.get("/accounts/0264934899"), 400)
    problem(ac.get(f"/accounts/{ACCOUNT}/lines", params={"status": "cancelada"}), 400)
    problem(ac.get("/plans", params={"line_type": "hibrido"}), 400)


# ---- ticklers -----------------------------------------------------------------------------------------------------
def test_tickler_is_stamped_by_the_virtual_clock_listed_first_and_undone_by_reset(ac):
    freeze(ac)
    before = ac.get(f"/accounts/{ACCOUNT}/ticklers").json()["ticklers"]
    created = tickler(ac, msisdn="+57" + LINE, resolved_first_contact=True)
    assert created.status_code == 201, created.text
    body = created.json()
    assert body["created_at"] == FROZEN_AT and body["msisdn"] == LINE
    assert (body["code"], body["category"], body["description"]) == (
        "SOP-DAT-01",
        "SOPORTE",
        "Sin navegación de datos móviles",
    )
    assert body["resolved_first_contact"] is True and body["cun"] is None
    listed = ac.get(f"/accounts/{ACCOUNT}/ticklers").json()["ticklers"]
    assert listed[0] == body and listed[1:] == before
    ac.post("/__admin/reset")
    assert ac.get(f"/accounts/{ACCOUNT}/ticklers").json()["ticklers"] == before


def test_ticklers_are_newest_first_and_filter_by_line(ac):
    freeze(ac)
    first = tickler(ac, msisdn=LINE).json()
    ac.post("/__admin/clock", json={"advance": "PT2H"})
    second = tickler(ac, msisdn=OTHER_LINE, code="SAC-FAC-01", text="Consulta de valor de la factura.").json()
    assert second["created_at"] == "2026-11-05T12:30:00-05:00"
    ids = [t["tickler_id"] for t in ac.get(f"/accounts/{ACCOUNT}/ticklers").json()["ticklers"]]
    assert ids[:2] == [second["tickler_id"], first["tickler_id"]]
    only = ac.get(f"/accounts/{ACCOUNT}/ticklers", params={"msisdn": "57" + LINE}).json()["ticklers"]
    assert [t["tickler_id"] for t in only] == [first["tickler_id"]]


def test_seeded_ticklers_record_past_suspensions(ac):
    past = ac.get("/accounts/6023969401/ticklers").json()["ticklers"]
    assert any(t["code"] == "SAC-SUS-01" and t["msisdn"] == SUSPENDED_BY_CUSTOMER for t in past)
    dates = [t["created_at"] for t in past]
    assert dates == sorted(dates, reverse=True)


def test_a_home_code_is_refused_and_points_to_rr(ac):
    detail = problem(tickler(ac, code="SOP-INT-01"), 422)["detail"]
    assert "SOP-INT-01" in detail and "RR" in detail and "F22" in detail
    detail = problem(tickler(ac, code="SOP-XYZ-99"), 422)["detail"]
    assert "SOP-XYZ-99" in detail and "GET /typifications" in detail
    assert tickler(ac, code="SAC-FAC-02").status_code == 201  # line `ambos` is fine


def test_text_limit_is_500_characters(ac):
    assert tickler(ac, text="a" * 500).status_code == 201
    body = problem(tickler(ac, text="a" * 501), 422)
    assert "501" in body["detail"] and "500" in body["detail"] and body["limit"] == 500
    problem(tickler(ac, text=""), 400)


def test_the_line_must_belong_to_the_account(ac):
    detail = problem(tickler(ac, msisdn=FOREIGN_LINE), 422)["detail"]
    assert FOREIGN_LINE in detail and ACCOUNT in detail and "4985774199" in detail
    detail = problem(tickler(ac, msisdn="3109999999"), 422)["detail"]
    assert "not a line in AC" in detail
    problem(tickler(ac, msisdn="6016592603"), 400)


def test_cun_only_when_not_resolved_at_first_contact(ac):
    assert (
        "first contact"
        in problem(tickler(ac, code="PQR-FAC-01", cun="4436000012345678", resolved_first_contact=True), 422)["detail"]
    )
    created = tickler(ac, code="PQR-FAC-01", cun="4436000012345678")
    assert created.status_code == 201 and created.json()["cun"] == "4436000012345678"
    assert created.json()["resolved_first_contact"] is False


def test_tickler_bad_input(ac):
    assert "RR home account" in problem(tickler(ac, account=RR_ACCOUNT), 404)["detail"]
    problem(tickler(ac, account="1000000000"), 404)
    problem(ac.post(f"/accounts/{ACCOUNT}/ticklers", json={"code": "SOP-DAT-01", "advisor": "a1"}), 400)
    problem(tickler(ac, color="rojo"), 400)
    problem(tickler(ac, code="sop-dat-01"), 400)
    problem(tickler(ac, cun="12-34"), 400)
    problem(
        ac.post(f"/accounts/{ACCOUNT}/ticklers", content=b"code=SOP-DAT-01", headers={"content-type": "text/plain"}),
        415,
    )


def test_ticklers_stay_in_their_sandbox(ac):
    assert ac.post("/__admin/sandboxes", json={"name": "ac-tickler-test"}).status_code == 201
    try:
        other = {"X-Sandbox": "ac-tickler-test"}
        before = ac.get(f"/accounts/{ACCOUNT}/ticklers").json()["ticklers"]
        created = ac.post(
            f"/accounts/{ACCOUNT}/ticklers",
            headers=other,
            json={"code": "SAC-PLN-01", "text": "Consulta de plan.", "advisor": "asesor.premium02"},
        )
        assert created.status_code == 201
        assert ac.get(f"/accounts/{ACCOUNT}/ticklers").json()["ticklers"] == before
        assert ac.get(f"/accounts/{ACCOUNT}/ticklers", headers=other).json()["ticklers"][0] == created.json()
    finally:
        ac.delete("/__admin/sandboxes/ac-tickler-test")


# ---- line status --------------------------------------------------------------------------------------------------
def test_suspend_and_reactivate_at_the_customers_request(ac, events):
    freeze(ac)
    suspended = ac.post(f"/lines/{OTHER_LINE}/suspension", json={"reason": "solicitud_cliente", "advisor": "a.b"})
    assert suspended.status_code == 200, suspended.text
    assert (suspended.json()["status"], suspended.json()["suspension_reason"], suspended.json()["suspended_at"]) == (
        "suspendida",
        "solicitud_cliente",
        FROZEN_AT,
    )
    assert (
        ac.get(f"/accounts/{ACCOUNT}/lines", params={"status": "suspendida"}).json()["lines"][0]["msisdn"] == OTHER_LINE
    )
    assert (
        "only an activa line"
        in problem(ac.post(f"/lines/{OTHER_LINE}/suspension", json={"reason": "hurto", "advisor": "a.b"}), 409)[
            "detail"
        ]
    )
    [event] = events.read("line.", key=OTHER_LINE)
    assert event["type"] == "line.status_changed" and event["payload"]["status"] == "suspendida"
    assert event["payload"]["account_number"] == ACCOUNT

    ac.post("/__admin/clock", json={"advance": "P1D"})
    reactivated = ac.post(f"/lines/{OTHER_LINE}/reactivation", json={"advisor": "a.b"}).json()
    assert (reactivated["status"], reactivated["suspension_reason"], reactivated["suspended_at"]) == (
        "activa",
        None,
        None,
    )
    history = ac.get(f"/lines/{OTHER_LINE}/status-history").json()["changes"]
    assert [(c["status"], c["changed_at"]) for c in history] == [
        ("activa", "2026-11-06T10:30:00-05:00"),
        ("suspendida", FROZEN_AT),
    ]
    assert (
        "already activa"
        in problem(ac.post(f"/lines/{OTHER_LINE}/reactivation", json={"advisor": "a.b"}), 409)["detail"]
    )
    ac.post("/__admin/reset")
    assert events.read("line.", key=OTHER_LINE) == []
    assert ac.get(f"/lines/{OTHER_LINE}/status-history").json()["changes"] == []


def test_seeded_suspension_can_be_lifted_and_reset_restores_it(ac):
    history = ac.get(f"/lines/{SUSPENDED_BY_CUSTOMER}/status-history").json()["changes"]
    assert [(c["status"], c["reason"]) for c in history] == [("suspendida", "solicitud_cliente")]
    assert (
        ac.post(f"/lines/+57{SUSPENDED_BY_CUSTOMER}/reactivation", json={"advisor": "a.b"}).json()["status"] == "activa"
    )
    ac.post("/__admin/reset")
    assert ac.get(f"/lines/{SUSPENDED_BY_CUSTOMER}").json()["status"] == "suspendida"


def test_a_line_suspended_for_debt_is_reactivated_by_billing_not_by_an_advisor(ac):
    detail = problem(ac.post(f"/lines/{SUSPENDED_FOR_DEBT}/reactivation", json={"advisor": "a.b"}), 422)["detail"]
    assert SUSPENDED_FOR_DEBT in detail and "mora" in detail and "Paradigma" in detail
    assert ac.get(f"/lines/{SUSPENDED_FOR_DEBT}").json()["status"] == "suspendida"
    history = ac.get(f"/lines/{SUSPENDED_FOR_DEBT}/status-history").json()["changes"]
    assert history[0]["reason"] == "mora" and history[0]["advisor"] is None


def test_a_stolen_line_needs_a_new_sim(ac):
    current = ac.get(f"/lines/{STOLEN}").json()["iccid"]
    assert "iccid" in problem(ac.post(f"/lines/{STOLEN}/reactivation", json={"advisor": "a.b"}), 422)["detail"]
    assert (
        "reported for hurto"
        in problem(ac.post(f"/lines/{STOLEN}/reactivation", json={"advisor": "a.b", "iccid": current}), 422)["detail"]
    )
    taken = ac.get(f"/lines/{LINE}").json()["iccid"]
    assert (
        LINE
        in problem(ac.post(f"/lines/{STOLEN}/reactivation", json={"advisor": "a.b", "iccid": taken}), 409)["detail"]
    )
    new_sim = "8957101000000000017"
    line = ac.post(f"/lines/{STOLEN}/reactivation", json={"advisor": "a.b", "iccid": new_sim}).json()
    assert line["status"] == "activa" and line["iccid"] == new_sim
    assert ac.get(f"/lines/{STOLEN}/status-history").json()["changes"][0]["iccid"] == new_sim
    problem(ac.post(f"/lines/{STOLEN}/reactivation", json={"advisor": "a.b", "iccid": "123"}), 400)


def test_a_line_blocked_for_fraud_stays_blocked(ac):
    plant(
        ac,
        {
            "table": "lines",
            "update": {
                "where": {"msisdn": LINE},
                "set": {"status": "bloqueada", "suspension_reason": "fraude", "suspended_at": "2026-11-01"},
            },
        },
    )
    assert [
        ln["msisdn"] for ln in ac.get(f"/accounts/{ACCOUNT}/lines", params={"status": "bloqueada"}).json()["lines"]
    ] == [LINE]
    assert "DIME" in problem(ac.post(f"/lines/{LINE}/reactivation", json={"advisor": "a.b"}), 422)["detail"]
    assert (
        "bloqueada"
        in problem(ac.post(f"/lines/{LINE}/suspension", json={"reason": "hurto", "advisor": "a.b"}), 409)["detail"]
    )


def test_a_planted_debt_suspension_blocks_the_advisor(ac):
    plant(
        ac,
        {
            "table": "lines",
            "update": {
                "where": {"msisdn": OTHER_LINE},
                "set": {"status": "suspendida", "suspension_reason": "mora", "suspended_at": "2026-11-02"},
            },
        },
    )
    assert problem(ac.post(f"/lines/{OTHER_LINE}/reactivation", json={"advisor": "a.b"}), 422)["type"].endswith(
        "suspended-for-debt"
    )


def test_status_change_bad_input(ac):
    problem(ac.post(f"/lines/{LINE}/suspension", json={"reason": "mora", "advisor": "a.b"}), 400)
    problem(ac.post(f"/lines/{LINE}/suspension", json={"reason": "hurto"}), 400)
    problem(ac.post(f"/lines/{LINE}/reactivation", json={"advisor": "a.b", "extra": 1}), 400)
    problem(ac.post("/lines/3109999999/suspension", json={"reason": "hurto", "advisor": "a.b"}), 404)
    problem(ac.post(f"/lines/{LINE}/suspension", content=b"reason=hurto", headers={"content-type": "text/plain"}), 415)
    assert ac.get(f"/lines/{LINE}").json()["status"] == "activa"
