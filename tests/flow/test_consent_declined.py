"""Habeas Data (Ley 1581): a customer who declines consent leaves only an anonymous record behind (declined at,
entry path): no text and no number in the gateway's API, its SQLite, or Meta's record as the gateway shows it."""

from __future__ import annotations

import json
import sqlite3

from tests.flow.chat import Chat

NUMBER = "3001112233"
FIRST = "#yosoypremium soy Ana, CC 52999888"
TRACES = (NUMBER, "52999888", "yosoypremium", "Ana,", "No acepto")


def stored_rows(var_dir) -> list[str]:
    """Every row of every table of the gateway's SQLite files, as text."""
    found = []
    for path in sorted(var_dir.rglob("*.sqlite")):
        with sqlite3.connect(path) as db:
            tables = [r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
            for table in tables:
                found += [f"{path.name}:{table}:{r!r}" for r in db.execute(f'SELECT * FROM "{table}"')]
    return found


def test_a_declined_consent_leaves_only_an_anonymous_record(gateway_client):
    gateway_client.post("/admin/clock", json={"set": "2026-11-04T09:00:00-05:00", "frozen": True})
    chat = Chat(gateway_client, "57" + NUMBER)
    chat.say(FIRST)
    assert "Ley 1581" in chat.last()
    chat.say("No acepto")
    assert "Sin tu autorización" in chat.last()  # the polite close still reached the customer

    listed = gateway_client.get("/conversations").json()
    [conversation] = listed["conversations"]
    cid = conversation["id"]
    one = gateway_client.get(f"/conversations/{cid}").json()
    # The anonymous record: declined, when, on which path.
    assert (one["status"], one["closeReason"], one["entry"]) == ("closed", "consentDeclined", "hashtag")
    assert one["consent"]["given"] is False and one["consent"]["at"].startswith("2026-11-04T09:00")
    assert one["closedAt"].startswith("2026-11-04T09:00")
    assert one["messages"] == [] and one["profileName"] is None and one["customerId"] is None
    # What counts declines still counts it.
    closed = gateway_client.get("/conversations", params={"status": "closed"}).json()["conversations"]
    assert [c["closeReason"] for c in closed] == ["consentDeclined"]

    shown = json.dumps([listed, one], ensure_ascii=False)
    rows = stored_rows(gateway_client.app.runtime.settings.var_dir)
    assert any("consentDeclined" in r for r in rows), "the anonymous record is stored"
    journal = gateway_client.get("/admin/journal", params={"system": "meta", "limit": 500}).json()["entries"]
    assert journal == [] or all(e["system"] == "meta" for e in journal)
    meta_shown = json.dumps(journal, ensure_ascii=False)
    for trace in TRACES:
        assert trace not in shown, f"{trace!r} in GET /conversations"
        assert not [r for r in rows if trace in r], f"{trace!r} stored in the gateway"
        assert trace not in meta_shown, f"{trace!r} in what the gateway shows of Meta's journal"


def test_a_customer_who_accepts_keeps_the_conversation(gateway_client):
    """The control: only a decline erases; consent keeps the message and the number."""
    chat = Chat(gateway_client, "57" + NUMBER)
    chat.say(FIRST)
    chat.say("Acepto")
    [conversation] = gateway_client.get("/conversations").json()["conversations"]
    one = gateway_client.get(f"/conversations/{conversation['id']}").json()
    assert one["waId"] == "57" + NUMBER
    assert [m["content"] for m in one["messages"] if m["direction"] == "inbound"] == [FIRST, "Acepto"]
    journal = json.dumps(gateway_client.get("/admin/journal", params={"system": "meta"}).json(), ensure_ascii=False)
    assert NUMBER in journal
