"""Per-sandbox SQLite stores for one system.

var/templates/<system>/<world key>-<code fingerprint>.sqlite   the seeded state, built once per world and code
var/<system>/registry.sqlite                                    which sandboxes exist, from which seed and template
var/<system>/sandboxes/<name>.sqlite                            a sandbox: its data, faults, clock and journal

A sandbox is a copy of its template made with the SQLite backup API, and reset copies the template over it
again, which works while other connections are open.

Per request, two things used to cost most of a mock's time (issue 7's profile): a registry connection and query to
check the sandbox exists, and a fresh connection to the sandbox. The registry's rows are cached on the store and
re-read only when `PRAGMA data_version` on a connection kept open says another connection (this process or another:
split mode, a second server on the same VAR_DIR) committed to it. Sandbox connections are pooled per sandbox:
`open()` lends an idle one (or opens one; core/sqlite_pool.py), whose `close()` rolls back whatever the request left
uncommitted and gives it back; a sandbox keeps at most IDLE_CONNECTIONS idle, and all the store's sandboxes together
at most IDLE_BUDGET, none idle for longer than IDLE_SECONDS (core/sqlite_pool.IdleBudget: each holds its page
cache); reset copies over them like over any open connection, delete closes them before the file goes. A sandbox
in use also has a keeper connection, so a pooled connection's close never checkpoints and deletes its WAL; it closes
KEEPER_SECONDS after the sandbox's last connection did, so a sandbox nobody uses holds no connection.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import re
import shutil
import sqlite3
import threading
import time
from collections.abc import Callable
from pathlib import Path

import sqlite_utils

from claro_backoffice.core import package_data
from claro_backoffice.core.sqlite_pool import IdleBudget, Pool, connect
from claro_backoffice.core.wal import checkpoint
from claro_backoffice.mocks.kit import clock, faults, idempotency, journal
from claro_backoffice.mocks.kit.events import EventLog
from claro_backoffice.mocks.kit.worlds import WorldCache
from claro_backoffice.world.build import World
from claro_backoffice.world.config import WorldConfig

SANDBOX_NAME = re.compile(r"^[a-z0-9-]{1,40}$")
DEFAULT_SANDBOX = "default"
SeedFn = Callable[[sqlite_utils.Database, World], None]
IDLE_CONNECTIONS = 12  # per sandbox: a burst of a class's requests to one sandbox finds one idle
IDLE_BUDGET = 16  # per system, every sandbox's together: room for `default` under load and a few trainees' flows
IDLE_SECONDS = 5.0  # a trainee's sandbox is used in bursts (a case flow a minute): its connections go in between
KEEPER_SECONDS = 15.0  # and its keeper, once none is left (the gateway reads Meta's clock every 10 s per sandbox)


class SandboxExists(Exception):
    pass


class UnknownSandbox(Exception):
    pass


def code_fingerprint(system: str) -> str:
    """Changes when the world or this system's code changes, so a stale template is never reused."""
    root = package_data.path()
    files = sorted((root / "world").rglob("*.py")) + sorted((root / "world").rglob("*.yaml"))
    files += sorted((root / "core").glob("*.py"))  # the world reads its YAML and time zone through core
    # The kit too: seeds use its helpers (adjustments.py) and the store writes the admin tables.
    files += sorted((root / "mocks" / system).glob("*.py")) + sorted((root / "mocks" / "kit").glob("*.py"))
    digest = hashlib.sha256()
    for path in files:
        if path.exists():
            digest.update(path.name.encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


class SandboxStore:
    def __init__(
        self,
        system: str,
        var_dir: Path,
        world: WorldConfig,
        worlds: WorldCache,
        seed_fn: SeedFn,
        clock_frozen: bool = False,
        personalise: Callable[[sqlite3.Connection, str], None] | None = None,
        event_retention: int = 10000,
    ) -> None:
        """personalise(connection, sandbox): what a system changes in each fresh copy for that sandbox (run on
        create and on reset, inside the copy's transaction)."""
        self.system = system
        self.personalise = personalise
        self.var_dir = Path(var_dir)
        self.world_config = world
        self.worlds = worlds
        self.seed_fn = seed_fn
        self.clock_frozen = clock_frozen
        self.event_retention = event_retention
        self.fingerprint = code_fingerprint(system)
        self.root = self.var_dir / system
        self.sandbox_dir = self.root / "sandboxes"
        self._lock = threading.RLock()
        self._pools: dict[str, Pool] = {}  # sandbox -> its idle connections and its keeper (core/sqlite_pool)
        self._budget = IdleBudget(IDLE_BUDGET, IDLE_SECONDS)
        self._keeper_budget = IdleBudget(IDLE_BUDGET, KEEPER_SECONDS)
        self._events: dict[str, EventLog] = {}
        self.sandbox_dir.mkdir(parents=True, exist_ok=True)
        self._registry_ready = False
        # The registry's rows, and the data_version (of the watcher connection) they were read at.
        self._registry_lock = threading.Lock()
        self._watcher: sqlite3.Connection | None = None
        self._rows: tuple[int, dict[str, dict]] | None = None

    # ---- registry ---------------------------------------------------------------------------------------------
    def _registry(self) -> sqlite_utils.Database:
        db = connect(self.root / "registry.sqlite")
        if not self._registry_ready:
            db.execute(
                "CREATE TABLE IF NOT EXISTS sandboxes (name TEXT PRIMARY KEY, seed INTEGER NOT NULL, "
                "template TEXT NOT NULL, created_at TEXT NOT NULL)"
            )
            self._registry_ready = True
        return db

    def _registry_rows(self) -> dict[str, dict]:
        """Every registered sandbox by name, read again only after a commit to the registry (any connection)."""
        with self._registry_lock:
            if self._watcher is None:
                self._registry().close()  # the table exists before the watcher first reads
                self._watcher = sqlite3.connect(self.root / "registry.sqlite", timeout=15, check_same_thread=False)
            version = self._watcher.execute("PRAGMA data_version").fetchone()[0]
            if self._rows is None or self._rows[0] != version:
                rows = self._watcher.execute("SELECT name, seed, template, created_at FROM sandboxes").fetchall()
                columns = ("name", "seed", "template", "created_at")
                self._rows = (version, {r[0]: dict(zip(columns, r, strict=True)) for r in rows})
            return self._rows[1]

    def _forget_rows(self) -> None:
        """After this process changed the registry (data_version would tell too: this is belt and braces)."""
        with self._registry_lock:
            self._rows = None

    def _row(self, name: str) -> dict | None:
        row = self._registry_rows().get(name)
        return dict(row) if row else None

    def list(self) -> list[dict]:
        return [
            {"name": r["name"], "seed": r["seed"], "created_at": r["created_at"]}
            for _, r in sorted(self._registry_rows().items())
        ]

    def exists(self, name: str) -> bool:
        return self._row(name) is not None

    # ---- templates ----------------------------------------------------------------------------------------------
    def _config(self, seed: int) -> WorldConfig:
        return self.world_config.with_seed(seed)

    def template_path(self, seed: int) -> Path:
        config = self._config(seed)
        path = self.var_dir / "templates" / self.system / f"{config.key}-{self.fingerprint}.sqlite"
        with self._lock:
            if not path.exists():
                self._build_template(path, config)
        return path

    def _build_template(self, path: Path, config: WorldConfig) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        partial = path.with_suffix(f".{os.getpid()}.{threading.get_ident()}.partial")
        partial.unlink(missing_ok=True)
        world = self.worlds.get(config)
        db = connect(partial)
        try:
            db.execute("PRAGMA journal_mode = WAL")
            self.seed_fn(db, world)
            journal.ensure_table(db)
            faults.ensure_table(db)
            clock.ensure_table(db)
            idempotency.ensure_table(db)
            clock.start(db, world.now, self.clock_frozen)
            db.table("_admin_meta").insert(
                {
                    "system": self.system,
                    "world": config.key,
                    "fingerprint": self.fingerprint,
                    "seed": config.seed,
                    "world_now": world.now.isoformat(),
                },
                replace=True,
            )
            db.conn.commit()
            db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        finally:
            db.close()
        for suffix in ("-wal", "-shm"):
            Path(str(partial) + suffix).unlink(missing_ok=True)
        os.replace(partial, path)  # atomic: another process never sees half a template

    # ---- sandboxes ----------------------------------------------------------------------------------------------
    def path(self, name: str) -> Path:
        return self.sandbox_dir / f"{name}.sqlite"

    def events(self, name: str) -> EventLog:
        log = self._events.get(name)
        if log is None:
            log = self._events.setdefault(
                name, EventLog(self.var_dir / "events" / f"{name}.sqlite", self.event_retention)
            )
        return log

    def _copy_template(self, name: str, seed: int) -> None:
        """A new sandbox is a plain copy of the template's file (checkpointed, never written once built): a tenth
        of the backup API's time. Over an existing file (reset), other connections may be open: the backup API
        copies under SQLite's locks. Either way the connection that finished the copy stays open as the sandbox's
        keeper, so its close doesn't checkpoint the WAL."""
        template = self.template_path(seed)
        path = self.path(name)
        fresh = not path.exists()
        if fresh:
            for suffix in ("-wal", "-shm"):  # a stale log next to a new copy would be replayed into it
                Path(str(path) + suffix).unlink(missing_ok=True)
            shutil.copyfile(template, path)
        target = sqlite3.connect(path, timeout=15, check_same_thread=False)
        try:
            if not fresh:
                source = sqlite3.connect(template)
                try:
                    source.backup(target)
                finally:
                    source.close()
            target.execute("PRAGMA synchronous = NORMAL")
            # The copy's clock starts now: virtual time is the world's reference moment.
            world_now = target.execute("SELECT world_now FROM _admin_meta").fetchone()[0]
            target.execute(
                "UPDATE _admin_clock SET virtual_base = ?, real_base = ? WHERE id = 1", [world_now, time.time()]
            )
            if self.personalise is not None:
                self.personalise(target, name)
            target.commit()
        except BaseException:
            target.close()
            raise
        self._pool(name).adopt(target)

    def ensure_default(self) -> None:
        """`default` always exists; a sandbox made from an older template is refreshed rather than left broken."""
        with self._lock:
            if not self.exists(DEFAULT_SANDBOX):
                self.create(DEFAULT_SANDBOX, self.world_config.seed)
            for row in self.list():
                full = self._row(row["name"])
                assert full is not None  # listed, under the lock
                if full["template"] != self.template_path(full["seed"]).name or not self.path(row["name"]).exists():
                    self.reset(row["name"])

    def create(self, name: str, seed: int | None = None) -> dict:
        seed = self.world_config.seed if seed is None else seed
        with self._lock:
            if self.exists(name):
                raise SandboxExists(name)
            self._copy_template(name, seed)
            created = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
            db = self._registry()
            try:
                db.execute(
                    "INSERT INTO sandboxes (name, seed, template, created_at) VALUES (?, ?, ?, ?)",
                    [name, seed, self.template_path(seed).name, created],
                )
                db.conn.commit()
            finally:
                db.close()
                self._forget_rows()
        return {"name": name, "seed": seed, "created_at": created}

    def reset(self, name: str) -> dict:
        with self._lock:
            row = self._row(name)
            if row is None:
                raise UnknownSandbox(name)
            self._copy_template(name, row["seed"])
            db = self._registry()
            try:
                db.execute(
                    "UPDATE sandboxes SET template = ? WHERE name = ?", [self.template_path(row["seed"]).name, name]
                )
                db.conn.commit()
            finally:
                db.close()
                self._forget_rows()
            self.events(name).withdraw(self.system)
        return {"name": name, "seed": row["seed"], "created_at": row["created_at"]}

    def delete(self, name: str) -> None:
        with self._lock:
            if not self.exists(name):
                raise UnknownSandbox(name)
            db = self._registry()
            try:
                db.execute("DELETE FROM sandboxes WHERE name = ?", [name])
                db.conn.commit()
            finally:
                db.close()
                self._forget_rows()
            self._close_connections(name)
            for suffix in ("", "-wal", "-shm"):
                Path(str(self.path(name)) + suffix).unlink(missing_ok=True)
            log = self.events(name)
            try:
                log.withdraw(self.system)
            finally:
                self._events.pop(name, None)
                log.close()  # a deleted sandbox's log kept a connection per thread that used it, for good

    def open(self, name: str, checked: bool = False) -> sqlite_utils.Database:
        """A connection to the sandbox, lent: close() it at the end of the request (it goes back to the pool).

        checked: the request was found to exist on arrival (the kit's middleware), so this process's pool for it is
        enough and the registry is not read again; without a pool (deleted since), it is. One registry read a
        request, not three: under a class every request to a system waited on the one registry connection."""
        pool = self._pools.get(name) if checked else None
        if pool is None:
            if not self.exists(name):
                raise UnknownSandbox(name)
            pool = self._pool(name)
        return pool.lend()

    def _pool(self, name: str) -> Pool:
        with self._lock:
            pool = self._pools.get(name)
            if pool is None:
                pool = self._pools[name] = Pool(
                    self.path(name), IDLE_CONNECTIONS, budget=self._budget, keepers=self._keeper_budget
                )
            return pool

    def close_idle(self) -> None:
        """The idle connections and keepers past their time closed now (they close too as connections come back;
        the server calls this every few seconds: a store that gets no requests would keep them)."""
        self._budget.expire()
        self._keeper_budget.expire()

    def checkpoint(self) -> None:
        """Every sandbox's WAL, and that of every event log this store wrote to, copied in and truncated
        (core/wal.py: the composition root calls this when the process is idle and when it stops)."""
        for row in self.list():
            checkpoint(self.path(row["name"]))
        for log in list(self._events.values()):
            checkpoint(log.path)

    def _close_connections(self, name: str) -> None:
        """Before a sandbox's file goes: a connection left open would, at its last close, delete the -wal of a
        new sandbox of the same name."""
        with self._lock:
            pool = self._pools.pop(name, None)
            if pool is not None:
                pool.close()  # its keeper too, and a connection lent now is closed when given back
