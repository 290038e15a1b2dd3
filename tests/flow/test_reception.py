"""Reception: the bot, consent, the queue, the advisor's welcome, and what Meta's webhook guarantees."""
from __future__ import annotations

import hashlib
import hmac
import json

from tests.flow.chat import Chat

SECRET = "5f3c9a1e7b2d4c6e8f0a1b2c3d4e5f60"


def premium_customer(world):
    return next(p for p in world.tables["parties"] if p.get("premium") and p["customer_id"] == "CUS00000003")


def test_a_premium_customer_reaches_an_advisor(gateway_client, world):
    party = premium_customer(world)
    chat = Chat(gateway_client, "57" + party["contact_mobile"])
    chat.say("Hola, buenos días")
    assert "Ley 1581" in chat.last()
    chat.say("Acepto")
    assert "asesor" in chat.last()
    chat.say("SÍ")
    queue = gateway_client.get("/conversations", params={"status": "queued"}).json()
    assert queue["total"] == 1
    conversation = queue["conversations"][0]
    assert conversation["customerId"] == "CUS00000003" and conversation["entry"] == "base"
    assert conversation["consent"]["given"] and conversation["advisorRequestedAt"]
    taken = gateway_client.post(f"/conversations/{conversation['id']}/assign", json={"advisor": "asesor.premium01"})
    assert taken.status_code == 200, taken.text
    assert taken.json()["status"] == "assigned"
    assert party["first_name"] in chat.last() and "asesor.premium01" in chat.last()
