"""The desk client against the back office, through the claro_backoffice plugin's fixtures only (no conftest.py):
in-process by default, or against a running server with --backoffice-url."""

from __future__ import annotations

import pytest
from claro_consumer.desk import CareDesk, GatewayError

SCENARIO = "modem-without-sync"  # a home customer whose modem has no sync: a support case typified in RR


@pytest.fixture
def waiting(backoffice):
    """The scenario's customer has written on WhatsApp, accepted the data policy and asked for an advisor."""
    backoffice.set_clock("2026-11-04T09:00:00-05:00", frozen=True)  # a Wednesday morning: contact hours
    facts = backoffice.scenario(SCENARIO)
    phone = backoffice.customer(facts)
    for text in facts["chat"][:3]:
        phone.say(text)
    return facts


@pytest.fixture
def desk(backoffice, backoffice_url):
    return CareDesk(backoffice_url, backoffice.token, backoffice.sandbox)


def _open(desk, facts) -> dict:
    customer = facts["customer"]
    conversation = desk.waiting_conversation(customer["phone"]["waId"])
    desk.take(conversation, desk.active_asesores()[0])
    desk.validate_identity(conversation, customer["document"]["number"])
    expected = facts["expected"]
    return desk.open_case(
        conversation, customer["customerId"], customer["accountId"], expected["category"], expected["product"],
        facts["chat"][3],
    )  # fmt: skip


def test_a_case_is_opened_and_typified(backoffice, desk, waiting):
    case = _open(desk, waiting)
    assert case["status"] == "open" and case["accountId"] == waiting["customer"]["accountId"]
    code = waiting["expected"]["typificationCode"]
    typified = desk.typify(case["id"], code, "Módem sin sincronía; se agenda visita.")
    assert typified["status"] == "typified" and typified["typification"]["code"] == code
    [marking] = backoffice.assert_called("rr", "POST", "/accounts/*/markings", times=1)
    assert marking["path"] == f"/accounts/{case['accountId']}/markings" and marking["requestBody"]["code"] == code


def test_typifying_twice_registers_once(backoffice, desk, waiting):
    case = _open(desk, waiting)
    code = waiting["expected"]["typificationCode"]
    first = desk.typify(case["id"], code, "Módem sin sincronía.")
    assert desk.typify(case["id"], code, "Módem sin sincronía.") == first
    backoffice.assert_called("rr", "POST", "/accounts/*/markings", times=1)


def test_a_failing_rr_is_named(backoffice, desk, waiting):
    case = _open(desk, waiting)
    backoffice.fault("rr", "error", status=503, method="POST", path="/accounts/*/markings")
    with pytest.raises(GatewayError) as failed:
        desk.typify(case["id"], waiting["expected"]["typificationCode"], "Módem sin sincronía.")
    assert failed.value.status == 502 and failed.value.system == "rr"


def test_an_unknown_conversation_is_a_lookup_error(desk, backoffice_sandbox):
    with pytest.raises(LookupError, match="573000000000"):
        desk.waiting_conversation("573000000000")
