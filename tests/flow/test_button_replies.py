"""A tapped WhatsApp button: the bot decides on its id, the conversation keeps what the customer saw (its title)."""

from __future__ import annotations

from tests.flow.chat import Chat


def premium_party(world) -> dict:
    return next(p for p in world.tables["parties"] if p.get("premium") and p.get("contact_mobile"))


def tap(gateway_client, chat: Chat, button_id: str) -> None:
    """Tap `button_id` on the newest business message that offers it (as the customer's phone would)."""
    meta = gateway_client.backoffice.client("meta")
    messages = meta.get(f"/simulator/customers/{chat.wa_id}/conversation").json()["messages"]
    offering = [
        m
        for m in messages
        if m["direction"] == "outbound"
        and any(
            b["reply"]["id"] == button_id
            for b in (((m.get("content") or {}).get("interactive") or {}).get("action") or {}).get("buttons", [])
        )
    ]
    assert offering, f"no business message offers {button_id}"
    body = {"button_reply": {"context_wamid": offering[-1]["wamid"], "id": button_id}}
    answer = meta.post(f"/simulator/customers/{chat.wa_id}/messages", json=body)
    assert answer.status_code == 201 and answer.json()["delivery"]["status_code"] == 200, answer.text


def test_taps_are_stored_with_the_buttons_title_and_id(gateway_client, world):
    chat = Chat(gateway_client, "57" + premium_party(world)["contact_mobile"])
    chat.say("Hola")
    tap(gateway_client, chat, "consent_yes")
    tap(gateway_client, chat, "asesor_si")
    [conversation] = gateway_client.get("/conversations", params={"status": "queued"}).json()["conversations"]
    inbound = [
        (m["content"], m["kind"], m["buttonId"])
        for m in gateway_client.get(f"/conversations/{conversation['id']}").json()["messages"]
        if m["direction"] == "inbound"
    ]
    # bot.py's CONSENT_BUTTONS and ADVISOR_BUTTONS: (id, title); the typed "Hola" has no button
    assert inbound == [
        ("Hola", "text", None),
        ("Acepto", "interactive", "consent_yes"),
        ("Sí", "interactive", "asesor_si"),
    ]
