"""A case's timeline: every back-office call made with `X-Case-Id` (which system, what was asked, what it said)
and the case's own steps, in order, stamped with the sandbox's virtual time."""

from __future__ import annotations

import sqlite_utils

from claro_backoffice.gateway.backoffice.base import CallContext
from claro_backoffice.gateway.cases.clock import Clocks
from claro_backoffice.gateway.cases.store import CrmStore, rows


class CaseTimeline:
    def __init__(self, crm: CrmStore, clocks: Clocks):
        self.crm = crm
        self.clocks = clocks

    def record(self, ctx: CallContext, system: str, method: str, path: str, outcome: str) -> None:
        """The adapters' observer (gateway/backoffice/base.py): one row per call made for a case."""
        assert ctx.case_id is not None  # the adapters observe only calls made with a case id
        self.add(ctx.sandbox, ctx.case_id, "call", f"{method} {path}", outcome, system=system)

    def add(
        self,
        sandbox: str,
        case_id: str,
        kind: str,
        action: str,
        outcome: str,
        *,
        system: str | None = None,
        detail: str | None = None,
        db: sqlite_utils.Database | None = None,
    ) -> None:
        """One row; inside the caller's write transaction when `db` is given."""
        values = [case_id, self.clocks.now(sandbox).isoformat(), kind, system, action, outcome, detail]
        sql = (
            "INSERT INTO case_timeline (case_id, at, kind, system, action, outcome, detail) "
            "VALUES (?, ?, ?, ?, ?, ?, ?)"
        )
        if db is not None:
            db.execute(sql, values)
            return
        with self.crm.write(sandbox) as own:
            if own.execute("SELECT 1 FROM cases WHERE id = ?", [case_id]).fetchone():
                own.execute(sql, values)

    def of(self, db: sqlite_utils.Database, case_id: str) -> list[dict]:
        return [
            {k: v for k, v in r.items() if v is not None}
            for r in rows(
                db.execute(
                    "SELECT at, kind, system, action, outcome, detail FROM case_timeline "
                    "WHERE case_id = ? ORDER BY seq",
                    [case_id],
                )
            )
        ]
