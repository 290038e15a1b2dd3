"""Who did a step of a case or a PQR (schema/70-acted-by.sql): written in the step's own transaction."""

from __future__ import annotations

import sqlite_utils


def record(db: sqlite_utils.Database, subject: str, action: str, actor: str | None, at: str) -> None:
    if actor:
        db.execute(
            "INSERT OR REPLACE INTO acted_by (subject, action, actor, at) VALUES (?, ?, ?, ?)",
            [subject, action, actor, at],
        )


def who(db: sqlite_utils.Database, subject: str, action: str) -> str | None:
    found = db.execute("SELECT actor FROM acted_by WHERE subject = ? AND action = ?", [subject, action]).fetchone()
    return found[0] if found else None
