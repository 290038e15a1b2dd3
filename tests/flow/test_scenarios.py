"""Scenarios (scenarios/*.yaml) loaded through POST /admin/scenarios/{name}: each file's customer is the default
world's, its fixtures take effect in the systems, and the three channel-only situations play out in the chat."""

from __future__ import annotations

import pytest

from claro_backoffice.gateway.services import scenarios
from tests.flow.chat import Chat

NAMES = scenarios.names()
CHANNEL_ONLY = ("non-premium-without-hashtag", "declines-consent", "abandons-before-advisor")


def _load(gateway_client, name, **kw):
    answer = gateway_client.post(f"/admin/scenarios/{name}", **kw)
    assert answer.status_code == 200, answer.text
    return answer.json()


def _get(gateway_client, system, path, sandbox="default"):
    answer = gateway_client.backoffice.client(system).get(path, headers={"X-Sandbox": sandbox})
    assert answer.status_code == 200, answer.text
    return answer.json()


# ---- the files ----------------------------------------------------------------------------------------------------
def test_there_is_a_scenario_for_every_situation_of_the_issue():
    assert len(NAMES) >= 13 and {
        "massive-internet-outage",
        "modem-without-sync",
        "unrecognised-charge",
        "prepaid-recharge-not-applied",
        *CHANNEL_ONLY,
    } <= set(NAMES)


@pytest.mark.parametrize("name", NAMES)
def test_the_scenario_file_is_usable_and_its_customer_is_the_worlds(name, world):
    scenario = scenarios.read(name)
    assert scenarios.problems(scenario, name) == []
    customer = scenario["customer"]
    party = world.index("parties", "customer_id")[customer["customerId"]]
    assert customer["document"] == {"type": party["document_type"], "number": party["document_number"]}
    assert customer["phone"] == party["contact_mobile"] and customer["premium"] == party["premium"]
    homes = {a["account_number"] for a in world.tables["home_accounts"] if a["customer_id"] == party["customer_id"]}
    mobiles = {a["account_number"] for a in world.tables["mobile_accounts"] if a["customer_id"] == party["customer_id"]}
    lines = {ln["msisdn"] for ln in world.tables["lines"] if ln["customer_id"] == party["customer_id"]}
    assert {a["id"] for a in customer["accounts"]} == homes | mobiles
    assert {ln["msisdn"] for ln in customer["lines"]} == lines
    assert customer.get("accountId") in homes | mobiles | {None}
    assert customer.get("msisdn") in lines | {None}
    expected = scenario["expected"]
    if name in CHANNEL_ONLY:
        assert expected["conversation"]["status"] in ("closed", "abandoned")
    else:
        assert party["premium"], "a case scenario needs a premium customer"
        codes = world.index("typifications", "code")
        assert codes[expected["typificationCode"]]["category"] == expected["category"]
        assert expected["outcome"] in ("closed", "followUp")


def test_the_placeholders_are_filled():
    customer = {"name": "Luz Barreto", "document": {"type": "CC", "number": "128840"}}
    assert scenarios.fill("Soy {firstName}, documento {document}", customer) == "Soy Luz, documento 128840"


def test_the_catalogue_lists_every_scenario(gateway_client):
    listed = gateway_client.get("/admin/scenarios")
    assert listed.status_code == 200, listed.text
    by_name = {s["name"]: s for s in listed.json()["scenarios"]}
    assert sorted(by_name) == NAMES and listed.json()["total"] == len(NAMES)
    assert by_name["modem-without-sync"]["customer"]["accountId"] == "62502115"
    assert by_name["modem-without-sync"]["systems"] == ["diagnosticador"]


def test_an_unknown_scenario_is_a_404_that_lists_the_names(gateway_client):
    answer = gateway_client.post("/admin/scenarios/no-such-thing", json={})
    assert answer.status_code == 404 and "modem-without-sync" in answer.json()["detail"]


def test_only_an_admin_loads_a_scenario(gateway_client):
    assert gateway_client.post("/admin/scenarios/declines-consent", token="dev-asesor").status_code == 403


def test_a_failing_system_is_named(gateway_client):
    gateway_client.backoffice.refuse("cmax")
    answer = gateway_client.post("/admin/scenarios/volte-not-active")
    assert answer.status_code == 503, answer.text
    outcomes = {r["system"]: r["outcome"] for r in answer.json()["results"]}
    assert outcomes == {"cmax": "failed", "portalpac": "applied", "cci": "applied"}
    assert "cmax" in answer.json()["detail"]


# ---- fixtures in effect -------------------------------------------------------------------------------------------
def _massive(gw, loaded, sandbox):
    check = _get(gw, "diagnosticador", "/accounts/29985236/modem-check", sandbox)
    assert [i["aviso"] for i in check["open_incidents"]] == [loaded["expected"]["aviso"]]


def _modem(gw, loaded, sandbox):
    check = _get(gw, "diagnosticador", "/accounts/62502115/modem-check", sandbox)
    assert check["modem"]["status"] == "offline" and check["open_incidents"] == []
    assert check["typification"]["code"] == loaded["expected"]["typificationCode"]


def _unrecognised(gw, loaded, sandbox):
    invoice = _get(gw, "paradigma", "/invoices/FV0000000018", sandbox)
    assert invoice["amount"] == 242192
    assert "Suscripción Claro Música Premium" in [ln["description"] for ln in invoice["lines"]]


def _digital(gw, loaded, sandbox):
    assert _get(gw, "paradigma", "/accounts/85183164/delivery", sandbox)["mode"] == "physical"


def _volte(gw, loaded, sandbox):
    assert _get(gw, "portalpac", "/lines/3231282870/volte", sandbox)["status"] == "inactive"
    assert _get(gw, "cci", "/lines/3231282870", sandbox)["volte_status"] == "inactive"


def _recharge(gw, loaded, sandbox):
    recharge = _get(gw, "cmax", "/recharges/RC2079990001", sandbox)
    assert recharge["status"] == "not_applied" and recharge["msisdn"] == "3234503674"


def _coverage(gw, loaded, sandbox):
    site = _get(gw, "sara", "/sites/MED0002", sandbox)
    assert {c["state"] for c in site["cells"]} == {"outage"}
    assert _get(gw, "sara", "/incidents/INC005199002", sandbox)["aviso"] == 5199002


def _financing(gw, loaded, sandbox):
    installments = _get(gw, "ascard", "/credits/CRD000000006/installments", sandbox)["installments"]
    assert next(i for i in installments if i["number"] == 14)["status"] == "overdue"


def _shared(gw, loaded, sandbox):
    quotas = _get(gw, "portalpac", "/accounts/7264934899/shared-data", sandbox)
    assert {q["msisdn"]: q["quota_gb"] for q in quotas["lines"]}["3236530642"] == 4


def _billing(gw, loaded, sandbox):
    invoice = _get(gw, "paradigma", "/invoices/FV0000000066", sandbox)
    assert invoice["amount"] == 339700 and len(invoice["lines"]) == 3


CHECKS = {
    "massive-internet-outage": _massive,
    "modem-without-sync": _modem,
    "unrecognised-charge": _unrecognised,
    "digital-invoice-request": _digital,
    "volte-not-active": _volte,
    "prepaid-recharge-not-applied": _recharge,
    "no-coverage-at-home": _coverage,
    "device-financing-question": _financing,
    "shared-data-quota-correction": _shared,
    "billing-error-adjustment": _billing,
}


@pytest.mark.parametrize("name", sorted(CHECKS))
def test_loading_plants_the_fixtures(gateway_client, name):
    loaded = _load(gateway_client, name)
    scenario = scenarios.read(name)
    assert {r["system"] for r in loaded["results"]} == set(scenario["fixtures"])
    assert all(r["outcome"] == "applied" and r["applied"] for r in loaded["results"])
    assert loaded["customer"]["phone"]["waId"] == "57" + scenario["customer"]["phone"]
    assert loaded["expected"] == scenario["expected"] and "{document}" not in " ".join(loaded["chat"])
    CHECKS[name](gateway_client, loaded, "default")
    again = _load(gateway_client, name)  # loading twice leaves the same state
    CHECKS[name](gateway_client, again, "default")


def test_reset_restores_the_sandbox_before_loading(gateway_client):
    sandbox = "scenario-test"
    assert gateway_client.post("/admin/sandboxes", json={"name": sandbox}).status_code == 201
    try:
        _load(gateway_client, "unrecognised-charge", sandbox=sandbox)
        loaded = _load(gateway_client, "modem-without-sync", sandbox=sandbox, json={"reset": True})
        assert loaded["reset"] is True and loaded["sandbox"] == sandbox
        assert _get(gateway_client, "paradigma", "/invoices/FV0000000018", sandbox)["amount"] == 222292
        _modem(gateway_client, loaded, sandbox)
        assert _get(gateway_client, "diagnosticador", "/accounts/62502115/modem-check")["modem"]["status"] == "online"
    finally:
        gateway_client.delete(f"/admin/sandboxes/{sandbox}")


# ---- the channel-only situations ----------------------------------------------------------------------------------
@pytest.mark.parametrize("name", CHANNEL_ONLY)
def test_the_channel_only_scenarios_play_out(gateway_client, name):
    loaded = _load(gateway_client, name)
    chat = Chat(gateway_client, loaded["customer"]["phone"]["waId"])
    for message in loaded["chat"]:
        chat.say(message)
    if loaded.get("waitMinutes"):
        moved = gateway_client.post("/admin/clock", json={"advance": f"PT{loaded['waitMinutes']}M"})
        assert moved.status_code == 200, moved.text
    expected = loaded["expected"]
    found = gateway_client.get("/conversations").json()["conversations"]
    mine = [c for c in found if c["waId"] == loaded["customer"]["phone"]["waId"]]
    if name == "declines-consent":  # Ley 1581: the number is not kept, only the anonymous record
        assert mine == []
        mine = [c for c in found if c["closeReason"] == "consentDeclined"]
    assert len(mine) == 1
    conversation = mine[0]
    assert conversation["status"] == expected["conversation"]["status"]
    assert conversation["closeReason"] == expected["conversation"]["closeReason"]
    assert conversation["entry"] == expected["conversation"]["entry"]
    assert expected["lastMessageContains"] in chat.last()
    if name == "declines-consent":
        assert conversation["customerId"] is None and conversation["consent"]["given"] is False
        assert conversation["waId"] == "" and conversation["profileName"] is None
