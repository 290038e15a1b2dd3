"""A file in use keeps a keeper connection, so closing its pooled connections never checkpoints and deletes its WAL
(milliseconds each time); once nothing of the file is lent or idle, the keeper waits in a budget of its own and
closes, and with that last close SQLite folds the WAL into the file (core/sqlite_pool.Pool). 100 trainees'
sandboxes kept ~1,400 keepers open, ~0.1 MB and three file descriptors each (issue 18)."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from claro_backoffice.core.sqlite_pool import IdleBudget, Pool
from claro_backoffice.mocks.kit import store as kit_store
from claro_backoffice.mocks.kit.store import SandboxStore
from claro_backoffice.world.config import WorldConfig
from tests.support.backoffice import FakeClock
from tests.support.open_files import open_under


def _pools(tmp_path, clock, n, keeper_seconds=30):
    """n WAL files whose connections close as soon as they are given back; their keepers wait keeper_seconds."""
    connections = IdleBudget(limit=0, max_idle_s=60, clock=clock)
    keepers = IdleBudget(limit=10, max_idle_s=keeper_seconds, clock=clock)
    return [
        Pool(tmp_path / f"s{i}.sqlite", 4, autocommit=True, wal=True, budget=connections, keepers=keepers)
        for i in range(n)
    ]


def _write(pool, value):
    db = pool.lend()
    db.execute("CREATE TABLE IF NOT EXISTS t (v TEXT)")
    db.execute("INSERT INTO t VALUES (?)", [value])
    db.close()


def _wal(pool) -> Path:
    return Path(str(pool.path) + "-wal")


def _rows(path) -> list[str]:
    conn = sqlite3.connect(path)
    try:
        return [r[0] for r in conn.execute("SELECT v FROM t ORDER BY rowid")]
    finally:
        conn.close()


def test_closing_a_files_last_pooled_connection_leaves_its_wal_to_the_keeper(tmp_path):
    (pool,) = _pools(tmp_path, FakeClock(), 1)
    _write(pool, "a")  # the connection is closed as it comes back (a budget of 0)
    assert _wal(pool).exists() and _wal(pool).stat().st_size > 0, "not checkpointed: the keeper holds it"
    assert _rows(pool.path) == ["a"]


def test_a_file_nobody_uses_closes_its_keeper_and_its_wal_is_folded_in(tmp_path):
    clock = FakeClock()
    first, second = _pools(tmp_path, clock, 2)
    _write(first, "kept")
    clock.now += 30  # exactly the keeper's time: it stays
    _write(second, "x")
    assert _wal(first).exists()
    clock.now += 0.5
    _write(second, "y")  # second's keeper goes idle again: the budget looks at first's, 30.5 s idle
    assert not _wal(first).exists(), "the keeper's close was the file's last: WAL checkpointed and removed"
    assert _rows(first.path) == ["kept"]
    assert _wal(second).exists()
    _write(first, "again")  # used again: a new keeper
    assert _rows(first.path) == ["kept", "again"] and _wal(first).exists()


def test_a_keeper_waiting_to_close_stays_open_once_its_file_is_used_again(tmp_path):
    clock = FakeClock()
    first, second = _pools(tmp_path, clock, 2)
    _write(first, "a")
    clock.now += 20
    lent = first.lend()  # first in use again: its keeper no longer waits
    clock.now += 20
    _write(second, "x")  # first's keeper went idle 40 s ago, but is in use
    lent.close()  # back, and closed at once (budget 0): first is idle from now
    assert _wal(first).exists()
    clock.now += 29
    _write(second, "y")
    assert _wal(first).exists(), "29 s since first was last used"
    clock.now += 2
    _write(second, "z")
    assert not _wal(first).exists()


def test_deleting_a_file_closes_its_keeper(tmp_path):
    (pool,) = _pools(tmp_path, FakeClock(), 1)
    _write(pool, "a")
    pool.close()
    assert not _wal(pool).exists(), "no connection left open on the file"


def test_a_mock_sandbox_nobody_uses_holds_no_file_open(tmp_path, worlds, monkeypatch):
    """Through a mock's store, with no request coming after (the server sweeps every few seconds, core/idle.py):
    sandboxes created and used hold their files while in use, none once idle, and keep what was written."""
    monkeypatch.setattr(kit_store, "IDLE_SECONDS", 0.0)
    monkeypatch.setattr(kit_store, "KEEPER_SECONDS", 0.0)
    store = SandboxStore(
        "kit-test", tmp_path, WorldConfig(size=20), worlds, lambda db, world: db["notes"].insert({"id": 1})
    )
    store.ensure_default()
    sandboxes = store.sandbox_dir
    for n in range(5):
        store.create(f"t{n}")
        db = store.open(f"t{n}")
        db.execute("INSERT INTO notes (id) VALUES (?)", [n + 10])
        assert open_under(sandboxes) >= 3, "in use: the file, its WAL and its shared memory"
        db.close()
    assert open_under(sandboxes) > 0
    store.close_idle()  # the idle connections: past 0 s; their keepers start waiting
    store.close_idle()  # the keepers, past 0 s
    assert open_under(sandboxes) == 0
    for n in range(5):
        check = store.open(f"t{n}")
        assert [r[0] for r in check.execute("SELECT id FROM notes ORDER BY id")] == [1, n + 10]
        check.close()
