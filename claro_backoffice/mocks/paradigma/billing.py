"""Paradigma's billing cycle: when invoices are issued, what goes on them, and the billing run that issues the
invoices whose date has come on the sandbox's virtual clock.

An account is billed on its cycle day (1, 8, 15 or 22) every month; an invoice is due 15 days after its issue
date and bills the month before its issue date (`period`). Its lines are the recurring charges of the account's
last invoice, the device-financing installments due in the month after the issue date, and the credits of
approved adjustments not yet applied (as negative lines, never taking the invoice below zero; what is left stays
pending for the next invoice).
"""

from __future__ import annotations

import datetime as dt

from claro_backoffice.core.timezone import BOGOTA
from claro_backoffice.mocks.kit.sql import rows as _rows
from claro_backoffice.world.money import add_months

DUE_DAYS = 15
MAX_CATCH_UP = 36  # invoices one billing run issues per account at most (a clock moved years ahead)
INVOICE_PREFIX = "FV"
PDF_BASE = "https://facturas.claro.com.co"


def next_issue_date(after: dt.date, cycle: int) -> dt.date:
    """The first issue date strictly after `after` for a billing cycle day (an issue date itself is billed)."""
    day = min(cycle, 28)
    this_month = after.replace(day=day)
    return this_month if after.day < day else add_months(this_month, 1)


def period_of(issue: dt.date) -> str:
    return (issue - dt.timedelta(days=1)).strftime("%Y-%m")


def pdf_url(invoice: dict) -> str | None:
    if invoice["delivery_mode"] != "digital":
        return None
    line = "hogar" if invoice["system"] == "rr" else "movil"
    return f"{PDF_BASE}/{line}/{invoice['account_number']}/{invoice['invoice_id']}.pdf"


def approved_adjustments(events: list[dict]) -> dict[str, list[dict]]:
    """Approved adjustments per account from `adjustment.*` events; malformed ones and repeats are ignored."""
    by_account: dict[str, list[dict]] = {}
    seen = set()
    for event in events:
        p = event.get("payload") or {}
        account = event.get("key") or p.get("account_number")
        adjustment_id, amount = p.get("adjustment_id"), p.get("amount")
        if not account or not isinstance(adjustment_id, str) or not adjustment_id or adjustment_id in seen:
            continue
        if isinstance(amount, bool) or not isinstance(amount, int) or amount <= 0:
            continue
        try:
            approved = dt.datetime.fromisoformat(str(p.get("approved_at")))
        except ValueError:
            continue
        approved = approved if approved.tzinfo else approved.replace(tzinfo=BOGOTA)
        seen.add(adjustment_id)
        by_account.setdefault(account, []).append(
            {
                "adjustment_id": adjustment_id,
                "amount": amount,
                "approved_at": approved.astimezone(BOGOTA).isoformat(),
                "description": str(p.get("description") or "Ajuste aprobado")[:200],
            }
        )
    return by_account


class Billing:
    """The billing rules over one sandbox's store; `adjustments` maps an account to its approved adjustments."""

    def __init__(self, db, adjustments: dict[str, list[dict]]):
        self.db = db
        self.adjustments = adjustments

    def applied(self, adjustment_id: str) -> int:
        return self.db.execute(
            "SELECT COALESCE(SUM(amount), 0) FROM credit_applications WHERE adjustment_id = ?", [adjustment_id]
        ).fetchone()[0]

    def pending_credits(self, account_number: str, approved_before: dt.datetime | None = None) -> list[dict]:
        credits = []
        for adj in self.adjustments.get(account_number, []):
            if approved_before and dt.datetime.fromisoformat(adj["approved_at"]) >= approved_before:
                continue
            applied = self.applied(adj["adjustment_id"])
            if applied < adj["amount"]:
                credits.append(dict(adj, applied_amount=applied, pending_amount=adj["amount"] - applied))
        return credits

    def delivery_on(self, account_number: str, day: dt.date) -> dict:
        """The delivery mode in effect on `day`: the latest change effective by then, else the account's own."""
        change = _rows(
            self.db.execute(
                "SELECT mode, email FROM delivery_changes WHERE account_number = ? AND effective_from <= ? "
                "ORDER BY effective_from DESC, change_id DESC LIMIT 1",
                [account_number, day.isoformat()],
            )
        )
        if change:
            return change[0]
        own = _rows(self.db.execute("SELECT mode, email FROM delivery WHERE account_number = ?", [account_number]))
        return own[0] if own else {"mode": "physical", "email": None}

    def compose(self, account_number: str, issue: dt.date, credits: list[dict]) -> dict:
        """The lines and total of the invoice an account gets on `issue`, applying `credits` as far as they go."""
        last = self.db.execute(
            "SELECT invoice_id FROM invoices WHERE account_number = ? ORDER BY issue_date DESC, "
            "invoice_id DESC LIMIT 1",
            [account_number],
        ).fetchone()
        lines = [
            {"description": r["description"], "amount": r["amount"], "kind": "charge", "adjustment_id": None}
            for r in _rows(
                self.db.execute(
                    "SELECT description, amount FROM invoice_lines WHERE invoice_id = ? "
                    "AND kind = 'charge' ORDER BY line_number",
                    [last[0] if last else ""],
                )
            )
        ]
        lines += [
            {
                "description": f"Cuota {r['number']} financiación {r['product']}",
                "amount": r["amount"],
                "kind": "installment",
                "adjustment_id": None,
            }
            for r in _rows(
                self.db.execute(
                    "SELECT number, product, amount FROM installments WHERE account_number = ? AND due_date >= ? "
                    "AND due_date < ? ORDER BY due_date, credit_id",
                    [account_number, issue.isoformat(), add_months(issue, 1).isoformat()],
                )
            )
        ]
        charges = sum(line["amount"] for line in lines)
        room, applications, carried = charges, [], 0
        for credit in credits:
            used = min(credit["pending_amount"], room)
            carried += credit["pending_amount"] - used
            if used:
                room -= used
                applications.append((credit["adjustment_id"], used))
                lines.append(
                    {
                        "description": f"Ajuste {credit['adjustment_id']}: {credit['description']}",
                        "amount": -used,
                        "kind": "credit",
                        "adjustment_id": credit["adjustment_id"],
                    }
                )
        for number, line in enumerate(lines, start=1):
            line["line_number"] = number
        return {
            "lines": lines,
            "charges_total": charges,
            "credits_total": room - charges,
            "amount": room,
            "credit_carried_forward": carried,
            "applications": applications,
        }

    # ---- the billing run -----------------------------------------------------------------------------------------
    def _due(self, today: dt.date) -> list[tuple[dt.date, str]]:
        schedule = []
        for row in _rows(
            self.db.execute(
                "SELECT a.account_number, a.billing_cycle, MAX(i.issue_date) AS last_issue FROM accounts a "
                "JOIN invoices i ON i.account_number = a.account_number GROUP BY a.account_number"
            )
        ):
            issue = dt.date.fromisoformat(row["last_issue"])
            for _ in range(MAX_CATCH_UP):
                issue = next_issue_date(issue, row["billing_cycle"])
                if issue > today:
                    break
                schedule.append((issue, row["account_number"]))
        return sorted(schedule)

    def run(self, today: dt.date) -> int:
        """Issue every invoice whose date has come, oldest first; returns how many were issued."""
        if not self._due(today):
            return 0
        conn = self.db.conn
        conn.execute("BEGIN IMMEDIATE")
        try:
            schedule = self._due(today)  # again, under the lock: another request may have run it meanwhile
            for issue, account_number in schedule:
                self._issue(account_number, issue)
            conn.commit()
        except BaseException:
            conn.rollback()
            raise
        return len(schedule)

    def _issue(self, account_number: str, issue: dt.date) -> None:
        account = _rows(self.db.execute("SELECT * FROM accounts WHERE account_number = ?", [account_number]))[0]
        cutoff = dt.datetime.combine(issue, dt.time(), tzinfo=BOGOTA)
        bill = self.compose(account_number, issue, self.pending_credits(account_number, approved_before=cutoff))
        last = self.db.execute(
            "SELECT MAX(invoice_id) FROM invoices WHERE invoice_id GLOB ?", [INVOICE_PREFIX + "[0-9]" * 10]
        ).fetchone()[0]
        invoice_id = f"{INVOICE_PREFIX}{int(last[len(INVOICE_PREFIX) :]) + 1 if last else 1:010d}"
        delivery = self.delivery_on(account_number, issue)
        settled = bill["amount"] == 0
        self.db.conn.execute(
            "INSERT INTO invoices (invoice_id, account_number, customer_id, period, issue_date, due_date, amount, "
            "currency, state, system, amount_paid, delivery_mode, delivery_email, source) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, 'COP', ?, ?, 0, ?, ?, 'billing_run')",
            [
                invoice_id,
                account_number,
                account["customer_id"],
                period_of(issue),
                issue.isoformat(),
                (issue + dt.timedelta(days=DUE_DAYS)).isoformat(),
                bill["amount"],
                "settled" if settled else "sent",
                account["system"],
                delivery["mode"],
                delivery["email"],
            ],
        )
        for line in bill["lines"]:
            self.db.conn.execute(
                "INSERT INTO invoice_lines (invoice_id, line_number, description, amount, kind, adjustment_id) "
                "VALUES (?, ?, ?, ?, ?, ?)",
                [
                    invoice_id,
                    line["line_number"],
                    line["description"],
                    line["amount"],
                    line["kind"],
                    line["adjustment_id"],
                ],
            )
        for (adjustment_id, amount), line in zip(
            bill["applications"], [ln for ln in bill["lines"] if ln["kind"] == "credit"], strict=True
        ):
            self.db.conn.execute(
                "INSERT INTO credit_applications (adjustment_id, invoice_id, line_number, amount) VALUES (?, ?, ?, ?)",
                [adjustment_id, invoice_id, line["line_number"], amount],
            )
