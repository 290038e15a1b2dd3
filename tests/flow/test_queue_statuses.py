"""`GET /conversations` with `status` repeated answers the conversations in any of those states, in one list (the
console's queue reads the queued ones and the advisor's open chats in one call, issue 18)."""

from __future__ import annotations

from tests.flow.chat import Chat


def _queued(gateway_client, wa_id: str) -> str:
    chat = Chat(gateway_client, wa_id)  # not in the base: the hashtag lets it in
    for text in ("#soyclientepremium necesito ayuda", "Acepto", "SÍ"):
        chat.say(text)
    queue = gateway_client.get("/conversations", params={"status": "queued"}).json()["conversations"]
    [mine] = [c["id"] for c in queue if c["waId"] == wa_id]
    return mine


def test_several_statuses_answer_the_conversations_in_any_of_them(gateway_client):
    gateway_client.post("/admin/clock", json={"set": "2026-11-04T09:00:00-05:00", "frozen": True})
    taken, waiting = _queued(gateway_client, "573001234561"), _queued(gateway_client, "573001234562")
    advisor = gateway_client.get("/workforce/agents", params={"role": "asesor", "status": "active"}).json()[0]
    assigned = gateway_client.post(f"/conversations/{taken}/assign", json={"advisor": advisor["username"]})
    assert assigned.status_code == 200, assigned.text

    both = gateway_client.get("/conversations", params={"status": ["queued", "assigned"]}).json()
    assert {(c["id"], c["status"]) for c in both["conversations"]} == {(taken, "assigned"), (waiting, "queued")}
    assert both["total"] == 2 and both["asOf"] == "2026-11-04T09:00:00-05:00"
    one = gateway_client.get("/conversations", params={"status": "assigned"}).json()
    assert [c["id"] for c in one["conversations"]] == [taken] and one["total"] == 1
    none = gateway_client.get("/conversations", params={"status": ["closed", "abandoned"]}).json()
    assert none == {"conversations": [], "total": 0, "asOf": "2026-11-04T09:00:00-05:00"}
