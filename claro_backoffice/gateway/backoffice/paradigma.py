"""Paradigma: physical and digital invoices, query and delivery scheduling.

The only code that knows this system's URLs and JSON (openapi/mocks/paradigma.yaml). Answers are camelCase copies
of Paradigma's records: invoices (invoiceId, accountNumber, customerId, system rr|ac, period YYYY-MM, issueDate,
dueDate, amount, currency, state (TMF678 values), amountPaid, balanceDue, overdue, deliveryMode, pdfUrl; the detail
adds lines[lineNumber, description, amount, kind, adjustmentId], deliveryEmail, deliveryAddress) and the delivery
of an account (mode physical|digital, email, address, municipality, billingCycle, nextIssueDate, pendingChange;
a change adds effectiveFrom and message). Unknown or prepaid accounts and unknown invoices are Paradigma's 404.
"""

from __future__ import annotations

from claro_backoffice.gateway.backoffice.base import CallContext, camel
from claro_backoffice.gateway.backoffice.control import ControlAPI


class ParadigmaAdapter(ControlAPI):
    system = "paradigma"

    def invoices(
        self,
        ctx: CallContext,
        account_number: str,
        state: str | None = None,
        limit: int | None = None,
        offset: int | None = None,
    ) -> dict:
        """{accountNumber, customerId, invoices, total, limit, offset, pendingCredits, pendingCreditTotal}."""
        params = {k: v for k, v in (("state", state), ("limit", limit), ("offset", offset)) if v is not None}
        return camel(self.get(f"/accounts/{account_number}/invoices", ctx, params=params or None))

    def invoice(self, ctx: CallContext, invoice_id: str) -> dict:
        """An invoice with its lines."""
        return camel(self.get(f"/invoices/{invoice_id}", ctx))

    def change_delivery(self, ctx: CallContext, account_number: str, mode: str, email: str | None = None) -> dict:
        """Change how the account receives its invoice from the next issue date (a PUT: retried when it fails)."""
        body = {"mode": mode} | ({"email": email} if mode == "digital" else {})
        reply = self.call("PUT", f"/accounts/{account_number}/delivery", ctx, json=body)
        return camel(self.answer(reply, 200))
