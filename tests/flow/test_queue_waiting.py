"""The queue says how long each customer has waited: `GET /conversations` answers `asOf`, the sandbox's now, so a
client (the console) reads waiting times against the virtual clock rather than its own."""

from __future__ import annotations

import datetime as dt

from tests.flow.chat import Chat


def test_the_queue_answers_the_sandbox_now_to_read_waiting_times_against(gateway_client):
    gateway_client.post("/admin/clock", json={"set": "2026-11-04T09:00:00-05:00", "frozen": True})
    chat = Chat(gateway_client, "573001234567")  # not in the base: the hashtag lets it in
    chat.say("#soyclientepremium necesito ayuda")
    chat.say("Acepto")
    chat.say("SÍ")
    gateway_client.post("/admin/clock", json={"advance": "PT7M30S"})
    queue = gateway_client.get("/conversations", params={"status": "queued"}, token="dev-asesor").json()
    [waiting] = queue["conversations"]
    asked = dt.datetime.fromisoformat(waiting["advisorRequestedAt"])
    now = dt.datetime.fromisoformat(queue["asOf"])
    assert asked == dt.datetime.fromisoformat("2026-11-04T09:00:00-05:00")
    assert (now - asked).total_seconds() == 450
