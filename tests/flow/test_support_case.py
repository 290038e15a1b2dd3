"""A home support case from the first WhatsApp message to the survey and the later close-out, checked in the
systems: the marking in RR, the long notes in ESTRATEGICOS, the closing script and survey on WhatsApp."""

from __future__ import annotations

from tests.flow.chat import Chat
from tests.support.advisors import active_asesor

LONG_NOTES = (
    "Cliente reporta que el módem no sincroniza desde ayer en la noche. Se validan niveles de señal en "
    "Diagnosticador, sin AVISO asociado al nodo. Se reinicia el equipo de forma remota sin éxito y se "
    "acuerda seguimiento con el cliente para confirmar el restablecimiento del servicio mañana."
)


def test_a_support_case_end_to_end(gateway_client, world):
    gw = gateway_client
    gw.post("/admin/clock", json={"set": "2026-11-04T08:00:00-05:00", "frozen": True})
    party = world.index("parties", "customer_id")["CUS00000003"]
    chat = Chat(gw, "57" + party["contact_mobile"])
    for text in ("Hola", "Acepto", "Si"):
        chat.say(text)
    [conversation] = gw.get("/conversations", params={"status": "queued"}).json()["conversations"]
    cid = conversation["id"]
    advisor = active_asesor(gw, 1)["username"]
    assert gw.post(f"/conversations/{cid}/assign", json={"advisor": advisor}).status_code == 200
    # No case before the document is validated in this conversation.
    case = {
        "conversationId": cid,
        "customerId": "CUS00000003",
        "accountId": "46271064",
        "category": "SOPORTE",
        "product": "internet",
        "description": "El módem no sincroniza",
    }
    assert gw.post("/cases", json=case).status_code == 422
    validated = gw.post(f"/conversations/{cid}/identity", json={"documentNumber": party["document_number"]})
    assert validated.status_code == 200, validated.text
    assert gw.post("/cases", json=dict(case, accountId="7264934899")).status_code == 422  # not this customer's
    opened = gw.post("/cases", json=case)
    assert opened.status_code == 201, opened.text
    case_id = opened.json()["id"]
    # Closing before typifying names the missing step.
    early = gw.post(f"/cases/{case_id}/close", json={"outcome": "closed", "nothingPending": True})
    assert early.status_code == 409 and "typification" in early.json()["detail"]
    # A back-office call made for the case lands in its timeline.
    gw.get("/billingAccounts/46271064", headers={"X-Case-Id": case_id})
    body = {"code": "SOP-INT-04", "notes": LONG_NOTES, "resolvedFirstContact": False}
    typed = gw.post(f"/cases/{case_id}/typification", json=body, headers={"Idempotency-Key": "typ-e2e-0001"})
    assert typed.status_code == 200, typed.text
    again = gw.post(f"/cases/{case_id}/typification", json=body, headers={"Idempotency-Key": "typ-e2e-0001"})
    assert again.json() == typed.json()
    rr = gw.backoffice.client("rr")
    markings = [
        m
        for m in rr.get("/accounts/46271064/markings").json()["markings"]
        if m["code"] == "SOP-INT-04" and "ESTRATEGICOS" in m["notes"]
    ]
    assert len(markings) == 1 and len(markings[0]["notes"]) <= 250 and not markings[0]["resolved_first_contact"]
    notes = rr.get("/accounts/46271064/folders/ESTRATEGICOS/notes").json()["notes"]
    assert [n["text"] for n in notes if n["text"] == LONG_NOTES] == [LONG_NOTES]
    # Support stays in follow-up; the callback must be inside contact hours (Sunday 8 Nov is not).
    solved = {"outcome": "closed", "nothingPending": True}
    assert gw.post(f"/cases/{case_id}/close", json=solved).status_code == 422
    sunday = {
        "outcome": "followUp",
        "followUpType": "SOPORTE",
        "callbackAt": "2026-11-08T10:00:00-05:00",
        "nothingPending": True,
    }
    assert gw.post(f"/cases/{case_id}/close", json=sunday).status_code == 422
    closed = gw.post(f"/cases/{case_id}/close", json=dict(sunday, callbackAt="2026-11-05T10:00:00-05:00"))
    assert closed.status_code == 200, closed.text
    assert closed.json()["status"] == "followUp" and closed.json()["survey"] is None
    assert "¿Hay algo más" in chat.last() and "05/11/2026 a las 10:00" in chat.last()
    chat.say("no")
    assert "0 a 10" in chat.last()
    chat.say("9")
    assert gw.post(f"/cases/{case_id}/survey", json={"score": 3}).status_code == 409
    queue = gw.get("/cases", params={"status": "followUp", "callbackBefore": "2026-11-06T00:00:00-05:00"}).json()
    assert [c["id"] for c in queue["cases"]] == [case_id]
    gw.post("/admin/clock", json={"set": "2026-11-05T10:05:00-05:00"})
    assert gw.get("/cases", params={"overdue": "true"}).json()["total"] == 1
    done = gw.post(f"/cases/{case_id}/callbacks", json={"reached": True, "outcome": "solved", "closeOut": True})
    assert done.status_code == 201, done.text
    final = gw.get(f"/cases/{case_id}").json()
    assert final["status"] == "closed" and final["closedOutAt"] and final["survey"]["score"] == 9
    assert final["survey"]["channel"] == "whatsapp" and final["typification"]["steps"]
    assert any(t.get("system") == "rr" and t["action"].startswith("GET") for t in final["timeline"])
    assert gw.get("/conversations/" + cid).json()["status"] == "closed"


def test_a_customer_with_a_pending_survey_who_writes_again_starts_a_new_conversation(gateway_client, world):
    from tests.support.cases import plant_case

    gw = gateway_client
    case_id = plant_case(gw.app.runtime, status="closed")
    with gw.app.runtime.crm.write("default") as db:  # the planted case's survey is pending
        db.execute("UPDATE cases SET survey_requested_at = created_at WHERE id = ?", [case_id])
        db.execute(
            "UPDATE conversations SET status = 'closed' WHERE id = (SELECT conversation_id FROM cases WHERE id = ?)",
            [case_id],
        )
    party = world.index("parties", "customer_id")["CUS00000003"]
    chat = Chat(gw, "57" + party["contact_mobile"])
    chat.say("Hola, tengo otra consulta")
    assert "Ley 1581" in chat.last(), "a premium customer is let in, not pointed to the regular channels"
    assert gw.get(f"/cases/{case_id}").json()["survey"]["score"] is None
    chat.say("Acepto")
    chat.say("Si")
    chat.say("8")  # a score while a survey is pending answers it, even from a new conversation
    assert gw.get(f"/cases/{case_id}").json()["survey"]["score"] == 8
