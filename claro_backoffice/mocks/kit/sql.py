"""Small SQLite helpers every mock's backend uses."""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Iterator
from typing import Any

import sqlite_utils


def rows(cursor: sqlite3.Cursor) -> list[dict[str, Any]]:
    """A cursor's rows as dicts keyed by column name."""
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, values, strict=True)) for values in cursor.fetchall()]


@contextlib.contextmanager
def immediate(db: sqlite_utils.Database) -> Iterator[None]:
    """One write transaction taken before reading what it decides on (BEGIN IMMEDIATE), so two concurrent
    requests can't both act on the same read; committed at the end, rolled back on any error."""
    conn = db.conn
    if conn.in_transaction:
        conn.commit()
    conn.execute("BEGIN IMMEDIATE")
    try:
        yield
    except BaseException:
        conn.rollback()
        raise
    conn.commit()
