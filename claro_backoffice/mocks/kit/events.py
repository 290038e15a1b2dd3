"""The per-sandbox event log: how an effect crosses systems without one mock importing another.

A system appends what it did (a visit booked in Gestión); another folds those events into what it shows (the
LLS in RR). Resetting or deleting a sandbox in a system withdraws that system's events, so a reset of every
system leaves nothing behind. One SQLite file per sandbox under var/events/, shared by all systems.

Retention (EVENT_LOG_RETENTION, 10,000): a log keeps its newest events, counted by id; each append drops what
fell out of that window (a delete on the primary key, one row at a time), so a long-running sandbox stays small
and forgets its oldest cross-system effects first.
"""

from __future__ import annotations

import json
import sqlite3
import threading
import time
from pathlib import Path
from typing import Any


class EventLog:
    """One sandbox's log. Each thread keeps its connection (opened, and the table ensured, on its first call):
    RR reads the log on every account GET, where a connection per call was a visible share of the time."""

    def __init__(self, path: Path, retention: int = 10000) -> None:
        self.path = path
        self.retention = retention
        self._conns: dict[int, sqlite3.Connection] = {}  # thread id -> its connection

    def _connect(self) -> sqlite3.Connection:
        conn = self._conns.get(threading.get_ident())
        if conn is not None:
            return conn
        self.path.parent.mkdir(parents=True, exist_ok=True)
        conn = sqlite3.connect(self.path, timeout=10, check_same_thread=False)
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("PRAGMA synchronous = NORMAL")
        conn.execute("""CREATE TABLE IF NOT EXISTS events (id INTEGER PRIMARY KEY AUTOINCREMENT, at REAL NOT NULL,
            virtual_at TEXT, source TEXT NOT NULL, type TEXT NOT NULL, key TEXT, payload TEXT NOT NULL)""")
        conn.execute("CREATE INDEX IF NOT EXISTS events_type_key ON events (type, key)")
        conn.commit()
        self._conns[threading.get_ident()] = conn
        return conn

    def append(
        self, source: str, type_: str, key: str | None, payload: dict[str, Any], virtual_at: str | None = None
    ) -> int:
        with self._connect() as conn:
            cursor = conn.execute(
                "INSERT INTO events (at, virtual_at, source, type, key, payload) VALUES (?, ?, ?, ?, ?, ?)",
                [time.time(), virtual_at, source, type_, key, json.dumps(payload, ensure_ascii=False)],
            )
            assert cursor.lastrowid is not None  # an INSERT's
            if cursor.lastrowid > self.retention:
                conn.execute("DELETE FROM events WHERE id <= ?", [cursor.lastrowid - self.retention])
        return cursor.lastrowid

    def read(self, type_prefix: str | None = None, key: str | None = None) -> list[dict[str, Any]]:
        """Events in the order they happened, optionally of one type family ('visit.') and one key."""
        if not self.path.exists():
            return []
        where: list[str] = []
        args: list[str | int] = []
        if type_prefix:
            where.append("substr(type, 1, ?) = ?")
            args.extend([len(type_prefix), type_prefix])
        if key is not None:
            where.append("key = ?")
            args.append(key)
        rows = (
            self._connect()
            .execute(
                "SELECT id, virtual_at, source, type, key, payload FROM events"
                f"{' WHERE ' + ' AND '.join(where) if where else ''} ORDER BY id",
                args,
            )
            .fetchall()
        )
        return [
            {"id": r[0], "virtual_at": r[1], "source": r[2], "type": r[3], "key": r[4], "payload": json.loads(r[5])}
            for r in rows
        ]

    def close(self) -> None:
        """Every thread's connection closed (its sandbox is being deleted: each kept the file open for good)."""
        conns, self._conns = list(self._conns.values()), {}
        for conn in conns:
            conn.close()

    def withdraw(self, source: str) -> int:
        if not self.path.exists():
            return 0
        with self._connect() as conn:
            return conn.execute("DELETE FROM events WHERE source = ?", [source]).rowcount
