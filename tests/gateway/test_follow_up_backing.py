"""A follow-up waits on something real (the procedure): ESCALAMIENTOS on a ticket escalated for the case,
VISITAS on a technical visit booked for it."""

from __future__ import annotations

from tests.support.cases import escalation, plant_case

ASESOR = "dev-asesor"
NOW = "2026-11-04T09:00:00-05:00"  # a Wednesday
CALLBACK = "2026-11-05T10:00:00-05:00"  # Thursday, inside contact hours


def _typified_case(client) -> str:
    assert client.post("/admin/clock", json={"set": NOW, "frozen": True}).status_code == 200
    return plant_case(client.app.runtime, status="typified")


def _close(client, case_id: str, follow_up: str):
    body = {"outcome": "followUp", "followUpType": follow_up, "callbackAt": CALLBACK, "nothingPending": True}
    return client.post(f"/cases/{case_id}/close", token=ASESOR, json=body)


def test_an_escalamientos_follow_up_needs_a_ticket_of_the_case(gateway_client):
    case_id = _typified_case(gateway_client)
    refused = _close(gateway_client, case_id, "ESCALAMIENTOS")
    assert refused.status_code == 422 and refused.json()["type"].endswith("/follow-up-without-escalation")
    assert case_id in refused.json()["detail"]
    # Another case's ticket does not count.
    other = plant_case(gateway_client.app.runtime, status="typified")
    escalated = gateway_client.post("/troubleTicket", token=ASESOR, json=escalation(other))
    assert escalated.status_code == 201, escalated.text
    assert _close(gateway_client, case_id, "ESCALAMIENTOS").status_code == 422
    closed = _close(gateway_client, other, "ESCALAMIENTOS")
    assert closed.status_code == 200, closed.text
    assert closed.json()["status"] == "followUp"


def test_a_visitas_follow_up_needs_a_visit_booked_for_the_case(gateway_client):
    case_id = _typified_case(gateway_client)
    refused = _close(gateway_client, case_id, "VISITAS")
    assert refused.status_code == 422 and refused.json()["type"].endswith("/follow-up-without-visit")
    booked = _book(gateway_client, case_id)
    assert booked.status_code == 201, booked.text
    closed = _close(gateway_client, case_id, "VISITAS")
    assert closed.status_code == 200, closed.text
    assert closed.json()["status"] == "followUp"


def _book(client, case_id: str):
    headers = {"X-Case-Id": case_id}
    slots = client.post("/searchTimeSlot", token=ASESOR, json={"accountId": "46271064"}, headers=headers).json()
    slot = slots["availableTimeSlot"][0]["validFor"]
    body = {
        "@type": "TechnicalVisit",
        "validFor": slot,
        "description": "Módem sin sincronía tras diagnóstico",
        "relatedEntity": [{"id": "46271064", "role": "account", "@referredType": "BillingAccount"}],
        "relatedParty": [{"id": "asesor.premium01", "role": "advisor", "@referredType": "Individual"}],
        "contactMedium": [{"mediumType": "phone", "characteristic": {"phoneNumber": "3130568954"}}],
    }
    return client.post("/appointment", token=ASESOR, json=body, headers=headers)
