"""Adjustment requests (ajustes) on a billing account, as RR (home) and AC (mobile) register them: the same rules in
both systems, so they live here once; each system passes its own account check and identifier prefix.

A request is `pending` until a supervisor approves or rejects it; an amount up to AUTO_APPROVE_LIMIT COP is approved
at once (the advisor's own authority). Approval appends the event Paradigma folds into the account's next invoice:
type `adjustment.approved`, key the account number, payload {adjustment_id, account_number, amount, description,
approved_at} (mocks/paradigma/billing.py `approved_adjustments`). A rejection emits nothing.

Each system's seed writes the `adjustments` table (`create_table`) with two pending requests, so a supervisor's
queue is never empty in a fresh sandbox.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import sqlite_utils

from claro_backoffice.mocks.kit.context import Session
from claro_backoffice.mocks.kit.problems import conflict, not_found
from claro_backoffice.mocks.kit.sql import rows as _rows

AUTO_APPROVE_LIMIT = 50_000  # COP; UNVERIFIED: the real approval matrix is not documented
EVENT_TYPE = "adjustment.approved"
COLUMNS = {
    "adjustment_id": str,
    "account_number": str,
    "customer_id": str,
    "amount": int,
    "reason": str,
    "invoice_id": str,
    "case_id": str,
    "advisor": str,
    "status": str,
    "auto_approved": int,
    "requested_at": str,
    "decided_at": str,
    "decided_by": str,
    "decision_notes": str,
}


def create_table(db: sqlite_utils.Database, pending: list[dict[str, Any]]) -> None:
    """The table and the seeded pending requests (each a dict of COLUMNS' keys, minus the decision)."""
    db.table("adjustments").create(COLUMNS, pk="adjustment_id", foreign_keys=[("account_number", "accounts")])
    db.table("adjustments").create_index(["account_number", "requested_at"])
    db.table("adjustments").insert_all(
        {
            "status": "pending",
            "auto_approved": 0,
            "invoice_id": None,
            "case_id": None,
            "decided_at": None,
            "decided_by": None,
            "decision_notes": None,
            **p,
        }
        for p in pending
    )


def _view(row: dict[str, Any]) -> dict[str, Any]:
    return dict(row, auto_approved=bool(row["auto_approved"]))


class AdjustmentLedger:
    def __init__(self, session: Session, system_name: str, prefix: str) -> None:
        self.s, self.db = session, session.db
        self.system_name, self.prefix = system_name, prefix

    def _next_id(self) -> str:
        last = self.db.execute(
            "SELECT MAX(adjustment_id) FROM adjustments WHERE adjustment_id GLOB ?", [self.prefix + "[0-9]" * 8]
        ).fetchone()[0]
        return f"{self.prefix}{int(last[len(self.prefix) :]) + 1 if last else 1:08d}"

    def _now(self) -> str:
        return self.s.now().replace(microsecond=0).isoformat()

    def list(self, account_number: str | None, status: str | None = None) -> list[dict[str, Any]]:
        """An account's requests (every account's with None: a supervisor's queue), newest first."""
        return [
            _view(r)
            for r in _rows(
                self.db.execute(
                    "SELECT * FROM adjustments WHERE (? IS NULL OR account_number = ?) AND (? IS NULL OR status = ?) "
                    "ORDER BY requested_at DESC, adjustment_id DESC",
                    [account_number, account_number, status, status],
                )
            )
        ]

    def get(self, adjustment_id: str) -> dict[str, Any]:
        found = _rows(self.db.execute("SELECT * FROM adjustments WHERE adjustment_id = ?", [adjustment_id]))
        if not found:
            raise not_found(f"adjustment {adjustment_id} does not exist in {self.system_name}", "adjustment-not-found")
        return _view(found[0])

    def request(self, account: dict[str, Any], body: dict[str, Any]) -> dict[str, Any]:
        """Register a request for `account` (already checked by the system); small amounts are approved at once."""
        now = self._now()
        auto = body["amount"] <= AUTO_APPROVE_LIMIT
        row = {
            "adjustment_id": self._next_id(),
            "account_number": account["account_number"],
            "customer_id": account["customer_id"],
            "amount": body["amount"],
            "reason": body["reason"],
            "invoice_id": body.get("invoice_id"),
            "case_id": body.get("case_id"),
            "advisor": body["advisor"],
            "status": "approved" if auto else "pending",
            "auto_approved": int(auto),
            "requested_at": now,
            "decided_at": now if auto else None,
            "decided_by": "automatic" if auto else None,
            "decision_notes": f"aprobado automáticamente (hasta {AUTO_APPROVE_LIMIT} COP)" if auto else None,
        }
        self.db.table("adjustments").insert(row)
        self.db.conn.commit()
        if auto:
            self._emit(row)
        return _view(row)

    def decide(self, adjustment_id: str, approve: bool, body: dict[str, Any]) -> dict[str, Any]:
        current = self.get(adjustment_id)
        if current["status"] != "pending":
            raise conflict(
                f"adjustment {adjustment_id} was already {current['status']} on {current['decided_at']} by "
                f"{current['decided_by']}; only a pending request can be approved or rejected",
                "adjustment-decided",
            )
        now = self._now()
        status = "approved" if approve else "rejected"
        cursor = self.db.execute(
            "UPDATE adjustments SET status = ?, decided_at = ?, decided_by = ?, "
            "decision_notes = ? WHERE adjustment_id = ? AND status = 'pending'",
            [status, now, body["supervisor"], body.get("notes") or body.get("reason"), adjustment_id],
        )
        self.db.conn.commit()
        if cursor.rowcount != 1:  # decided by someone else in between
            return self.decide(adjustment_id, approve, body)
        row = self.get(adjustment_id)
        if approve:
            self._emit(row)
        return row

    def _emit(self, row: dict[str, Any]) -> None:
        approved_at = row["decided_at"] or self._now()
        self.s.emit(
            EVENT_TYPE,
            row["account_number"],
            {
                "adjustment_id": row["adjustment_id"],
                "account_number": row["account_number"],
                "amount": row["amount"],
                "description": row["reason"][:200],
                "approved_at": approved_at,
            },
        )


def seeded_at(now: dt.datetime, days_before: int, hour: int) -> str:
    return dt.datetime.combine(
        now.date() - dt.timedelta(days=days_before), dt.time(hour, 0), tzinfo=now.tzinfo
    ).isoformat()
