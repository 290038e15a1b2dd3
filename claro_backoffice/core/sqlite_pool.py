"""Pooled SQLite connections, the gateway's CRM and the mocks' sandboxes alike: opening a connection and setting
its pragmas cost milliseconds on every request (issue 7), so each file keeps a few idle ones to lend.

A connection given back has its uncommitted work rolled back and its cursors closed, as a real close would: a
cursor not read to its end keeps its statement active and, with it, a WAL read snapshot while `in_transaction`
stays False, and the next borrower would answer from before the last commits (the stale-snapshot fix, b9467fa)."""

from __future__ import annotations

import contextlib
import re
import sqlite3
import threading
import weakref
from collections.abc import Callable, Iterator
from pathlib import Path
from types import TracebackType
from typing import Any, Literal, TypeVar, overload

import sqlite_utils

# Transaction control a view may send itself: folded into a held transaction (TrackedConnection.held).
_TRANSACTION_CONTROL = re.compile(r"^\s*(BEGIN|COMMIT|END|ROLLBACK)\b(?!\s+TO\b)", re.IGNORECASE)
_NOTHING = "SELECT 1 WHERE 0"
_CursorT = TypeVar("_CursorT", bound=sqlite3.Cursor)


class TrackedConnection(sqlite3.Connection):
    """Remembers the cursors it makes, so they can be closed when the connection is given back.

    held(): one write transaction for a whole block (the mocks' Idempotency-Key, mocks/kit/idempotency.py): the
    block's own commits, `with conn:` blocks and BEGIN/COMMIT statements fold into it, so what a view writes and
    the record of its answer commit together or not at all."""

    _held = False

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._cursors: weakref.WeakSet[sqlite3.Cursor] = weakref.WeakSet()

    @overload
    def cursor(self, factory: None = None) -> sqlite3.Cursor: ...
    @overload
    def cursor(self, factory: Callable[[sqlite3.Connection], _CursorT]) -> _CursorT: ...
    def cursor(self, *args: Any, **kwargs: Any) -> Any:  # sqlite3's own arguments, passed on
        made = super().cursor(*args, **kwargs)
        self._cursors.add(made)
        return made

    def execute(self, sql: str, *args: Any, **kwargs: Any) -> sqlite3.Cursor:  # not through cursor(): its own cursor
        if self._held and isinstance(sql, str):
            control = _TRANSACTION_CONTROL.match(sql)
            if control and control.group(1).upper() == "ROLLBACK":
                self.rollback()
                sql, args, kwargs = _NOTHING, (), {}
            elif control:
                sql, args, kwargs = _NOTHING, (), {}
        made = super().execute(sql, *args, **kwargs)
        self._cursors.add(made)
        return made

    @contextlib.contextmanager
    def held(self) -> Iterator[TrackedConnection]:
        """Commit at the end of the block, roll back on an error; nothing in between commits."""
        if self.in_transaction:
            super().commit()
        super().execute("BEGIN IMMEDIATE")
        self._held = True
        try:
            yield self
        except BaseException:
            self._held = False
            super().rollback()
            raise
        self._held = False
        super().commit()

    def commit(self) -> None:
        if not self._held:
            super().commit()

    def rollback(self) -> None:
        """Held: a view undoing its work undoes it all, and the write lock is taken again at once, so the block
        still ends in one transaction."""
        super().rollback()
        if self._held:
            super().execute("BEGIN IMMEDIATE")

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> Literal[False]:
        if not self._held:
            return super().__exit__(exc_type, exc, tb)
        if exc_type is not None:
            self.rollback()
        return False

    def close_cursors(self) -> None:
        for cursor in list(self._cursors):
            cursor.close()


def connect(
    path: Path, cls: type[sqlite_utils.Database] = sqlite_utils.Database, *, autocommit: bool = False, wal: bool = False
) -> sqlite_utils.Database:
    """autocommit: no implicit transactions (the caller says BEGIN); wal: put the file in WAL mode (a file made
    here; a copied template already is)."""
    return cls(_open(path, autocommit=autocommit, wal=wal))


def _open(path: Path, *, autocommit: bool, wal: bool) -> TrackedConnection:
    # Not autocommit: implicit transactions begin with BEGIN DEFERRED, which is SQLite's plain BEGIN (the "" this
    # passed before issued; typeshed admits only the named levels).
    conn = sqlite3.connect(
        path,
        timeout=15,
        check_same_thread=False,
        factory=TrackedConnection,
        isolation_level=None if autocommit else "DEFERRED",
    )
    conn.execute("PRAGMA busy_timeout = 15000")
    if wal:
        conn.execute("PRAGMA journal_mode = WAL")
    # WAL + NORMAL: every commit survives a crash of the process (not of the machine) without an fsync each.
    conn.execute("PRAGMA synchronous = NORMAL")
    conn.execute("PRAGMA foreign_keys = ON")
    return conn


class PooledDatabase(sqlite_utils.Database):
    """A connection lent from a Pool: close() gives it back. A second close() does nothing."""

    pool: Pool | None = None  # while lent

    def close(self) -> None:
        pool, self.pool = self.pool, None
        if pool is not None:
            pool.give_back(self)


class Pool:
    """The idle connections of one file: at most `limit` are kept; once closed (the file is being deleted), a
    connection given back is really closed, so none outlives the file."""

    def __init__(self, path: Path, limit: int, *, autocommit: bool = False, wal: bool = False) -> None:
        self.path, self.limit, self.autocommit, self.wal = Path(path), limit, autocommit, wal
        self._idle: list[PooledDatabase] = []
        self._lock = threading.Lock()
        self._closed = False

    def lend(self) -> PooledDatabase:
        with self._lock:
            db = self._idle.pop() if self._idle else None
        if db is None:  # opened outside the lock: other borrowers need not wait for it
            db = PooledDatabase(_open(self.path, autocommit=self.autocommit, wal=self.wal))
        db.pool = self
        return db

    def give_back(self, db: PooledDatabase) -> None:
        if db.conn.in_transaction:
            db.conn.rollback()
        assert isinstance(db.conn, TrackedConnection)  # lent connections are all opened by _open
        db.conn.close_cursors()
        with self._lock:
            if not self._closed and len(self._idle) < self.limit:
                self._idle.append(db)
                return
        db.conn.close()

    def close(self) -> None:
        with self._lock:
            self._closed = True
            idle, self._idle = self._idle, []
        for db in idle:
            db.conn.close()
