"""Readable ids per sandbox (CNV-000001, CAS-000001, ...), from the `sequences` table inside the caller's write."""

from __future__ import annotations

import sqlite_utils


def next_id(db: sqlite_utils.Database, prefix: str, width: int = 6) -> str:
    db.execute(
        "INSERT INTO sequences (name, value) VALUES (?, 1) ON CONFLICT (name) DO UPDATE SET value = value + 1", [prefix]
    )
    value = db.execute("SELECT value FROM sequences WHERE name = ?", [prefix]).fetchone()[0]
    return f"{prefix}-{value:0{width}d}"
