"""ASCARD: the credits charged to a home (RR) or mobile (AC) account — device financing in monthly installments —
and the customer's payment behaviour.

Rules:
- An installment is `paid` once fully covered; a `pending` one whose due date has passed on the sandbox's clock
  (due_date < today, America/Bogota) reads `overdue`. A stored `overdue` stays overdue (a fixture plants one).
- A credit is `pagado` when every installment is paid, `en_mora` with any installment overdue, else `al_dia`.
- Payment behaviour: 2+ installments overdue -> `mora_60`, 1 -> `mora_30`; none overdue but some installment paid
  after its due date -> `regular`; otherwise the credit's own history (`excelente` or `bueno`).
- A payment (1,000 to 20,000,000 COP) covers the unpaid installments overdue first, then by due date. A partial
  amount is kept as an abono (`amount_paid`) on the next installment, which stays unpaid until fully covered.
  Paying more than the outstanding balance, or paying a credit already `pagado`, is a 409.
- Each payment is announced on the event log (`credit.payment_registered`, key = the account number) so that
  Paradigma can show it.

LIMITATIONS (where this mock departs from the real ASCARD):
- No interest, late fees (intereses de mora) or insurance: an installment is principal / number of installments.
- Payments are recorded at once; the real system reconciles collection channels in batches.
- Payment behaviour is computed per credit from its installments, not from a credit bureau (Datacrédito) score.
- Installments billed on an invoice carry that invoice's id only for the last three invoices the world holds.
"""

from __future__ import annotations

import datetime as dt
import json

from claro_backoffice.mocks.kit.problems import conflict, not_found
from claro_backoffice.mocks.kit.sql import immediate
from claro_backoffice.mocks.kit.sql import rows as _rows

SEVERITY = ("excelente", "bueno", "regular", "mora_30", "mora_60")
PRODUCT_LINE = {"rr": "hogar", "ac": "movil"}


def _day(text: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(str(text)[:10])
    except ValueError:
        return None


class AscardBackend:
    def __init__(self, session):
        self.s = session
        self.db = session.db
        self.now = session.now()
        self.today = self.now.date()

    def _write(self):
        return immediate(self.db)

    # ---- installments ---------------------------------------------------------------------------------------
    def _status(self, inst: dict) -> str:
        if inst["status"] == "paid" or (inst["amount_paid"] or 0) >= inst["amount"]:
            return "paid"
        due = _day(inst["due_date"])
        if inst["status"] == "overdue" or (due is not None and due < self.today):
            return "overdue"
        return "pending"

    def _installment_view(self, inst: dict) -> dict:
        status = self._status(inst)
        paid = inst["amount"] if status == "paid" else min(inst["amount_paid"] or 0, inst["amount"])
        due = _day(inst["due_date"]) or self.today
        return {
            "credit_id": inst["credit_id"],
            "number": inst["number"],
            "due_date": inst["due_date"],
            "amount": inst["amount"],
            "amount_paid": paid,
            "amount_due": inst["amount"] - paid,
            "status": status,
            "paid_at": inst["paid_at"],
            "days_past_due": (self.today - due).days if status == "overdue" else 0,
            "invoice_id": inst["invoice_id"],
        }

    def _installments(self, credit_id: str) -> list[dict]:
        return [
            self._installment_view(i)
            for i in _rows(
                self.db.execute("SELECT * FROM installments WHERE credit_id = ? ORDER BY number", [credit_id])
            )
        ]

    # ---- credits --------------------------------------------------------------------------------------------
    def _credit_row(self, credit_id: str) -> dict:
        rows = _rows(self.db.execute("SELECT * FROM credits WHERE credit_id = ?", [credit_id]))
        if not rows:
            raise not_found(f"credit {credit_id} does not exist in ASCARD", "credit-not-found")
        return rows[0]

    def _summary(self, credit: dict, installments: list[dict]) -> dict:
        overdue = [i for i in installments if i["status"] == "overdue"]
        unpaid = [i for i in installments if i["status"] != "paid"]
        late = any(i["status"] == "paid" and i["paid_at"] and i["paid_at"][:10] > i["due_date"] for i in installments)
        if len(overdue) >= 2:
            behaviour = "mora_60"
        elif overdue:
            behaviour = "mora_30"
        else:
            behaviour = "regular" if late else credit["base_behaviour"]
        upcoming = next((i for i in installments if i["status"] == "pending"), None)
        return {
            "credit_id": credit["credit_id"],
            "customer_id": credit["customer_id"],
            "account_number": credit["account_number"],
            "system": credit["system"],
            "product_line": PRODUCT_LINE.get(credit["system"], credit["system"]),
            "product": credit["product"],
            "imei": credit["imei"],
            "principal": credit["principal"],
            "currency": "COP",
            "installment_count": credit["installment_count"],
            "installment_amount": credit["installment_amount"],
            "start_date": credit["start_date"],
            "installments_paid": len(installments) - len(unpaid),
            "installments_overdue": len(overdue),
            "installments_pending": len(unpaid) - len(overdue),
            "outstanding_balance": sum(i["amount_due"] for i in unpaid),
            "overdue_amount": sum(i["amount_due"] for i in overdue),
            "days_past_due": max((i["days_past_due"] for i in overdue), default=0),
            "next_due_date": upcoming["due_date"] if upcoming else None,
            "status": "pagado" if not unpaid else "en_mora" if overdue else "al_dia",
            "payment_behaviour": behaviour,
        }

    def credit(self, credit_id: str) -> dict:
        credit = self._credit_row(credit_id)
        installments = self._installments(credit_id)
        return dict(self._summary(credit, installments), installments=installments, checked_at=self.now.isoformat())

    def installments(self, credit_id: str, status: str | None = None) -> list[dict]:
        self._credit_row(credit_id)
        return [i for i in self._installments(credit_id) if status is None or i["status"] == status]

    def _credits_where(self, column: str, value: str) -> list[dict]:
        credits = _rows(self.db.execute(f"SELECT * FROM credits WHERE {column} = ? ORDER BY credit_id", [value]))
        return [self._summary(c, self._installments(c["credit_id"])) for c in credits]

    def customer_credits(self, customer_id: str) -> list[dict]:
        self._customer(customer_id)
        return self._credits_where("customer_id", customer_id)

    def account_credits(self, account_number: str) -> tuple[dict, list[dict]]:
        rows = _rows(self.db.execute("SELECT * FROM accounts WHERE account_number = ?", [account_number]))
        if not rows:
            raise not_found(
                f"account {account_number} is not a home (RR) or mobile (AC) account known to ASCARD",
                "account-not-found",
            )
        return rows[0], self._credits_where("account_number", account_number)

    def _customer(self, customer_id: str) -> dict:
        rows = _rows(self.db.execute("SELECT * FROM customers WHERE customer_id = ?", [customer_id]))
        if not rows:
            raise not_found(f"customer {customer_id} is not known to ASCARD", "customer-not-found")
        return rows[0]

    def payment_behaviour(self, customer_id: str) -> dict:
        customer = self._customer(customer_id)
        credits = self._credits_where("customer_id", customer_id)
        open_credits = [c for c in credits if c["status"] != "pagado"]
        worst = max((c["payment_behaviour"] for c in credits), key=SEVERITY.index, default=None)
        return {
            "customer_id": customer_id,
            "full_name": customer["full_name"],
            "credits_total": len(credits),
            "credits_open": len(open_credits),
            "credits_in_arrears": sum(1 for c in credits if c["status"] == "en_mora"),
            "outstanding_balance": sum(c["outstanding_balance"] for c in credits),
            "overdue_amount": sum(c["overdue_amount"] for c in credits),
            "installments_overdue": sum(c["installments_overdue"] for c in credits),
            "max_days_past_due": max((c["days_past_due"] for c in credits), default=0),
            "status": "sin_creditos"
            if not credits
            else "en_mora"
            if any(c["status"] == "en_mora" for c in credits)
            else "al_dia",
            "payment_behaviour": worst or "sin_historial",
            "currency": "COP",
            "checked_at": self.now.isoformat(),
        }

    # ---- payments -------------------------------------------------------------------------------------------
    @staticmethod
    def _payment_view(row: dict) -> dict:
        return {
            "payment_id": row["payment_id"],
            "credit_id": row["credit_id"],
            "amount": row["amount"],
            "currency": "COP",
            "channel": row["channel"],
            "paid_at": row["paid_at"],
            "registered_by": row["registered_by"],
            "allocations": json.loads(row["allocations"] or "[]"),
        }

    def payments(self, credit_id: str) -> list[dict]:
        self._credit_row(credit_id)
        return [
            self._payment_view(r)
            for r in _rows(
                self.db.execute(
                    "SELECT * FROM payments WHERE credit_id = ? ORDER BY paid_at DESC, payment_id DESC", [credit_id]
                )
            )
        ]

    def _next_payment_id(self) -> str:
        top = self.db.execute(
            "SELECT MAX(payment_id) FROM payments WHERE payment_id GLOB ?", ["PG" + "[0-9]" * 10]
        ).fetchone()[0]
        number = int(top[2:]) + 1 if top else 1
        while self.db.execute("SELECT 1 FROM payments WHERE payment_id = ?", [f"PG{number % 10**10:010d}"]).fetchone():
            number += 1
        return f"PG{number % 10**10:010d}"

    def register_payment(self, credit_id: str, body: dict) -> dict:
        with self._write():
            credit, row = self._pay(credit_id, body)
        self.s.emit(
            "credit.payment_registered",
            credit["account_number"],
            {
                "credit_id": credit_id,
                "payment_id": row["payment_id"],
                "account_number": credit["account_number"],
                "system": credit["system"],
                "amount": row["amount"],
                "channel": row["channel"],
                "allocations": json.loads(row["allocations"]),
            },
        )
        return dict(self._payment_view(row), credit=self._summary(credit, self._installments(credit_id)))

    def _pay(self, credit_id: str, body: dict) -> tuple[dict, dict]:
        credit = self._credit_row(credit_id)
        rows = _rows(self.db.execute("SELECT * FROM installments WHERE credit_id = ?", [credit_id]))
        unpaid = [(self._installment_view(r), r) for r in rows]
        unpaid = [(v, r) for v, r in unpaid if v["status"] != "paid"]
        outstanding = sum(v["amount_due"] for v, _ in unpaid)
        amount = body["amount"]
        if not unpaid:
            raise conflict(
                f"credit {credit_id} ({credit['product']}) is already paid in full (pagado): there is nothing to pay",
                "credit-paid",
            )
        if amount > outstanding:
            raise conflict(
                f"a payment of {amount} COP exceeds the {outstanding} COP outstanding on credit "
                f"{credit_id}: pay at most the outstanding balance",
                "payment-exceeds-balance",
                outstanding_balance=outstanding,
            )
        unpaid.sort(key=lambda vr: (vr[0]["status"] != "overdue", vr[0]["due_date"], vr[0]["number"]))
        remaining, allocations, today = amount, [], self.today.isoformat()
        for view, raw in unpaid:
            if remaining <= 0:
                break
            applied = min(remaining, view["amount_due"])
            remaining -= applied
            covered = view["amount_paid"] + applied
            full = covered >= view["amount"]
            status = "paid" if full else raw["status"]
            self.db.execute(
                "UPDATE installments SET amount_paid = ?, status = ?, paid_at = ? WHERE credit_id = ? AND number = ?",
                [covered, status, today if full else raw["paid_at"], credit_id, view["number"]],
            )
            allocations.append(
                {"number": view["number"], "applied": applied, "installment_status": "paid" if full else view["status"]}
            )
        row = {
            "payment_id": self._next_payment_id(),
            "credit_id": credit_id,
            "amount": amount,
            "channel": body["channel"],
            "paid_at": self.now.isoformat(),
            "registered_by": body.get("advisor"),
            "allocations": json.dumps(allocations),
        }
        self.db.execute(
            f"INSERT INTO payments ({', '.join(row)}) VALUES ({', '.join('?' * len(row))})", list(row.values())
        )
        return credit, row
