"""SandboxStore's caches (issue 7): the registry read again only after a commit, sandbox connections pooled per
thread, new sandboxes as file copies. Through the store itself, on a tiny world and a one-table seed."""

from __future__ import annotations

import pytest

from claro_backoffice.mocks.kit.store import SandboxStore, UnknownSandbox
from claro_backoffice.world.config import WorldConfig


def _seed(db, world):
    db["notes"].insert_all([{"id": n, "text": f"seeded {n}"} for n in range(3)], pk="id")


@pytest.fixture
def make_store(tmp_path, worlds):
    def make():
        store = SandboxStore("kit-test", tmp_path, WorldConfig(size=20), worlds, _seed)
        store.ensure_default()
        return store

    return make


def _count(db) -> int:
    return db.execute("SELECT COUNT(*) FROM notes").fetchone()[0]


def test_a_second_store_on_the_same_directory_sees_creates_and_deletes_at_once(make_store):
    mine, other = make_store(), make_store()  # as two processes would (split mode, a second server)
    assert not other.exists("extra")
    mine.create("extra")
    assert other.exists("extra") and [s["name"] for s in other.list()] == ["default", "extra"]
    mine.delete("extra")
    assert not other.exists("extra")
    with pytest.raises(UnknownSandbox):
        other.open("extra")


def test_a_pooled_connection_drops_what_a_request_left_uncommitted(make_store):
    store = make_store()
    db = store.open("default")
    db.conn.execute("DELETE FROM notes")  # the raw connection opens a transaction (sqlite_utils' execute commits)
    db.close()
    again = store.open("default")
    assert again is db, "the idle connection is lent again"
    assert _count(again) == 3, "the uncommitted delete was rolled back when the request gave it back"
    other = store.open("default")
    assert other is not again, "two requests at once: two connections"
    again.execute("DELETE FROM notes WHERE id = 0")  # sqlite_utils commits it
    assert _count(other) == 2, "one request sees what another committed"
    again.close()
    again.close()  # twice: given back once
    other.close()
    assert store.open("default") is not store.open("default")


def test_a_cursor_left_unread_does_not_hold_the_next_request_in_the_past(make_store):
    """A cursor not read to its end keeps a WAL read snapshot open (in_transaction stays False): the pool closes
    a connection's cursors when it is given back, or the next request through it would miss later commits."""
    store = make_store()
    db, writer = store.open("default"), store.open("default")
    unread = db.execute("SELECT id FROM notes ORDER BY id")
    assert unread.fetchone() == (0,)  # two rows never read: the statement stays active
    db.close()  # given back while its cursor is still alive
    writer.execute("DELETE FROM notes WHERE id = 2")  # another request commits
    writer.close()
    lent = [store.open("default"), store.open("default")]
    assert any(c is db for c in lent)
    assert [_count(c) for c in lent] == [2, 2], "every pooled connection sees the delete"
    for c in lent:
        c.close()


def test_reset_and_recreate_over_pooled_connections(make_store):
    store = make_store()
    store.create("scratch")
    db = store.open("scratch")
    db.execute("DELETE FROM notes")
    db.conn.commit()
    db.close()
    store.reset("scratch")
    assert _count(store.open("scratch")) == 3, "reset copies the template under the open pooled connection"
    store.open("scratch").execute("DELETE FROM notes").connection.commit()
    store.delete("scratch")
    store.create("scratch")  # a fresh file copy where the deleted one was: nothing of it (nor of its WAL) left
    assert _count(store.open("scratch")) == 3
    assert store.open("scratch") is not db


def test_a_request_checked_on_arrival_opens_without_the_registry_but_never_a_deleted_sandbox(make_store):
    """The kit checks the sandbox once, on arrival; the view's and the journal's connections then come from the
    pool (`checked=True`). Without a pool here (made by another process, or deleted since) the registry decides."""
    mine, other = make_store(), make_store()
    other.create("theirs")
    db = mine.open("theirs", checked=True)  # no pool here yet: read from the registry, then pooled
    assert _count(db) == 3
    db.close()
    mine.delete("theirs")
    with pytest.raises(UnknownSandbox):
        mine.open("theirs", checked=True)
    assert not mine.path("theirs").exists(), "no empty file made for a deleted sandbox"
