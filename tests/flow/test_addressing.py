"""How the texts address the customer (issue 14): a person by first name, a company (NIT) by its whole name, in
the advisor's welcome, the closing question, the closing script and the survey invitation, as Meta delivered them."""

from __future__ import annotations

from tests.flow.chat import Chat

COMPANY = "CUS00000004"  # Inversiones Uribe S.A.S., NIT, premium, home account 62502115
PERSON = "CUS00000003"


def served_and_closed(gw, party: dict, account: str) -> Chat:
    """The customer writes, consents, is served by an advisor, a SAC case is solved and closed, and the customer
    has nothing else ("¿Hay algo más?" answered no)."""
    gw.post("/admin/clock", json={"set": "2026-11-04T09:00:00-05:00", "frozen": True})
    chat = Chat(gw, "57" + party["contact_mobile"])
    for text in ("Hola", "Acepto", "Si"):
        chat.say(text)
    [conversation] = gw.get("/conversations", params={"status": "queued"}).json()["conversations"]
    cid = conversation["id"]
    assert gw.post(f"/conversations/{cid}/assign", json={"advisor": "asesor.premium03"}).status_code == 200
    validated = gw.post(f"/conversations/{cid}/identity", json={"documentNumber": party["document_number"]})
    assert validated.status_code == 200, validated.text
    case = {
        "conversationId": cid,
        "customerId": party["customer_id"],
        "accountId": account,
        "category": "SAC",
        "product": "internet",
        "description": "Pregunta por el valor de la factura",
    }
    opened = gw.post("/cases", json=case)
    assert opened.status_code == 201, opened.text
    case_id = opened.json()["id"]
    body = {"code": "SAC-FAC-04", "notes": "Se explica la factura", "resolvedFirstContact": True}
    typed = gw.post(f"/cases/{case_id}/typification", json=body, headers={"Idempotency-Key": f"addr-{case_id}"})
    assert typed.status_code == 200, typed.text
    closed = gw.post(f"/cases/{case_id}/close", json={"outcome": "closed", "nothingPending": True})
    assert closed.status_code == 200, closed.text
    chat.say("No")
    return chat


def test_a_company_is_addressed_by_its_whole_name(gateway_client, world):
    party = world.index("parties", "customer_id")[COMPANY]
    assert party["document_type"] == "NIT" and party["business_name"] == "Inversiones Uribe S.A.S."
    received = served_and_closed(gateway_client, party, "62502115").received()
    welcome, question, closing, survey = received[-4:]
    assert welcome.startswith("¡Hola Inversiones Uribe S.A.S.! Te saluda asesor.premium03"), welcome
    assert question.startswith("Inversiones Uribe S.A.S., tu solicitud quedó resuelta. ¿Hay algo más"), question
    assert closing.startswith("Inversiones Uribe S.A.S., fue un gusto atenderte."), closing
    assert "Inversiones Uribe S.A.S." in survey and "Inversiones," not in survey, survey


def test_a_person_is_addressed_by_first_name(gateway_client, world):
    party = world.index("parties", "customer_id")[PERSON]
    first = party["first_name"]
    assert party["document_type"] != "NIT" and " " not in first
    received = served_and_closed(gateway_client, party, "46271064").received()
    welcome, question, closing, survey = received[-4:]
    assert welcome.startswith(f"¡Hola {first}! Te saluda asesor.premium03"), welcome
    assert question.startswith(f"{first}, tu solicitud quedó resuelta. ¿Hay algo más"), question
    assert closing.startswith(f"{first}, fue un gusto atenderte."), closing
    assert first in survey and party["last_name"].split(" ")[0] not in survey, survey
