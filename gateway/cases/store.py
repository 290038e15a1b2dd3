"""The gateway's own SQLite (the operation's CRM): one file per sandbox, `<var>/sandboxes/<name>.sqlite`, whose
tables are the `schema/*.sql` files run in name order (each statement idempotent), and `<var>/registry.sqlite` for
what outlives every sandbox and every reset (the CUN sequence).

A sandbox's file exists once the sandbox is used; `reset(name)` empties it (the systems' reset restores their
seeded data; the CRM starts with no conversations), `delete(name)` removes it. Connections are opened per use;
one idle keeper connection per file stops SQLite from checkpointing and deleting the WAL at every close.
Writes go through `write()`: BEGIN IMMEDIATE, committed before the caller answers (no acknowledged write is lost).
"""
from __future__ import annotations

import contextlib
import re
import sqlite3
import threading
from pathlib import Path
from typing import Iterator

import sqlite_utils

SCHEMA_DIR = Path(__file__).resolve().parent / "schema"
REGISTRY_SCHEMA = "registry"  # schema/registry*.sql are the registry's, every other file a sandbox's
_NAME = re.compile(r"^[a-z0-9-]{1,40}$")


def _connect(path: Path) -> sqlite_utils.Database:
    conn = sqlite3.connect(path, timeout=15, isolation_level=None, check_same_thread=False)
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("PRAGMA synchronous = NORMAL")
    conn.execute("PRAGMA foreign_keys = ON")
    return sqlite_utils.Database(conn)


@contextlib.contextmanager
def _transaction(db) -> Iterator[None]:
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
    def __init__(self, root: Path):
        self.root = Path(root)
        self._lock = threading.Lock()
        self._ready: set[str] = set()
        self._keepers: dict[str, sqlite3.Connection] = {}

    def path(self, sandbox: str) -> Path:
        if not _NAME.match(sandbox):
            raise ValueError(f"'{sandbox}' is not a sandbox name")
        return self.root / "sandboxes" / f"{sandbox}.sqlite"

    def exists(self, sandbox: str) -> bool:
        return self.path(sandbox).exists()

    def _open(self, key: str, path: Path, registry: bool) -> sqlite_utils.Database:
        if key not in self._ready:
            with self._lock:
                if key not in self._ready:
                    path.parent.mkdir(parents=True, exist_ok=True)
                    db = _connect(path)
                    try:
                        for script in _scripts(registry):
                            db.conn.executescript(script)
                    finally:
                        db.close()
                    keeper = sqlite3.connect(path, check_same_thread=False)
                    keeper.execute("SELECT COUNT(*) FROM sqlite_master").fetchone()
                    self._keepers[key] = keeper
                    self._ready.add(key)
        return _connect(path)

    @contextlib.contextmanager
    def read(self, sandbox: str) -> Iterator[sqlite_utils.Database]:
        db = self._open(sandbox, self.path(sandbox), registry=False)
        try:
            yield db
        finally:
            db.close()

    @contextlib.contextmanager
    def write(self, sandbox: str) -> Iterator[sqlite_utils.Database]:
        """One write transaction (BEGIN IMMEDIATE): committed when the block ends, rolled back if it raises."""
        with self.read(sandbox) as db, _transaction(db):
            yield db

    @contextlib.contextmanager
    def registry(self) -> Iterator[sqlite_utils.Database]:
        """The registry in one write transaction."""
        db = self._open("/registry", self.root / "registry.sqlite", registry=True)
        try:
            with _transaction(db):
                yield db
        finally:
            db.close()

    def reset(self, sandbox: str) -> None:
        """Every table of the sandbox emptied (its schema stays)."""
        with self.write(sandbox) as db:
            db.execute("PRAGMA defer_foreign_keys = ON")
            for table in db.table_names():
                db.execute(f"DELETE FROM [{table}]")

    def delete(self, sandbox: str) -> None:
        with self._lock:
            keeper = self._keepers.pop(sandbox, None)
            if keeper is not None:
                keeper.close()
            self._ready.discard(sandbox)
            for suffix in ("", "-wal", "-shm"):
                Path(str(self.path(sandbox)) + suffix).unlink(missing_ok=True)

    def close(self) -> None:
        with self._lock:
            for keeper in self._keepers.values():
                keeper.close()
            self._keepers.clear()
            self._ready.clear()


def rows(cursor) -> list[dict]:
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, r)) for r in cursor.fetchall()]


def row(cursor) -> dict | None:
    found = rows(cursor)
    return found[0] if found else None
