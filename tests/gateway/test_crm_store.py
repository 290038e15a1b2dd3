"""The gateway's own SQLite (gateway/cases/store.py): pooled connections never carry one block's state into the
next, a write is committed when its block ends (or not at all), and a deleted sandbox starts empty."""

from __future__ import annotations

import sqlite3

import pytest

from claro_backoffice.gateway.cases.store import CrmStore, rows

ROW = {
    "id": "CNV-000001",
    "wa_id": "573130568954",
    "phone_number_id": "106540352242922",
    "entry": "base",
    "status": "queued",
    "created_at": "2026-11-04T08:00:00-05:00",
}


def _insert(db, row=ROW):
    db.execute(f"INSERT INTO conversations ({', '.join(row)}) VALUES ({', '.join('?' * len(row))})", list(row.values()))


def _ids(store, sandbox="s1"):
    with store.read(sandbox) as db:
        return [r["id"] for r in rows(db.execute("SELECT id FROM conversations ORDER BY id"))]


def test_a_write_is_there_after_its_block_and_gone_when_the_block_fails(tmp_path):
    store = CrmStore(tmp_path)
    with store.write("s1") as db:
        _insert(db)
    assert _ids(store) == ["CNV-000001"]
    with pytest.raises(RuntimeError), store.write("s1") as db:
        _insert(db, dict(ROW, id="CNV-000002"))
        raise RuntimeError("the request failed half-way")
    assert _ids(store) == ["CNV-000001"]
    store.close()


def test_a_transaction_left_open_is_rolled_back_before_the_connection_is_lent_again(tmp_path):
    store = CrmStore(tmp_path)
    with store.read("s1") as db:
        db.execute("BEGIN IMMEDIATE")
        _insert(db)  # never committed: the block ends with the transaction open
    with store.read("s1") as db:
        assert not db.conn.in_transaction
        assert rows(db.execute("SELECT id FROM conversations")) == []
    with store.write("s1") as db:  # the write lock was released too
        _insert(db)
    assert _ids(store) == ["CNV-000001"]
    store.close()


def test_a_deleted_sandbox_starts_empty_and_a_connection_lent_before_is_not_pooled(tmp_path):
    store = CrmStore(tmp_path)
    with store.write("s1") as db:
        _insert(db)
    with store.read("s1") as lent:
        store.delete("s1")
        assert not store.exists("s1")
    with pytest.raises(sqlite3.ProgrammingError):
        lent.execute("SELECT 1")  # closed on return: it belonged to the deleted file
    assert _ids(store) == []  # schema made again, no rows
    store.close()


def test_reset_empties_every_table_and_the_registry_outlives_it(tmp_path):
    store = CrmStore(tmp_path)
    with store.write("s1") as db:
        _insert(db)
    with store.registry() as reg:
        tables = reg.table_names()
    store.reset("s1")
    assert _ids(store) == []
    with store.registry() as reg:
        assert reg.table_names() == tables
    store.close()


def test_a_cursor_left_unread_does_not_hold_the_next_block_in_the_past(tmp_path):
    """A cursor not read to its end keeps its statement, and a WAL read snapshot, open while in_transaction stays
    False: the pool closes a connection's cursors when it is given back, or the next block through it would miss
    later commits (the mocks' pool had this fix; the CRM's now shares it, core/sqlite_pool.py)."""
    store = CrmStore(tmp_path)
    with store.write("s1") as db:
        for n in (1, 2, 3):
            _insert(db, dict(ROW, id=f"CNV-00000{n}"))
    with store.read("s1") as db:
        unread = db.execute("SELECT id FROM conversations ORDER BY id")
        assert unread.fetchone() == ("CNV-000001",)  # two rows never read: the statement stays active
    elsewhere = sqlite3.connect(store.path("s1"))  # another process, or another pooled connection, commits
    elsewhere.execute("DELETE FROM conversations WHERE id = 'CNV-000002'")
    elsewhere.commit()
    elsewhere.close()
    with store.read("s1") as db:
        assert db.conn is unread.connection  # the same pooled connection, lent again
        assert [r["id"] for r in rows(db.execute("SELECT id FROM conversations ORDER BY id"))] == [
            "CNV-000001",
            "CNV-000003",
        ]
    store.close()
