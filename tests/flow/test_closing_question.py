""" "¿Hay algo más en lo que pueda ayudarte?" comes before the conversation closes, while the advisor still has it
(procedure, section 5: "confirmará que no existan más solicitudes ... y de ser necesario las gestionará en el mismo
chat"): a "sí" keeps the same conversation, where the advisor opens another case without a new consent; the closing
script and the survey go out after the "no", or once CLOSING_QUESTION_MINUTES (10, the documented default) pass
without an answer. The customer is the digital-invoice-request scenario's; times are the sandbox's frozen clock
(the flow starts Wednesday 4 Nov 2026 09:00 Bogotá)."""

from __future__ import annotations

import pytest

from tests.flow.driver import InProcess
from tests.flow.flows import Run, new_sandbox, start
from tests.flow.handling import digital_invoice

SCENARIO = "digital-invoice-request"  # a SAC case solved at first contact: closed outright


@pytest.fixture
def run(gateway_client, request):
    sandbox = f"ask-{request.node.name}"[:40].lower().replace("_", "-")
    d = new_sandbox(InProcess(gateway_client), sandbox)
    try:
        flow = start(d, SCENARIO)
        digital_invoice(flow)  # typified SAC-FAC-03, solved at first contact
        yield flow
    finally:
        assert gateway_client.delete(f"/admin/sandboxes/{sandbox}").status_code == 200


def close_case(run: Run, case_id: str) -> dict:
    return run.d.ok("POST", f"/cases/{case_id}/close", json={"outcome": "closed", "nothingPending": True})


def conversation(run: Run) -> dict:
    return run.d.ok("GET", f"/conversations/{run.conversation}")


def test_the_question_comes_before_the_close_and_the_advisor_still_has_the_conversation(run):
    before = len(run.d.received(run.wa_id))
    closed = close_case(run, run.case)
    assert closed["status"] == "closed" and closed["survey"] is None  # no survey yet
    received = run.d.received(run.wa_id)
    assert len(received) == before + 1  # the question alone: no closing script, no survey
    first_name = run.customer["name"].split(" ")[0]
    assert received[-1] == f"{first_name}, tu solicitud quedó resuelta. ¿Hay algo más en lo que pueda ayudarte? " + (
        "Responde SI o NO."
    )
    now = conversation(run)
    assert now["status"] == "closingQuestion" and now["closedAt"] is None and now["closeReason"] is None
    assert now["advisor"] and now["messages"][-1]["author"] == "advisor"
    queue = run.d.ok("GET", "/conversations", params={"status": "closingQuestion"})["conversations"]
    assert [c["id"] for c in queue] == [run.conversation]


def test_a_yes_keeps_the_same_conversation_for_another_case_without_a_new_consent(run):
    first_consent = conversation(run)["consent"]
    close_case(run, run.case)
    asked = len(run.d.received(run.wa_id))
    run.d.say(run.wa_id, "Sí")
    again = conversation(run)
    assert again["id"] == run.conversation and again["status"] == "assigned" and again["closedAt"] is None
    assert again["consent"] == first_consent
    assert len(run.d.received(run.wa_id)) == asked  # no consent question, no welcome: the advisor goes on
    mine = [c for c in run.d.ok("GET", "/conversations")["conversations"] if c["waId"] == run.wa_id]
    assert [c["id"] for c in mine] == [run.conversation]
    # The advisor opens a second case in the same chat: the document validated there still holds.
    second = run.d.ok(
        "POST",
        "/cases",
        201,
        json={
            "conversationId": run.conversation,
            "customerId": run.customer["customerId"],
            "accountId": run.customer["accountId"],
            "category": "SAC",
            "product": "internet",
            "description": "También quiere saber el valor de la próxima factura",
        },
    )
    assert second["conversationId"] == run.conversation
    body = {"code": "SAC-FAC-04", "notes": "Se informa el valor de la próxima factura", "resolvedFirstContact": True}
    typed = run.d.ok(
        "POST", f"/cases/{second['id']}/typification", json=body, headers={"Idempotency-Key": "ask-second"}
    )
    assert typed["status"] == "typified"
    close_case(run, second["id"])
    assert "¿Hay algo más" in run.d.received(run.wa_id)[-1]
    run.d.say(run.wa_id, "No")
    closing, survey = run.d.received(run.wa_id)[-2:]
    assert "fue un gusto atenderte" in closing and "0 a 10" in survey
    ended = conversation(run)
    assert ended["status"] == "closed" and ended["closeReason"] == "nothingMore"
    assert ended["cases"] == [run.case, second["id"]]
    # One survey for the conversation, the last case's.
    assert run.d.ok("GET", f"/cases/{run.case}")["survey"] is None
    assert run.d.ok("GET", f"/cases/{second['id']}")["survey"]["requestedAt"]


def test_a_no_sends_the_closing_script_and_the_survey(run):
    close_case(run, run.case)
    asked = len(run.d.received(run.wa_id))
    run.d.say(run.wa_id, "No, gracias")
    received = run.d.received(run.wa_id)
    assert len(received) == asked + 2
    first_name = run.customer["name"].split(" ")[0]
    assert received[-2] == (
        f"{first_name}, fue un gusto atenderte. Damos por finalizada esta conversación. Gracias por ser cliente "
        "Claro Premium."
    )
    assert received[-1].startswith(f"{first_name}, gracias por comunicarte") and "0 a 10" in received[-1]
    ended = conversation(run)
    assert ended["status"] == "closed" and ended["closeReason"] == "nothingMore"
    assert ended["closedAt"] == "2026-11-04T09:00:00-05:00"  # the frozen clock: when the "no" came
    case = run.d.ok("GET", f"/cases/{run.case}")
    assert case["survey"]["requestedAt"] == "2026-11-04T09:00:00-05:00"
    run.d.say(run.wa_id, "10")
    assert run.d.ok("GET", f"/cases/{run.case}")["survey"]["score"] == 10


def test_silence_past_closing_question_minutes_sends_them_too(run):
    close_case(run, run.case)  # asked at 09:00:00
    asked = len(run.d.received(run.wa_id))
    run.d.ok("POST", "/admin/clock", json={"set": "2026-11-04T09:09:59-05:00", "frozen": True})
    assert conversation(run)["status"] == "closingQuestion"  # 9 min 59 s: still waiting
    assert len(run.d.received(run.wa_id)) == asked
    run.d.ok("POST", "/admin/clock", json={"set": "2026-11-04T09:10:00-05:00", "frozen": True})
    ended = conversation(run)
    assert ended["status"] == "closed" and ended["closeReason"] == "closingUnanswered"
    assert ended["closedAt"] == "2026-11-04T09:10:00-05:00"  # the end of the 10-minute wait
    received = run.d.received(run.wa_id)
    assert len(received) == asked + 2, received[asked:]
    assert "fue un gusto atenderte" in received[-2] and "0 a 10" in received[-1]
    assert run.d.ok("GET", f"/cases/{run.case}")["survey"]["requestedAt"]
    conversation(run)  # read again: nothing is sent twice
    assert len(run.d.received(run.wa_id)) == asked + 2
