"""A conversation can end without a case: the advisor ends it with a reason from a documented catalogue (422 for
another), or the customer's silence for CONVERSATION_INACTIVITY_MINUTES (15, the documented default) after the
advisor's last message ends it; either way with the closing script and no survey. Both count in PUNTUALIDAD like any
other conversation (`closedWithoutCase`), and in no FCR or NPS count. The customer is the digital-invoice-request
scenario's, in a sandbox of this test; times are the sandbox's frozen clock."""

from __future__ import annotations

import pytest

from tests.flow.driver import Driver, InProcess
from tests.flow.flows import ADVISOR, new_sandbox, start
from tests.flow.handling import digital_invoice

SCENARIO = "digital-invoice-request"
CLOSING = "fue un gusto atenderte. Damos por finalizada esta conversación."


@pytest.fixture
def d(gateway_client, request):
    sandbox = f"nocase-{request.node.name}"[:40].lower().replace("_", "-").rstrip("-")
    driver = new_sandbox(InProcess(gateway_client), sandbox)
    try:
        yield driver
    finally:
        assert gateway_client.delete(f"/admin/sandboxes/{sandbox}").status_code == 200


def at(d: Driver, moment: str) -> None:
    d.ok("POST", "/admin/clock", json={"set": moment, "frozen": True})


def taken(d: Driver, wa_id: str, asked: str, assigned: str) -> str:
    """The customer asks for an advisor at `asked`; the advisor takes the conversation at `assigned`."""
    at(d, asked)
    for text in ("Hola", "Acepto", "SI"):
        d.say(wa_id, text)
    [queued] = [c for c in d.ok("GET", "/conversations", params={"status": "queued"})["conversations"]]
    at(d, assigned)
    d.ok("POST", f"/conversations/{queued['id']}/assign", json={"advisor": ADVISOR})
    return queued["id"]


def problem(answer, status: int, kind: str) -> str:
    assert answer.status_code == status, answer.text
    assert answer.json()["type"].endswith(kind), answer.json()
    return answer.json()["detail"]


def test_the_advisor_ends_a_conversation_with_no_case_with_a_reason(d):
    loaded = d.ok("POST", f"/admin/scenarios/{SCENARIO}")
    wa_id = loaded["customer"]["phone"]["waId"]
    cid = taken(d, wa_id, "2026-11-04T10:00:00-05:00", "2026-11-04T10:02:00-05:00")
    d.say(wa_id, "¿Hasta qué hora abren las tiendas Claro el sábado?")
    d.ok("POST", f"/conversations/{cid}/messages", 201, json={"text": "Los sábados abren de 9:00 a 18:00."})
    # A reason is required, and it is one of the catalogue's.
    assert d.gw("POST", f"/conversations/{cid}/close", json={}).status_code == 400
    detail = problem(
        d.gw("POST", f"/conversations/{cid}/close", json={"reason": "aburrido"}), 422, "unknown-close-reason"
    )
    for reason in ("informationOnly", "customerUnresponsive", "nothingMore", "otherChannel"):
        assert reason in detail
    assert d.ok("GET", f"/conversations/{cid}")["status"] == "assigned"  # the refusal changed nothing
    before = len(d.received(wa_id))
    ended = d.ok("POST", f"/conversations/{cid}/close", json={"reason": "informationOnly"})
    assert ended["status"] == "closed" and ended["closeReason"] == "informationOnly"
    assert ended["closedAt"] == "2026-11-04T10:02:00-05:00" and ended["cases"] == []
    received = d.received(wa_id)
    assert len(received) == before + 1 and CLOSING in received[-1]  # the closing script; no survey without a case
    assert ended["messages"][-1]["author"] == "advisor" and CLOSING in ended["messages"][-1]["content"]
    # Ended, it can't be ended again.
    problem(d.gw("POST", f"/conversations/{cid}/close", json={"reason": "informationOnly"}), 409, "conversation-state")


def test_a_conversation_with_a_case_open_is_ended_by_closing_the_case(d):
    run = start(d, SCENARIO)
    answer = d.gw("POST", f"/conversations/{run.conversation}/close", json={"reason": "customerUnresponsive"})
    assert run.case in problem(answer, 409, "cases-open")
    assert d.ok("GET", f"/conversations/{run.conversation}")["status"] == "assigned"
    # An open case keeps the conversation with the advisor, however long the customer is silent.
    at(d, "2026-11-04T09:40:00-05:00")
    assert d.ok("GET", f"/conversations/{run.conversation}")["status"] == "assigned"


def test_inactivity_after_the_advisors_last_message_ends_it(d):
    loaded = d.ok("POST", f"/admin/scenarios/{SCENARIO}")
    wa_id = loaded["customer"]["phone"]["waId"]
    cid = taken(d, wa_id, "2026-11-04T10:00:00-05:00", "2026-11-04T10:01:00-05:00")  # welcome at 10:01
    d.say(wa_id, "Quería preguntar algo")  # the customer answered: the clock waits for the advisor
    at(d, "2026-11-04T11:00:00-05:00")
    assert d.ok("GET", f"/conversations/{cid}")["status"] == "assigned"
    d.ok("POST", f"/conversations/{cid}/messages", 201, json={"text": "Claro, cuéntame."})  # at 11:00
    before = len(d.received(wa_id))
    at(d, "2026-11-04T11:14:59-05:00")
    assert d.ok("GET", f"/conversations/{cid}")["status"] == "assigned"
    at(d, "2026-11-04T11:15:00-05:00")
    ended = d.ok("GET", f"/conversations/{cid}")
    assert ended["status"] == "closed" and ended["closeReason"] == "inactivity"
    assert ended["closedAt"] == "2026-11-04T11:15:00-05:00"  # 15 minutes after the advisor's last message
    received = d.received(wa_id)
    assert len(received) == before + 1 and CLOSING in received[-1]
    d.ok("GET", "/conversations")  # read again: sent once
    assert len(d.received(wa_id)) == before + 1


def test_both_count_in_punctuality_and_in_no_fcr_or_nps(d):
    # 09:00 a case (flows.start takes it at once: on time), solved, "no", survey answered 9.
    run = start(d, SCENARIO)
    digital_invoice(run)
    d.ok("POST", f"/cases/{run.case}/close", json={"outcome": "closed", "nothingPending": True})
    d.say(run.wa_id, "No")
    d.say(run.wa_id, "9")
    # 10:00 asked, taken at 10:02 (120 s: on time), ended by the advisor: the customer only asked something.
    only_asked = taken(d, run.wa_id, "2026-11-04T10:00:00-05:00", "2026-11-04T10:02:00-05:00")
    d.ok("POST", f"/conversations/{only_asked}/close", json={"reason": "informationOnly"})
    # 11:00 asked, taken at 11:12 (720 s: late), silent: ended by inactivity at 11:27.
    silent = taken(d, run.wa_id, "2026-11-04T11:00:00-05:00", "2026-11-04T11:12:00-05:00")
    at(d, "2026-11-04T11:30:00-05:00")
    found = d.ok("GET", "/indicators", token="dev-supervisor", params={"from": "2026-11-04", "to": "2026-11-04"})
    assert d.ok("GET", f"/conversations/{silent}")["closeReason"] == "inactivity"
    punctuality, nps, fcr = found["indicators"][:3]
    # Three conversations asked for an advisor: two answered in under 600 s; two ended without a case.
    assert (punctuality["numerator"], punctuality["denominator"], punctuality["value"]) == (2, 3, 66.67)
    assert punctuality["closedWithoutCase"] == 2
    # One case, typified solved at first contact with no repeat; one survey, a promoter (9).
    assert (fcr["numerator"], fcr["denominator"]) == (1, 1)
    assert (nps["numerator"], nps["denominator"], nps["value"]) == (1, 1, 100.0)


def test_a_conversation_ended_by_inactivity_takes_no_new_case(d):
    loaded = d.ok("POST", f"/admin/scenarios/{SCENARIO}")
    customer = loaded["customer"]
    cid = taken(d, customer["phone"]["waId"], "2026-11-04T10:00:00-05:00", "2026-11-04T10:00:00-05:00")
    d.ok("POST", f"/conversations/{cid}/identity", json={"documentNumber": customer["document"]["number"]})
    at(d, "2026-11-04T10:15:00-05:00")  # 15 minutes after the welcome, nothing read in between
    body = {
        "conversationId": cid,
        "customerId": customer["customerId"],
        "accountId": customer["accountId"],
        "category": "SAC",
        "product": "internet",
        "description": "Un caso abierto tarde",
    }
    problem(d.gw("POST", "/cases", json=body), 409, "conversation-state")
    ended = d.ok("GET", f"/conversations/{cid}")
    assert (ended["status"], ended["closeReason"], ended["cases"]) == ("closed", "inactivity", [])
