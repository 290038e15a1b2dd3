"""Paradigma: the invoices of a billing account (home or mobile), their lines and PDF, and how the invoice is
delivered (physical to the account's address, or digital to an e-mail).

Invoice states are TMF678 customerBill states (new, onHold, validated, sent, settled, partiallyPaid). An invoice is
`overdue` when it is unpaid (sent or partiallyPaid) and its due date has passed on the sandbox's virtual clock.
A delivery change takes effect on the account's next issue date after the request: until that date it shows as
`pending_change`, and the invoice issued that day is the first delivered the new way.

Approved adjustments (credits) come from the case flow through the sandbox's event log (`adjustment.*` events keyed
by account number, payload {adjustment_id, account_number, amount, description, approved_at}): they show as
`pending_credits`, as negative lines of the next-invoice preview, and as credit lines of the next invoice issued.

LIMITATIONS (where this mock departs from the real Paradigma):
- Paradigma is a web application for people; this is a JSON API over the same concepts, with snake_case fields.
- Invoices are issued lazily: any request first runs the billing cycle up to the virtual clock's date, issuing the
  invoices whose date has come (at most 36 per account), with the last invoice's recurring charges, the ASCARD
  installments due that month and the pending credits. Prices never change and no consumption is billed.
- Payments are not modelled: an issued invoice stays `sent` (or `settled` when credits cover it entirely).
- A delivery change has no cut-off: a request the day before the issue date still applies to that invoice.
- Moving the clock backwards does not withdraw invoices already issued.
- The PDF link is synthetic (nothing is served there); digital invoices have one, physical ones don't.
"""

from __future__ import annotations

import datetime as dt

from claro_backoffice.mocks.kit.problems import conflict, not_found
from claro_backoffice.mocks.paradigma.billing import (
    DUE_DAYS,
    Billing,
    _rows,
    approved_adjustments,
    next_issue_date,
    pdf_url,
    period_of,
)

UNPAID = ("sent", "partiallyPaid")
_MODE_ES = {"physical": "física (a la dirección de la cuenta)", "digital": "digital"}


class ParadigmaBackend:
    def __init__(self, session):
        self.s = session
        self.db = session.db
        self.today = session.now().date()
        # Every account's adjustments: the billing run may issue invoices for any account.
        self.billing = Billing(self.db, approved_adjustments(session.events.read("adjustment.")))
        self.billing.run(self.today)

    # ---- accounts -------------------------------------------------------------------------------------------------
    def _account(self, account_number: str) -> dict:
        rows = _rows(self.db.execute("SELECT * FROM accounts WHERE account_number = ?", [account_number]))
        if not rows:
            raise not_found(f"account {account_number} does not exist in Paradigma", "account-not-found")
        if rows[0]["billing_type"] == "prepago":
            raise not_found(
                f"account {account_number} is a prepaid mobile account: prepaid lines are not invoiced, "
                "so Paradigma has no invoices or delivery for it",
                "prepaid-account",
            )
        return rows[0]

    def _last_issue(self, account_number: str) -> dt.date:
        last = self.db.execute(
            "SELECT MAX(issue_date) FROM invoices WHERE account_number = ?", [account_number]
        ).fetchone()[0]
        return dt.date.fromisoformat(last) if last else self.today

    def _next_issue(self, account: dict) -> dt.date:
        return next_issue_date(max(self.today, self._last_issue(account["account_number"])), account["billing_cycle"])

    def account(self, account_number: str) -> dict:
        account = self._account(account_number)
        view = {
            k: account[k]
            for k in ("account_number", "customer_id", "system", "holder_name", "billing_type", "billing_cycle")
        }
        view["next_issue_date"] = self._next_issue(account).isoformat()
        view["delivery"] = self.delivery(account_number)
        return view

    # ---- invoices ------------------------------------------------------------------------------------------------
    def _invoice_view(self, row: dict) -> dict:
        keys = (
            "invoice_id",
            "account_number",
            "customer_id",
            "system",
            "period",
            "issue_date",
            "due_date",
            "amount",
            "currency",
            "state",
            "amount_paid",
            "delivery_mode",
        )
        view = {k: row[k] for k in keys}
        view["balance_due"] = row["amount"] - row["amount_paid"]
        view["overdue"] = row["state"] in UNPAID and dt.date.fromisoformat(row["due_date"]) < self.today
        view["pdf_url"] = pdf_url(row)
        return view

    def _credit_view(self, credit: dict) -> dict:
        return {
            k: credit[k]
            for k in ("adjustment_id", "amount", "applied_amount", "pending_amount", "description", "approved_at")
        }

    def invoices(self, account_number: str, state: str | None, limit: int, offset: int) -> dict:
        account = self._account(account_number)
        rows = _rows(
            self.db.execute(
                "SELECT * FROM invoices WHERE account_number = ? AND (? IS NULL OR state = ?) "
                "ORDER BY issue_date DESC, invoice_id DESC",
                [account_number, state, state],
            )
        )
        credits = [self._credit_view(c) for c in self.billing.pending_credits(account_number)]
        return {
            "account_number": account_number,
            "customer_id": account["customer_id"],
            "invoices": [self._invoice_view(r) for r in rows[offset : offset + limit]],
            "total": len(rows),
            "limit": limit,
            "offset": offset,
            "pending_credits": credits,
            "pending_credit_total": sum(c["pending_amount"] for c in credits),
        }

    def invoice(self, invoice_id: str) -> dict:
        rows = _rows(self.db.execute("SELECT * FROM invoices WHERE invoice_id = ?", [invoice_id]))
        if not rows:
            raise not_found(f"invoice {invoice_id} does not exist in Paradigma", "invoice-not-found")
        row = rows[0]
        account = _rows(self.db.execute("SELECT * FROM accounts WHERE account_number = ?", [row["account_number"]]))[0]
        view = self._invoice_view(row)
        view["delivery_email"] = row["delivery_email"] if row["delivery_mode"] == "digital" else None
        view["delivery_address"] = (
            f"{account['address']}, {account['municipality']}" if row["delivery_mode"] == "physical" else None
        )
        view["lines"] = _rows(
            self.db.execute(
                "SELECT line_number, description, amount, kind, adjustment_id FROM invoice_lines WHERE invoice_id = ? "
                "ORDER BY line_number",
                [invoice_id],
            )
        )
        return view

    def next_invoice(self, account_number: str) -> dict:
        account = self._account(account_number)
        issue = self._next_issue(account)
        bill = self.billing.compose(account_number, issue, self.billing.pending_credits(account_number))
        delivery = self.billing.delivery_on(account_number, issue)
        return {
            "account_number": account_number,
            "customer_id": account["customer_id"],
            "estimated": True,
            "period": period_of(issue),
            "issue_date": issue.isoformat(),
            "due_date": (issue + dt.timedelta(days=DUE_DAYS)).isoformat(),
            "currency": "COP",
            "delivery_mode": delivery["mode"],
            "lines": bill["lines"],
            "charges_total": bill["charges_total"],
            "credits_total": bill["credits_total"],
            "amount": bill["amount"],
            "credit_carried_forward": bill["credit_carried_forward"],
        }

    # ---- delivery --------------------------------------------------------------------------------------------------
    def _pending_change(self, account_number: str) -> dict | None:
        rows = _rows(
            self.db.execute(
                "SELECT mode, email, requested_at, effective_from, advisor FROM delivery_changes WHERE "
                "account_number = ? AND effective_from > ? ORDER BY change_id DESC LIMIT 1",
                [account_number, self.today.isoformat()],
            )
        )
        return rows[0] if rows else None

    def delivery(self, account_number: str) -> dict:
        account = self._account(account_number)
        current = self.billing.delivery_on(account_number, self.today)
        return {
            "account_number": account_number,
            "mode": current["mode"],
            "email": current["email"] if current["mode"] == "digital" else None,
            "address": account["address"],
            "municipality": account["municipality"],
            "department": account["department"],
            "billing_cycle": account["billing_cycle"],
            "next_issue_date": self._next_issue(account).isoformat(),
            "pending_change": self._pending_change(account_number),
        }

    def change_delivery(self, account_number: str, body: dict) -> dict:
        account = self._account(account_number)
        mode = body["mode"]
        email = body["email"].strip().lower() if mode == "digital" else None
        current = self.delivery(account_number)
        conn = self.db.conn
        conn.execute("BEGIN IMMEDIATE")
        try:
            pending = self._pending_change(account_number)
            if (mode, email) == (current["mode"], current["email"]):
                if pending is None:
                    where = f" to {email}" if email else f" to {account['address']}"
                    raise conflict(
                        f"Paradigma: account {account_number} already receives its invoice {mode}"
                        f"{where}; nothing to change",
                        "delivery-unchanged",
                    )
                conn.execute(
                    "DELETE FROM delivery_changes WHERE account_number = ? AND effective_from > ?",
                    [account_number, self.today.isoformat()],
                )
                effective_from = None
                message = (
                    f"Se cancela el cambio pendiente: la factura se sigue entregando en modalidad {_MODE_ES[mode]}."
                )
            else:
                conn.execute(
                    "DELETE FROM delivery_changes WHERE account_number = ? AND effective_from > ?",
                    [account_number, self.today.isoformat()],
                )
                effective = self._next_issue(account)
                conn.execute(
                    "INSERT INTO delivery_changes (account_number, mode, email, requested_at, effective_from, "
                    "advisor) VALUES (?, ?, ?, ?, ?, ?)",
                    [
                        account_number,
                        mode,
                        email,
                        self.s.now().replace(microsecond=0).isoformat(),
                        effective.isoformat(),
                        body.get("advisor"),
                    ],
                )
                effective_from = effective.isoformat()
                destination = f" al correo {email}" if email else ""
                message = (
                    f"El cambio a factura {_MODE_ES[mode]}{destination} aplica desde la factura que se emite el "
                    f"{effective:%d/%m/%Y}; hasta entonces se mantiene la modalidad actual."
                )
            conn.commit()
        except BaseException:
            conn.rollback()
            raise
        return dict(self.delivery(account_number), effective_from=effective_from, message=message)
