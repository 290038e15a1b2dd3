"""Giving a SQLite file's write-ahead log back to the disk.

Every store here keeps a connection open per file (so no request's close checkpoints and deletes the WAL), and
SQLite's automatic checkpoints reuse a WAL but never shrink it: under load a -wal file only grows (203 of the
378 MB of var/ after a 30-minute load). `checkpoint` copies the log into the database and truncates it; the
composition root runs it for every file when the process is idle and when it stops.
"""

from __future__ import annotations

import logging
import sqlite3
from pathlib import Path

log = logging.getLogger(__name__)


def checkpoint(path: Path, timeout: float = 1.0) -> bool:
    """PRAGMA wal_checkpoint(TRUNCATE) on `path` through a connection of its own (thread-safe: the stores' own
    connections are never touched). True when the log was fully copied and truncated; False when a reader or a
    writer kept it busy for `timeout` seconds (the next idle moment tries again) or the file is gone."""
    path = Path(path)
    if not path.exists():
        return False
    try:
        conn = sqlite3.connect(path, timeout=timeout)
    except sqlite3.Error:
        return False
    try:
        busy, _, _ = conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
        return busy == 0
    except sqlite3.Error as exc:
        log.info("no checkpoint of %s: %s", path.name, exc)
        return False
    finally:
        conn.close()
