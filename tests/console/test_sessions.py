"""Console sessions on the server: they expire, and clients that never keep their cookie can't grow them forever."""

from __future__ import annotations

from claro_backoffice.console.sessions import SessionStore


def test_a_session_expires_after_its_minutes():
    now = [1000.0]
    store = SessionStore(minutes=10, monotonic=lambda: now[0])
    session = store.new()
    now[0] += 599
    assert store.get(session.id) is session
    now[0] += 2
    assert store.get(session.id) is None


def test_unsigned_sessions_are_forgotten_first_when_the_store_is_full():
    store = SessionStore(minutes=10, limit=4)
    signed = store.new()
    signed.token = "t"
    anonymous = [store.new() for _ in range(3)]
    store.new()  # the fifth: half of the store's unsigned sessions go, oldest first
    assert store.get(signed.id) is signed
    assert store.get(anonymous[0].id) is None and store.get(anonymous[1].id) is None
    assert store.get(anonymous[2].id) is anonymous[2]


def test_csrf_tokens_are_compared_whole():
    session = SessionStore(minutes=10).new()
    assert session.csrf_ok(session.csrf)
    assert not session.csrf_ok(session.csrf[:-1]) and not session.csrf_ok("") and not session.csrf_ok(None)
