"""Readable ids per sandbox (CNV-000001, CAS-000001, ...), from the `sequences` table inside the caller's write."""

from __future__ import annotations

import sqlite_utils


def next_id(db: sqlite_utils.Database, prefix: str, width: int = 6) -> str:
    # One statement, read to its end: a RETURNING statement left unfinished would still be running at COMMIT.
    [(value,)] = db.execute(
        "INSERT INTO sequences (name, value) VALUES (?, 1) ON CONFLICT (name) DO UPDATE SET value = value + 1 "
        "RETURNING value",
        [prefix],
    ).fetchall()
    return f"{prefix}-{value:0{width}d}"
