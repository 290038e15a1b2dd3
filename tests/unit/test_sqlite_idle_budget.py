"""A store's idle SQLite connections, all its files together, are capped in number and in idle time
(core/sqlite_pool.IdleBudget): each holds its page cache, and a class of trainees' sandboxes kept thousands open
(issue 18). The ones closed are the least recently given back; one lent again meanwhile stays open."""

from __future__ import annotations

import sqlite3

from claro_backoffice.core.sqlite_pool import IdleBudget, Pool
from claro_backoffice.gateway.cases import store as crm
from tests.support.backoffice import FakeClock


def _pools(tmp_path, budget, n):
    return [Pool(tmp_path / f"s{i}.sqlite", 4, budget=budget) for i in range(n)]


def _is_closed(db) -> bool:
    try:
        db.execute("SELECT 1")
    except sqlite3.ProgrammingError:
        return True
    return False


def _cycle(pool):
    """Lends a connection and gives it back; returns it."""
    db = pool.lend()
    db.execute("SELECT 1")
    db.close()
    return db


def _two_of_three_idle(tmp_path):
    """Three pools sharing a budget of 2; the first and the second each gave a connection back, a second apart."""
    clock = FakeClock()
    pools = _pools(tmp_path, IdleBudget(limit=2, max_idle_s=60, clock=clock), 3)
    a = _cycle(pools[0])
    clock.now += 1
    b = _cycle(pools[1])
    clock.now += 1
    return clock, pools, a, b


def test_above_the_limit_the_least_recently_given_back_is_closed(tmp_path):
    _, (first, second, third), a, b = _two_of_three_idle(tmp_path)
    c = _cycle(third)
    assert [_is_closed(db) for db in (a, b, c)] == [True, False, False]
    assert first.lend() is not a  # a new one: the pool no longer holds the closed one
    assert second.lend() is b and third.lend() is c


def test_a_connection_idle_for_longer_than_allowed_is_closed_at_the_next_give_back(tmp_path):
    clock = FakeClock()
    budget = IdleBudget(limit=10, max_idle_s=15, clock=clock)
    first, second = _pools(tmp_path, budget, 2)
    a = _cycle(first)
    clock.now += 15  # exactly the limit: kept
    b = _cycle(second)
    assert not _is_closed(a)
    clock.now += 0.5  # a idle 15.5 s, b 0.5 s
    _cycle(second)
    assert _is_closed(a) and not _is_closed(b)


def test_given_back_again_it_counts_from_then_and_one_lent_meanwhile_stays_open(tmp_path):
    clock, (first, second, third), a, b = _two_of_three_idle(tmp_path)
    assert _cycle(first) is a  # a is now the most recent
    clock.now += 1
    lent = second.lend()  # b, in use
    assert lent is b
    c = _cycle(third)
    assert [_is_closed(db) for db in (a, b, c)] == [False, False, False]
    lent.close()  # b back: three idle, a the oldest
    assert [_is_closed(db) for db in (a, b, c)] == [True, False, False]


def test_the_crm_keeps_a_sandboxs_wal_and_its_rows_when_its_pooled_connections_are_closed(tmp_path, monkeypatch):
    """The gateway's store: a keeper per file holds the WAL open, so a budget closing a file's last pooled
    connection neither checkpoints nor deletes it (milliseconds on every request), and nothing written is lost."""
    monkeypatch.setattr(crm, "IDLE_BUDGET", 1)
    store = crm.CrmStore(tmp_path)
    try:
        with store.write("s1") as db:
            db.execute(
                "INSERT INTO conversations (id, wa_id, phone_number_id, entry, status, created_at) VALUES "
                "('CNV-000001', '573130568954', '106540352242922', 'base', 'queued', '2026-11-04T08:00:00-05:00')"
            )
        with store.read("s2") as db:  # s1's one idle connection goes over the budget of 1
            db.execute("SELECT 1")
        assert (tmp_path / "sandboxes" / "s1.sqlite-wal").exists()
        with store.read("s1") as db:
            assert [r[0] for r in db.execute("SELECT id FROM conversations")] == ["CNV-000001"]
    finally:
        store.close()


def test_a_budget_of_none_closes_every_connection_given_back(tmp_path):
    budget = IdleBudget(limit=0, max_idle_s=60, clock=FakeClock())
    (pool,) = _pools(tmp_path, budget, 1)
    a = _cycle(pool)
    assert _is_closed(a)
    assert pool.lend() is not a
