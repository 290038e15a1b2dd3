"""The event log keeps its newest EVENT_LOG_RETENTION events; a store's checkpoint truncates every WAL it wrote
(sandboxes and event logs) and the gateway's CRM's; idle housekeeping runs them once the server is quiet."""

from __future__ import annotations

import asyncio
import threading
from pathlib import Path

from claro_backoffice.core.idle import IdleHousekeeping
from claro_backoffice.gateway.cases.store import CrmStore
from claro_backoffice.mocks.kit.events import EventLog
from claro_backoffice.mocks.kit.settings import MockSettings
from claro_backoffice.mocks.kit.store import SandboxStore
from claro_backoffice.world.config import WorldConfig
from tests.support.backoffice import FakeClock
from tests.support.open_files import open_under


def test_the_event_log_keeps_its_newest_events(tmp_path):
    log = EventLog(tmp_path / "events.sqlite", retention=5)
    for n in range(1, 13):
        log.append("gestion", "lls.created", "acc", {"n": n})
    assert [(e["id"], e["payload"]["n"]) for e in log.read()] == [(8, 8), (9, 9), (10, 10), (11, 11), (12, 12)]


def test_the_retention_settings_and_their_defaults():
    assert (MockSettings().event_retention, MockSettings().delivery_retention) == (10000, 1000)
    read = MockSettings.from_env({"EVENT_LOG_RETENTION": "50", "MOCK_DELIVERY_RETENTION": "7"})
    assert (read.event_retention, read.delivery_retention) == (50, 7)


def _wal(path: Path) -> int:
    wal = Path(str(path) + "-wal")
    return wal.stat().st_size if wal.exists() else 0


def test_a_store_checkpoint_truncates_its_sandboxes_and_event_logs(tmp_path, worlds):
    store = SandboxStore(
        "kit-test",
        tmp_path,
        WorldConfig(size=20),
        worlds,
        lambda db, world: db["notes"].insert({"id": 0, "text": "seeded"}, pk="id"),
    )
    store.ensure_default()
    db = store.open("default")
    db["notes"].insert_all([{"id": n, "text": "x" * 500} for n in range(1, 200)])
    db.conn.commit()
    db.close()
    store.events("default").append("kit-test", "note.added", "1", {"text": "y" * 500})
    sandbox, events = store.path("default"), store.events("default").path
    assert _wal(sandbox) > 0 and _wal(events) > 0
    store.checkpoint()
    assert (_wal(sandbox), _wal(events)) == (0, 0)
    db = store.open("default")
    assert db.execute("SELECT COUNT(*) FROM notes").fetchone()[0] == 200, "nothing lost"
    db.close()


def test_deleting_a_sandbox_closes_its_event_logs_connections(tmp_path, worlds):
    """Each thread that used a sandbox's event log kept a connection to it, and deleting the sandbox (which
    withdraws the system's events) opened one more: a class's deleted sandboxes held hundreds (issue 18)."""
    store = SandboxStore(
        "kit-test", tmp_path, WorldConfig(size=20), worlds, lambda db, world: db["notes"].insert({"id": 0})
    )
    store.ensure_default()
    events_dir = tmp_path / "events"
    for name in ("t1", "t2"):
        store.create(name)
        store.events(name).append("kit-test", "note.added", "1", {"text": "y"})
        worker = threading.Thread(target=lambda n=name: store.events(n).read("note."))  # a second thread's
        worker.start()
        worker.join()
    assert open_under(events_dir) >= 2 * 2
    store.delete("t1")
    store.delete("t2")
    assert open_under(events_dir) == 0
    store.create("t1")  # a new sandbox of the same name starts with no events of this system
    assert store.events("t1").read() == []


def test_the_crm_checkpoint_truncates_every_file_it_opened(tmp_path):
    crm = CrmStore(tmp_path)
    with crm.write("default") as db:
        db.execute("CREATE TABLE IF NOT EXISTS scratch (text TEXT)")
        db.execute("INSERT INTO scratch VALUES (?)", ["z" * 4000])
    with crm.registry() as db:
        db.execute("SELECT 1")
    assert _wal(crm.path("default")) > 0
    crm.checkpoint()
    assert (_wal(crm.path("default")), _wal(tmp_path / "registry.sqlite")) == (0, 0)
    crm.close()


def _request(housekeeping):
    async def send(_message):
        pass

    async def receive():
        return {"type": "http.request", "body": b""}

    return housekeeping({"type": "http", "path": "/"}, receive, send)


def test_housekeeping_runs_once_the_server_is_idle_and_again_only_after_activity():
    clock, runs = FakeClock(), []
    seen_in_flight = []

    async def app(scope, receive, send):
        clock.advance(60)  # a long request: idle time is counted from its end, not its start
        seen_in_flight.append(housekeeping.tick())

    housekeeping = IdleHousekeeping(app, [lambda: runs.append(clock())], idle_seconds=30, clock=clock)
    asyncio.run(_request(housekeeping))
    assert seen_in_flight == [False], "never while a request is in flight"
    clock.advance(29)
    assert not housekeeping.tick() and runs == []
    clock.advance(1)
    assert housekeeping.tick() and runs == [1090.0]
    clock.advance(300)
    assert not housekeeping.tick() and runs == [1090.0], "nothing new happened: no second checkpoint"
    asyncio.run(_request(housekeeping))
    clock.advance(30)
    assert housekeeping.tick() and len(runs) == 2


def test_stopping_runs_the_tasks_a_last_time_and_a_failing_task_does_not_stop_the_others():
    runs = []

    def broken():
        raise RuntimeError("disk full")

    housekeeping = IdleHousekeeping(None, [broken, lambda: runs.append("checkpointed")], poll_seconds=3600)
    housekeeping.start()
    housekeeping.stop()
    assert runs == ["checkpointed"]


def test_the_sweeps_run_every_poll_while_the_server_is_busy():
    """The stores' idle connections are swept every few seconds under load too; the checkpoints wait for idleness."""
    swept, checkpointed = threading.Event(), []
    count = []

    def sweep():
        count.append(1)
        if len(count) >= 3:
            swept.set()

    housekeeping = IdleHousekeeping(
        None, [lambda: checkpointed.append(1)], idle_seconds=3600, poll_seconds=0.01, sweeps=[sweep]
    )
    housekeeping.activity()  # busy: never an hour without a request
    housekeeping.start()
    try:
        assert swept.wait(30), "three sweeps"
        assert checkpointed == []
    finally:
        housekeeping.stop()
    assert checkpointed == [1], "the last run at the stop"
