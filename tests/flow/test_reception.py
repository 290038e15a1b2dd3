"""Reception: the bot, consent, the queue, the advisor's welcome, and what Meta's webhook guarantees."""

from __future__ import annotations

from tests.flow.chat import Chat
from tests.support.advisors import active_asesor

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
    advisor = active_asesor(gateway_client)
    taken = gateway_client.post(f"/conversations/{conversation['id']}/assign", json={"advisor": advisor["username"]})
    assert taken.status_code == 200, taken.text
    assert taken.json()["status"] == "assigned" and taken.json()["advisor"] == advisor["username"]
    assert party["first_name"] in chat.last() and f"Te saluda {advisor['firstName']}," in chat.last()
    assert advisor["username"] not in chat.last()


def test_meta_subscription_handshake(gateway_client):
    ok = gateway_client.get(
        "/whatsapp/webhook",
        token=None,
        params={
            "hub.mode": "subscribe",
            "hub.verify_token": "claro-premium-verify-token",
            "hub.challenge": "1158201444",
        },
    )
    assert ok.status_code == 200 and ok.text == "1158201444"
    wrong = gateway_client.get(
        "/whatsapp/webhook",
        token=None,
        params={"hub.mode": "subscribe", "hub.verify_token": "otro", "hub.challenge": "1158201444"},
    )
    assert wrong.status_code == 403 and "1158201444" not in wrong.text


def test_a_wrong_signature_stores_nothing_and_a_repeat_is_one_message(gateway_client):
    chat = Chat(gateway_client, "573001234567")
    meta = gateway_client.backoffice.client("meta")
    bad = meta.post(
        f"/simulator/customers/{chat.wa_id}/messages", json={"text": "#soyclientepremium", "signature": "invalid"}
    )
    assert bad.json()["delivery"]["status_code"] == 401
    assert gateway_client.get("/conversations").json()["total"] == 0
    first = chat.say("#soyclientepremium sí quiero atención")
    again = meta.post(f"/simulator/deliveries/{first['delivery']['delivery_id']}/redeliver")
    assert again.status_code in (200, 201) and again.json()["status_code"] == 200, again.text
    [conversation] = gateway_client.get("/conversations").json()["conversations"]
    assert conversation["entry"] == "hashtag"
    inbound = [
        m
        for m in gateway_client.get(f"/conversations/{conversation['id']}").json()["messages"]
        if m["direction"] == "inbound"
    ]
    assert len(inbound) == 1 and "sí" in inbound[0]["content"]


def test_meta_down_the_customers_message_is_kept_and_the_advisor_is_told(gateway_client, world):
    party = premium_customer(world)
    chat = Chat(gateway_client, "57" + party["contact_mobile"])
    chat.say("Hola")
    chat.say("Acepto")
    gateway_client.backoffice.refuse("meta")
    chat.say("Si")  # the webhook still answers 200: the message is stored, the bot's reply is recorded as failed
    [conversation] = gateway_client.get("/conversations", params={"status": "queued"}).json()["conversations"]
    messages = gateway_client.get(f"/conversations/{conversation['id']}").json()["messages"]
    assert messages[-2]["direction"] == "inbound" and messages[-2]["content"] == "Si"
    assert messages[-1]["author"] == "bot" and messages[-1]["state"] == "failed" and "meta" in messages[-1]["error"]
    advisor = active_asesor(gateway_client)["username"]
    taken = gateway_client.post(f"/conversations/{conversation['id']}/assign", json={"advisor": advisor})
    assert taken.status_code == 503 and taken.json()["system"] == "meta", taken.text
    assert gateway_client.get(f"/conversations/{conversation['id']}").json()["status"] == "queued"
    gateway_client.backoffice.accept("meta")
    gateway_client.app.runtime.backoffice.reset_breakers()
    taken = gateway_client.post(f"/conversations/{conversation['id']}/assign", json={"advisor": advisor})
    assert taken.status_code == 200 and taken.json()["status"] == "assigned"


def test_a_message_state_follows_statuses_in_any_order_and_the_window_rule(gateway_client, world):
    party = premium_customer(world)
    gateway_client.post("/admin/clock", json={"set": "2026-11-04T08:00:00-05:00", "frozen": True})
    chat = Chat(gateway_client, "57" + party["contact_mobile"])
    for text in ("Hola", "Acepto", "sí"):
        chat.say(text)
    [conversation] = gateway_client.get("/conversations", params={"status": "queued"}).json()["conversations"]
    cid = conversation["id"]
    advisor = active_asesor(gateway_client, 2)["username"]
    assert gateway_client.post(f"/conversations/{cid}/assign", json={"advisor": advisor}).status_code == 200
    sent = gateway_client.post(f"/conversations/{cid}/messages", json={"text": "Ya reviso tu cuenta."})
    assert sent.status_code == 201 and sent.json()["state"] == "inProgress"
    wamid = sent.json()["wamid"]
    meta = gateway_client.backoffice.client("meta")
    for status in ("read", "delivered"):  # read arrives first; delivered later must not move it back
        assert meta.post(f"/simulator/messages/{wamid}/statuses", json={"status": status}).status_code in (200, 201)
    [mine] = [m for m in gateway_client.get(f"/conversations/{cid}").json()["messages"] if m["wamid"] == wamid]
    assert (mine["state"], mine["whatsappStatus"]) == ("completed", "read")
    # A day later the window is closed: free-form is refused, a template goes out.
    gateway_client.post("/admin/clock", json={"advance": "P1DT1M"})
    late = gateway_client.post(f"/conversations/{cid}/messages", json={"text": "¿Sigues ahí?"})
    assert late.status_code == 409 and "template" in late.json()["detail"]
    template = gateway_client.post(
        f"/conversations/{cid}/messages",
        json={"template": "seguimiento_caso", "values": [party["first_name"], "tu caso", "seguimos atentos"]},
    )
    assert template.status_code == 201 and template.json()["template"] == "seguimiento_caso"


def test_a_signature_over_raw_utf8_with_non_ascii_text_verifies(gateway_client):
    meta = gateway_client.backoffice.client("meta")
    changed = meta.patch("/simulator/business-numbers/106540352242922/settings", json={"escape_unicode": False})
    assert changed.status_code == 200, changed.text
    sent = Chat(gateway_client, "573001234568").say("#yosoypremium sí, por favor: atención")
    assert (
        "sí".encode()
        in sent["delivery"]["payload"]["entry"][0]["changes"][0]["value"]["messages"][0]["text"]["body"].encode()
    )
    [conversation] = gateway_client.get("/conversations").json()["conversations"]
    inbound = gateway_client.get(f"/conversations/{conversation['id']}").json()["messages"][0]
    assert inbound["content"] == "#yosoypremium sí, por favor: atención"
