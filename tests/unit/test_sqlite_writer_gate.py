"""One writer at a time per file in this process, queued on a lock (core/sqlite_pool: the pool's writer gate)
rather than on SQLite's busy handler, which polls with sleeps of up to 100 ms: concurrent writes to one sandbox
(a view's write and the kit's journal row) made RR's POST p99 four times its median (issue 18)."""

from __future__ import annotations

import sqlite3
import threading
import time

import pytest

from claro_backoffice.core import sqlite_pool
from claro_backoffice.core.sqlite_pool import Pool


@pytest.fixture()
def pool(tmp_path):
    made = Pool(tmp_path / "s.sqlite", 4, wal=True)
    db = made.lend()
    db.execute("CREATE TABLE marks (n INTEGER)")
    db.close()
    yield made
    made.close()


def _count(pool) -> int:
    db = pool.lend()
    try:
        return db.execute("SELECT COUNT(*) FROM marks").fetchone()[0]
    finally:
        db.close()


def test_a_write_holds_the_gate_until_it_commits_and_a_read_never_takes_it(pool):
    db = pool.lend()
    db.conn.execute("SELECT COUNT(*) FROM marks").fetchone()
    assert not pool.gate.locked()
    db.conn.execute("INSERT INTO marks VALUES (1)")  # sqlite3 begins a transaction
    assert pool.gate.locked()
    db.conn.execute("INSERT INTO marks VALUES (2)")  # the same transaction: the same hold
    db.conn.commit()
    assert not pool.gate.locked()
    db.execute("INSERT INTO marks VALUES (3)")  # sqlite-utils commits it at once: the gate for that statement
    assert not pool.gate.locked()
    db.close()
    assert _count(pool) == 3


def test_the_gate_goes_with_a_rollback_an_explicit_commit_or_the_connection_given_back(pool):
    db = pool.lend()
    db.conn.execute("INSERT INTO marks VALUES (1)")
    db.conn.rollback()
    assert not pool.gate.locked()
    with db.atomic():  # sqlite-utils: BEGIN ... COMMIT as statements
        db.execute("INSERT INTO marks VALUES (2)")
        assert pool.gate.locked()
    assert not pool.gate.locked()
    db.conn.execute("INSERT INTO marks VALUES (3)")
    db.close()  # given back with its transaction open: rolled back, and the gate released
    assert not pool.gate.locked()
    assert _count(pool) == 1


def test_a_held_block_keeps_the_gate_to_its_end_even_when_it_fails(pool):
    db = pool.lend()
    with db.conn.held():
        db.execute("INSERT INTO marks VALUES (1)")
        db.conn.commit()  # folded into the block, as sqlite-utils' own COMMIT was
        assert pool.gate.locked()
    assert not pool.gate.locked()
    with pytest.raises(RuntimeError), db.conn.held():
        db.conn.execute("INSERT INTO marks VALUES (2)")
        raise RuntimeError("the view failed")
    assert not pool.gate.locked()
    db.close()
    assert _count(pool) == 1


def test_a_second_writer_waits_for_the_first_instead_of_failing_on_the_lock(pool):
    """With SQLite's busy timeout at 0, a writer that reached SQLite's lock while another held it would fail at
    once ("database is locked"): it waits at the gate and writes once the first has committed."""
    first = pool.lend()
    first.conn.execute("INSERT INTO marks VALUES (1)")
    outcome: dict[str, object] = {}
    trying = threading.Event()

    def second_writer():
        db = pool.lend()
        db.execute("PRAGMA busy_timeout = 0")
        trying.set()
        try:
            db.conn.execute("INSERT INTO marks VALUES (2)")
            db.conn.commit()
            outcome["ok"] = True
        except sqlite3.OperationalError as exc:
            outcome["error"] = str(exc)
        finally:
            db.close()

    thread = threading.Thread(target=second_writer)
    thread.start()
    assert trying.wait(30)
    time.sleep(0.05)  # the second writer reaches its INSERT while the first still holds the file
    first.conn.commit()
    first.close()
    thread.join(30)
    assert outcome == {"ok": True}
    assert _count(pool) == 2


def test_past_the_gates_timeout_the_writer_goes_on_and_sqlite_names_the_lock(pool, monkeypatch):
    """No new way to hang: a writer still waiting after the busy timeout's length goes on to SQLite, which answers
    as it always did."""
    monkeypatch.setattr(sqlite_pool, "GATE_TIMEOUT_S", 0.01)
    first = pool.lend()
    first.conn.execute("INSERT INTO marks VALUES (1)")
    second = pool.lend()
    second.execute("PRAGMA busy_timeout = 0")
    with pytest.raises(sqlite3.OperationalError, match="locked"):
        second.conn.execute("INSERT INTO marks VALUES (2)")
    second.close()
    first.conn.commit()
    first.close()
    assert not pool.gate.locked()
    assert _count(pool) == 1
