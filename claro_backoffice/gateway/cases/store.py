"""The gateway's own SQLite (the operation's CRM): one file per sandbox, `<var>/sandboxes/<name>.sqlite`, whose
tables are the `schema/*.sql` files run in name order (each statement idempotent), and `<var>/registry.sqlite` for
what outlives every sandbox and every reset (the CUN sequence).

A sandbox's file exists once the sandbox is used, and only for a sandbox the systems have: before it creates
one, the store asks `require(sandbox)` (gateway/sandboxes.py), which raises for an unknown name. `reset(name)`
empties it (the systems' reset restores their seeded data; the CRM starts with no conversations), `delete(name)`
removes it. Connections are pooled per file
(opening one and setting its pragmas was ~15 ms of each case flow, issue 7; core/sqlite_pool.py, the mocks' pool
too): a block borrows one and gives it back, rolled back if it left a transaction open and its cursors closed. The
idle ones of every file together are capped (IDLE_BUDGET, IDLE_SECONDS: each holds its page cache), and a keeper
connection per file in use, which reads nothing, stops SQLite from checkpointing and deleting the WAL at every last
close; it closes KEEPER_SECONDS after the file's last connection did.
Writes go through `write()`: BEGIN IMMEDIATE, committed before the caller answers (no acknowledged write is lost).
"""

from __future__ import annotations

import contextlib
import re
import sqlite3
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import sqlite_utils

from claro_backoffice.core import package_data
from claro_backoffice.core.sqlite_pool import IdleBudget, Pool, connect
from claro_backoffice.core.wal import checkpoint

SCHEMA_DIR = package_data.path("gateway", "cases", "schema")
REGISTRY_SCHEMA = "registry"  # schema/registry*.sql are the registry's, every other file a sandbox's
_NAME = re.compile(r"^[a-z0-9-]{1,40}$")
IDLE_CONNECTIONS = 8  # per file: above it a returned connection is closed
IDLE_BUDGET = 64  # every file's together: a class of trainees polls its sandboxes every 2 s
IDLE_SECONDS = 10.0
KEEPER_SECONDS = 30.0  # a file's keeper, once none of its connections is left: a sandbox nobody uses holds none


@contextlib.contextmanager
def _transaction(db: sqlite_utils.Database) -> Iterator[None]:
    db.execute("BEGIN IMMEDIATE")
    try:
        yield
    except BaseException:
        db.execute("ROLLBACK")
        raise
    db.execute("COMMIT")


def _scripts(registry: bool) -> list[str]:
    files = sorted(SCHEMA_DIR.glob("*.sql"))
    return [f.read_text(encoding="utf-8") for f in files if f.stem.startswith(REGISTRY_SCHEMA) == registry]


class CrmStore:
    def __init__(self, root: Path, require: Callable[[str], None] | None = None):
        """require(sandbox) raises when the sandbox does not exist (no check when None)."""
        self.root = Path(root)
        self._require = require
        self._lock = threading.Lock()
        self._pools: dict[str, Pool] = {}
        self._budget = IdleBudget(IDLE_BUDGET, IDLE_SECONDS)
        self._keeper_budget = IdleBudget(IDLE_BUDGET, KEEPER_SECONDS)

    def path(self, sandbox: str) -> Path:
        if not _NAME.match(sandbox):
            raise ValueError(f"'{sandbox}' is not a sandbox name")
        return self.root / "sandboxes" / f"{sandbox}.sqlite"

    def exists(self, sandbox: str) -> bool:
        return self.path(sandbox).exists()

    def _pool(self, key: str, path: Path, registry: bool) -> Pool:
        pool = self._pools.get(key)
        if pool is None:
            if not registry and self._require is not None and not path.exists():
                self._require(key)  # outside the lock: it may ask the systems
            with self._lock:
                pool = self._pools.get(key)
                if pool is None:
                    path.parent.mkdir(parents=True, exist_ok=True)
                    db = connect(path, autocommit=True, wal=True)
                    try:
                        for script in _scripts(registry):
                            db.conn.executescript(script)
                    finally:
                        db.close()
                    pool = self._pools[key] = Pool(
                        path,
                        IDLE_CONNECTIONS,
                        autocommit=True,
                        wal=True,
                        budget=self._budget,
                        keepers=self._keeper_budget,
                    )
        return pool

    @contextlib.contextmanager
    def _borrow(self, key: str, path: Path, registry: bool) -> Iterator[sqlite_utils.Database]:
        db = self._pool(key, path, registry).lend()
        try:
            yield db
        finally:
            db.close()  # back to the pool; closed for good if the file was deleted meanwhile

    @contextlib.contextmanager
    def read(self, sandbox: str) -> Iterator[sqlite_utils.Database]:
        with self._borrow(sandbox, self.path(sandbox), registry=False) as db:
            yield db

    @contextlib.contextmanager
    def write(self, sandbox: str) -> Iterator[sqlite_utils.Database]:
        """One write transaction (BEGIN IMMEDIATE): committed when the block ends, rolled back if it raises."""
        with self.read(sandbox) as db, _transaction(db):
            yield db

    @contextlib.contextmanager
    def registry(self) -> Iterator[sqlite_utils.Database]:
        """The registry in one write transaction."""
        with self._borrow("/registry", self.root / "registry.sqlite", registry=True) as db, _transaction(db):
            yield db

    @contextlib.contextmanager
    def registry_read(self) -> Iterator[sqlite_utils.Database]:
        """The registry, to read (no transaction held: a read never waits for a writer in WAL mode)."""
        with self._borrow("/registry", self.root / "registry.sqlite", registry=True) as db:
            yield db

    def reset(self, sandbox: str) -> None:
        """Every table of the sandbox emptied (its schema stays)."""
        with self.write(sandbox) as db:
            db.execute("PRAGMA defer_foreign_keys = ON")
            for table in db.table_names():
                db.execute(f"DELETE FROM [{table}]")

    def delete(self, sandbox: str) -> None:
        with self._lock:
            pool = self._pools.pop(sandbox, None)
            if pool is not None:
                pool.close()  # and its keeper
            for suffix in ("", "-wal", "-shm"):
                Path(str(self.path(sandbox)) + suffix).unlink(missing_ok=True)

    def close_idle(self) -> None:
        """The idle connections and keepers past their time closed now (they close too as connections come back;
        the server calls this every few seconds: a store that gets no requests would keep them)."""
        self._budget.expire()
        self._keeper_budget.expire()

    def checkpoint(self) -> None:
        """Every file's WAL copied in and truncated (core/wal.py; the composition root, when idle and at the end)."""
        for key in list(self._pools):
            checkpoint(self.root / "registry.sqlite" if key == "/registry" else self.path(key))

    def close(self) -> None:
        with self._lock:
            pools, self._pools = list(self._pools.values()), {}
        for pool in pools:
            pool.close()


def insert(db: sqlite_utils.Database, table: str, values: dict) -> None:
    """One row of primitive values, as given: sqlite-utils' Table.insert first reads the schema (two queries of
    sqlite_master a row, ~30 a case flow, issue 18)."""
    columns = ", ".join(f'"{name}"' for name in values)
    marks = ", ".join("?" * len(values))
    db.execute(f'INSERT INTO "{table}" ({columns}) VALUES ({marks})', list(values.values()))


def rows(cursor: sqlite3.Cursor) -> list[dict]:
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, r, strict=True)) for r in cursor.fetchall()]


def row(cursor: sqlite3.Cursor) -> dict | None:
    found = rows(cursor)
    return found[0] if found else None
