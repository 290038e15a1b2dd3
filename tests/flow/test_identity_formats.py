"""The advisor's document validation: the gateway checks the document's shape per type (world/identifiers.py)
before asking RR and AC, and a 400 from them is their disagreement with the gateway (a 502 naming them)."""

from __future__ import annotations

from tests.flow.chat import Chat
from tests.support.advisors import active_asesor


def assigned_conversation(gateway_client, world) -> tuple[str, dict]:
    party = next(p for p in world.tables["parties"] if p.get("premium") and p.get("contact_mobile"))
    chat = Chat(gateway_client, "57" + party["contact_mobile"])
    for text in ("Hola", "Acepto", "Sí"):
        chat.say(text)
    [conversation] = gateway_client.get("/conversations", params={"status": "queued"}).json()["conversations"]
    advisor = active_asesor(gateway_client)["username"]
    taken = gateway_client.post(f"/conversations/{conversation['id']}/assign", json={"advisor": advisor})
    assert taken.status_code == 200, taken.text
    return conversation["id"], party


def test_a_document_that_fits_no_type_is_a_422_before_any_system_is_asked(gateway_client, world):
    cid, _ = assigned_conversation(gateway_client, world)
    asked_before = len(gateway_client.backoffice.calls_to("rr")) + len(gateway_client.backoffice.calls_to("ac"))
    refused = {
        ("CC", "12345"): "a CC has 6 or 8 digits, or 10 digits starting with 10",  # 5 digits: RR takes 6-10
        ("CC", "1234567"): "a CC has 6 or 8 digits, or 10 digits starting with 10",  # 7: no series has it
        ("CC", "2012345678"): "a CC has 6 or 8 digits, or 10 digits starting with 10",  # 10, not 10...
        ("CE", "12345678"): "a CE has 6 or 7 digits",
        # DIAN: 800153993 weighted 41,37,29,23,19,17,13,7,3 -> 686; 686 mod 11 = 4; 11 - 4 = 7
        ("NIT", "8001539930"): "the check digit of 800153993 is 7",
        (None, "12345"): "is not a CC, CE or NIT",
    }
    for (kind, number), expected in refused.items():
        body = {"documentNumber": number} | ({"documentType": kind} if kind else {})
        answer = gateway_client.post(f"/conversations/{cid}/identity", json=body)
        assert answer.status_code == 422, (body, answer.text)
        assert answer.headers["content-type"].startswith("application/problem+json")
        assert expected in answer.json()["detail"] and number in answer.json()["detail"], answer.json()
        assert answer.json()["type"].endswith("/invalid-document")
    asked = len(gateway_client.backoffice.calls_to("rr")) + len(gateway_client.backoffice.calls_to("ac"))
    assert asked == asked_before
    assert gateway_client.get(f"/conversations/{cid}").json()["document"] is None


def test_a_400_from_rr_or_ac_is_a_502_naming_the_system(gateway_client, world):
    cid, party = assigned_conversation(gateway_client, world)
    for system in ("rr", "ac"):
        office = gateway_client.backoffice.client(system)
        fault = {"kind": "error", "status": 400, "path": "/subscribers", "method": "GET"}
        assert office.post("/__admin/faults", json=fault).status_code == 201
    answer = gateway_client.post(
        f"/conversations/{cid}/identity",
        json={"documentType": party["document_type"], "documentNumber": party["document_number"]},
    )
    assert answer.status_code == 502, answer.text
    assert answer.json()["system"] == "rr" and answer.json()["type"].endswith("/rejected-request")
    assert "rr rejected the gateway's request" in answer.json()["detail"]
