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
# What starts a write transaction (Python's sqlite3 begins one implicitly before DML) or writes on its own (DDL); a
# BEGIN too: here it opens writes (sqlite-utils' atomic(), the CRM's BEGIN IMMEDIATE).
_WRITES = re.compile(r"^\s*(INSERT|UPDATE|DELETE|REPLACE|BEGIN|CREATE|DROP|ALTER)\b", re.IGNORECASE)
GATE_TIMEOUT_S = 15.0  # as SQLite's busy timeout: past it the writer goes on, and SQLite says "database is locked"
_NOTHING = "SELECT 1 WHERE 0"
_CursorT = TypeVar("_CursorT", bound=sqlite3.Cursor)


class TrackedConnection(sqlite3.Connection):
    """Remembers the cursors it makes, so they can be closed when the connection is given back.

    held(): one write transaction for a whole block (the mocks' Idempotency-Key, mocks/kit/idempotency.py): the
    block's own commits, `with conn:` blocks and BEGIN/COMMIT statements fold into it, so what a view writes and
    the record of its answer commit together or not at all."""

    _held = False
    _gate: threading.Lock | None = None  # the file's writer gate (Pool), None: SQLite's own locking alone
    _gated = False  # this connection holds the gate

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._cursors: weakref.WeakSet[sqlite3.Cursor] = weakref.WeakSet()

    # ---- the writer gate ------------------------------------------------------------------------------------------
    # SQLite lets one writer at a time into a file and makes the others poll, sleeping 1, 2, 5 ... 100 ms between
    # tries: under concurrent writes to one sandbox (a view's write and the kit's journal row, 16 clients) a write
    # waited up to 300 ms more than the one before it needed (issue 18: RR POST p99). This process's writers to a
    # file queue on a lock instead, and the next one goes in as soon as the last commits.
    def _enter_write(self) -> None:
        if self._gate is not None and not self._gated and not self.in_transaction:
            self._gated = self._gate.acquire(timeout=GATE_TIMEOUT_S)

    def _leave_write(self) -> None:
        if not self.in_transaction:
            self.release_gate()

    def release_gate(self) -> None:
        if self._gated:
            self._gated = False
            assert self._gate is not None  # gated: there is one
            self._gate.release()

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
        if isinstance(sql, str) and _WRITES.match(sql):
            self._enter_write()
        try:
            made = super().execute(sql, *args, **kwargs)
        finally:
            self._leave_write()  # a COMMIT, a failed BEGIN, DDL: no transaction left, the gate goes
        self._cursors.add(made)
        return made

    def executemany(self, sql: str, *args: Any, **kwargs: Any) -> sqlite3.Cursor:
        if isinstance(sql, str) and _WRITES.match(sql):
            self._enter_write()
        try:
            made = super().executemany(sql, *args, **kwargs)
        finally:
            self._leave_write()
        self._cursors.add(made)
        return made

    @contextlib.contextmanager
    def held(self) -> Iterator[TrackedConnection]:
        """Commit at the end of the block, roll back on an error; nothing in between commits."""
        if self.in_transaction:
            self.commit()
        self._enter_write()
        try:
            super().execute("BEGIN IMMEDIATE")
        finally:
            self._leave_write()
        self._held = True
        try:
            yield self
        except BaseException:
            self._held = False
            self.rollback()
            raise
        self._held = False
        self.commit()

    def commit(self) -> None:
        if not self._held:
            try:
                super().commit()
            finally:
                self._leave_write()

    def rollback(self) -> None:
        """Held: a view undoing its work undoes it all, and the write lock is taken again at once, so the block
        still ends in one transaction (the gate stays held)."""
        super().rollback()
        if self._held:
            super().execute("BEGIN IMMEDIATE")
        else:
            self._leave_write()

    def close(self) -> None:
        try:
            super().close()
        finally:
            self.release_gate()

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


def _open(path: Path, *, autocommit: bool, wal: bool, gate: threading.Lock | None = None) -> TrackedConnection:
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
    conn._gate = gate
    return conn


class PooledDatabase(sqlite_utils.Database):
    """A connection lent from a Pool: close() gives it back. A second close() does nothing."""

    pool: Pool | None = None  # while lent

    def close(self) -> None:
        pool, self.pool = self.pool, None
        if pool is not None:
            pool.give_back(self)


Idle = PooledDatabase | sqlite3.Connection  # what an IdleBudget waits to close: a pool's connection or its keeper


class IdleBudget:
    """The idle connections of every Pool of one store together: at most `limit`, and none idle for longer than
    `max_idle_s`; above either, the least recently given back are closed. A connection holds its page cache and
    prepared statements (0.2-0.8 MB once a request has read the sandbox's tables), so a pool per sandbox kept
    ~2,000 of them for 50 trainees (issue 18: 300 MB); reopening one costs ~0.3 ms. Checked whenever a
    connection is given back, so a store that gets no requests keeps what it had (deleting a sandbox closes
    its pool, and with it its connections). A store's keepers (Pool) have a budget of their own."""

    def __init__(self, limit: int, max_idle_s: float, clock: Callable[[], float] = time.monotonic) -> None:
        self.limit, self.max_idle_s, self._clock = limit, max_idle_s, clock
        self._lock = threading.Lock()
        self._idle: OrderedDict[int, tuple[Pool, Idle, float]] = OrderedDict()  # oldest first

    def note(self, pool: Pool, db: Idle) -> None:
        """`db` has just gone idle in `pool`; the connections over the budget are closed (outside this lock: a
        pool's lock is never taken under it)."""
        self._close_over(pool, db)

    def expire(self) -> None:
        """Closes what has been idle for too long (what waits here may have no `note` coming after it)."""
        self._close_over()

    def _close_over(self, pool: Pool | None = None, db: Idle | None = None) -> None:
        now = self._clock()
        over: list[tuple[Pool, Idle, float]] = []
        with self._lock:
            if pool is not None and db is not None:
                self._idle.pop(id(db), None)  # given back again: the newest, not where it first went idle
                self._idle[id(db)] = (pool, db, now)
            while self._idle:
                oldest = next(iter(self._idle.values()))
                if len(self._idle) <= self.limit and now - oldest[2] <= self.max_idle_s:
                    break
                over.append(self._idle.popitem(last=False)[1])
        for owner, idle, _ in over:
            owner.evict(idle)

    def forget(self, db: Idle) -> None:
        """`db` is lent again, or closed."""
        with self._lock:
            self._idle.pop(id(db), None)


class Pool:
    """The idle connections of one file: at most `limit` are kept (fewer when a `budget` shared with other
    files says so); once closed (the file is being deleted), a connection given back is really closed, so none
    outlives the file.

    With `keepers`, the file also has a keeper while it is in use: a connection that reads nothing, so closing a
    pooled one is never the last close of the file (which checkpoints the WAL and deletes it: milliseconds, and
    the next connection makes a new one). Once no connection of the file is lent or idle, the keeper waits in
    the `keepers` budget and closes when that says so: a sandbox nobody uses holds no connection at all (each
    holds ~0.1 MB of schema and cache, three file descriptors; 100 trainees' sandboxes kept ~1,400 keepers open,
    issue 18)."""

    def __init__(
        self,
        path: Path,
        limit: int,
        *,
        autocommit: bool = False,
        wal: bool = False,
        budget: IdleBudget | None = None,
        keepers: IdleBudget | None = None,
    ) -> None:
        self.path, self.limit, self.autocommit, self.wal = Path(path), limit, autocommit, wal
        self.budget, self.keepers = budget, keepers
        self.gate = threading.Lock()  # the file's writers in this process, one at a time (TrackedConnection)
        self._idle: list[PooledDatabase] = []
        self._lent = 0
        self._keeper: sqlite3.Connection | None = None
        self._lock = threading.Lock()
        self._closed = False

    def lend(self) -> PooledDatabase:
        with self._lock:
            db = self._idle.pop() if self._idle else None
            self._lent += 1  # from here on the keeper stays (evict)
        if db is None:  # opened outside the lock: other borrowers need not wait for it
            db = PooledDatabase(_open(self.path, autocommit=self.autocommit, wal=self.wal, gate=self.gate))
        elif self.budget is not None:
            self.budget.forget(db)
        db.pool = self
        if self.keepers is not None:
            with self._lock:  # after the connection, which may have put a new file in WAL mode for the keeper to join
                keeper = self._keeper
                if keeper is None and not self._closed:
                    keeper = self._keeper = open_keeper(self.path)
            if keeper is not None:
                self.keepers.forget(keeper)  # in use again, if it was waiting to close
        return db

    def adopt(self, keeper: sqlite3.Connection) -> None:
        """`keeper` (open, and it has read the file) becomes the file's keeper, or is closed if there is one."""
        with self._lock:
            adopted = self._keeper is None and self.keepers is not None and not self._closed
            if adopted:
                self._keeper = keeper
            idle = adopted and not self._lent and not self._idle
        if not adopted:
            keeper.close()
        elif idle:
            assert self.keepers is not None  # adopted
            self.keepers.note(self, keeper)

    def give_back(self, db: PooledDatabase) -> None:
        assert isinstance(db.conn, TrackedConnection)  # lent connections are all opened by _open
        if db.conn.in_transaction:
            db.conn.rollback()
        db.conn.close_cursors()
        db.conn.release_gate()  # a transaction ended where the gate could not see it (a bare cursor's COMMIT)
        with self._lock:
            self._lent -= 1
            kept = not self._closed and len(self._idle) < self.limit
            if kept:
                self._idle.append(db)
        if not kept:
            db.conn.close()
        elif self.budget is not None:
            self.budget.note(self, db)
        if self.keepers is not None:
            self.keepers.expire()

    def evict(self, item: Idle) -> None:
        """Closes `item`, an idle connection or the keeper, if it is still idle here (lent again meanwhile: the
        borrower has it, and it stays open). The last idle connection gone, the keeper starts waiting."""
        with self._lock:
            if item is self._keeper:
                if not self._lent and not self._idle:
                    self._keeper = None
                    # Under the lock: a delete of the file (close(), then unlink) cannot come in between, so this
                    # last close can't delete the WAL of a new file of the same name.
                    item.close()
                return
            idle = item in self._idle
            if idle:
                assert isinstance(item, PooledDatabase)  # what _idle holds
                self._idle.remove(item)
            keeper = self._keeper if idle and not self._idle and not self._lent else None
        if idle:
            assert isinstance(item, PooledDatabase)
            item.conn.close()
        if keeper is not None and self.keepers is not None:
            self.keepers.note(self, keeper)

    def close(self) -> None:
        with self._lock:
            self._closed = True
            idle, self._idle = self._idle, []
            keeper, self._keeper = self._keeper, None
        for db in idle:
            if self.budget is not None:
                self.budget.forget(db)
            db.conn.close()
        if keeper is not None:
            if self.keepers is not None:
                self.keepers.forget(keeper)
            keeper.close()


def open_keeper(path: Path) -> sqlite3.Connection:
    keeper = sqlite3.connect(path, timeout=15, check_same_thread=False)
    keeper.execute("SELECT COUNT(*) FROM sqlite_master").fetchone()  # joins the WAL: it counts at a last close
    return keeper
