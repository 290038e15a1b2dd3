"""Who did a step of a case or a PQR (schema/70-acted-by.sql): written in the step's own transaction."""

from __future__ import annotations

import sqlite_utils

from claro_backoffice.gateway.domain_errors import RuleBroken


def record(db: sqlite_utils.Database, subject: str, action: str, actor: str | None, at: str) -> None:
    if actor:
        db.execute(
            "INSERT OR REPLACE INTO acted_by (subject, action, actor, at) VALUES (?, ?, ?, ?)",
            [subject, action, actor, at],
        )


def who(db: sqlite_utils.Database, subject: str, action: str) -> str | None:
    found = db.execute("SELECT actor FROM acted_by WHERE subject = ? AND action = ?", [subject, action]).fetchone()
    return found[0] if found else None


def acting(named: str | None, case: dict, field: str | None, what: str) -> str:
    """Who a back-office write of the case is made as: the one named (the token's user, or the body's `field`),
    else the case's advisor; a 422 when nobody is known (a write is never signed with an invented login)."""
    who = named or case["advisor"]
    if not who:
        give = f"give '{field}', or " if field else ""
        raise RuleBroken(
            f"case {case['id']} has no advisor and nobody is named to {what}: {give}use a token that carries its "
            "user (POST /admin/tokens)",
            "actor-required",
            **({"field": field} if field else {}),
        )
    return who
