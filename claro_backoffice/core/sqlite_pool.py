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
import time
import weakref
from collections import OrderedDict
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


class IdleBudget:
    """The idle connections of every Pool of one store together: at most `limit`, and none idle for longer than
    `max_idle_s`; above either, the least recently given back are closed. A connection holds its page cache and
    prepared statements (0.2-0.8 MB once a request has read the sandbox's tables), so a pool per sandbox kept
    ~2,000 of them for 50 trainees (issue 18: 300 MB); reopening one costs ~0.3 ms. Checked whenever a
    connection is given back, so a store that gets no requests keeps what it had (deleting a sandbox closes
    its pool, and with it its connections)."""

    def __init__(self, limit: int, max_idle_s: float, clock: Callable[[], float] = time.monotonic) -> None:
        self.limit, self.max_idle_s, self._clock = limit, max_idle_s, clock
        self._lock = threading.Lock()
        self._idle: OrderedDict[int, tuple[Pool, PooledDatabase, float]] = OrderedDict()  # oldest first

    def note(self, pool: Pool, db: PooledDatabase) -> None:
        """`db` has just gone idle in `pool`; the connections over the budget are closed (outside this lock: a
        pool's lock is never taken under it)."""
        now = self._clock()
        over: list[tuple[Pool, PooledDatabase, float]] = []
        with self._lock:
            self._idle.pop(id(db), None)  # given back again: the newest, not where it first went idle
            self._idle[id(db)] = (pool, db, now)
            while self._idle:
                oldest = next(iter(self._idle.values()))
                if len(self._idle) <= self.limit and now - oldest[2] <= self.max_idle_s:
                    break
                over.append(self._idle.popitem(last=False)[1])
        for owner, idle, _ in over:
            owner.evict(idle)

    def forget(self, db: PooledDatabase) -> None:
        """`db` is lent again, or closed."""
        with self._lock:
            self._idle.pop(id(db), None)


class Pool:
    """The idle connections of one file: at most `limit` are kept (fewer when a `budget` shared with other
    files says so); once closed (the file is being deleted), a connection given back is really closed, so none
    outlives the file."""

    def __init__(
        self, path: Path, limit: int, *, autocommit: bool = False, wal: bool = False, budget: IdleBudget | None = None
    ) -> None:
        self.path, self.limit, self.autocommit, self.wal = Path(path), limit, autocommit, wal
        self.budget = budget
        self._idle: list[PooledDatabase] = []
        self._lock = threading.Lock()
        self._closed = False

    def lend(self) -> PooledDatabase:
        with self._lock:
            db = self._idle.pop() if self._idle else None
        if db is None:  # opened outside the lock: other borrowers need not wait for it
            db = PooledDatabase(_open(self.path, autocommit=self.autocommit, wal=self.wal))
        elif self.budget is not None:
            self.budget.forget(db)
        db.pool = self
        return db

    def give_back(self, db: PooledDatabase) -> None:
        if db.conn.in_transaction:
            db.conn.rollback()
        assert isinstance(db.conn, TrackedConnection)  # lent connections are all opened by _open
        db.conn.close_cursors()
        with self._lock:
            kept = not self._closed and len(self._idle) < self.limit
            if kept:
                self._idle.append(db)
        if not kept:
            db.conn.close()
        elif self.budget is not None:
            self.budget.note(self, db)

    def evict(self, db: PooledDatabase) -> None:
        """Closes `db` if it is still idle here (lent again meanwhile: the borrower has it, and it stays open)."""
        with self._lock:
            idle = db in self._idle
            if idle:
                self._idle.remove(db)
        if idle:
            db.conn.close()

    def close(self) -> None:
        with self._lock:
            self._closed = True
            idle, self._idle = self._idle, []
        for db in idle:
            if self.budget is not None:
                self.budget.forget(db)
            db.conn.close()
