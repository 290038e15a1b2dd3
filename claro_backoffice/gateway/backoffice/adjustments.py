"""The adjustment requests RR and AC both take, in the same shape (mocks/kit/adjustments.py on their side): the
methods their adapters share. Requests and decisions are POSTs, never retried."""

from __future__ import annotations

from claro_backoffice.gateway.backoffice.base import BaseAdapter, CallContext, camel


class AdjustmentsAPI(BaseAdapter):
    def request_adjustment(
        self,
        ctx: CallContext,
        account_number: str,
        amount: int,
        reason: str,
        advisor: str,
        invoice_id: str | None = None,
        case_id: str | None = None,
        key: str | None = None,
    ) -> dict:
        """Register an adjustment request: pending, or approved at once within the automatic limit (a POST)."""
        body = {"amount": amount, "reason": reason, "advisor": advisor}
        body |= ({"invoice_id": invoice_id} if invoice_id else {}) | ({"case_id": case_id} if case_id else {})
        return camel(
            self.answer(self.call("POST", f"/accounts/{account_number}/adjustments", ctx, json=body, key=key), 201)
        )

    def adjustments(self, ctx: CallContext, account_number: str) -> list[dict]:
        return camel(self.get(f"/accounts/{account_number}/adjustments", ctx)["adjustments"])

    def all_adjustments(self, ctx: CallContext, status: str | None = None) -> list[dict]:
        """Every account's requests, newest first (status=pending: what waits for a supervisor)."""
        return camel(self.get("/adjustments", ctx, params={"status": status} if status else None)["adjustments"])

    def adjustment(self, ctx: CallContext, adjustment_id: str) -> dict:
        return camel(self.get(f"/adjustments/{adjustment_id}", ctx))

    def decide_adjustment(
        self,
        ctx: CallContext,
        adjustment_id: str,
        approve: bool,
        supervisor: str,
        text: str | None = None,
        key: str | None = None,
    ) -> dict:
        """A supervisor's approval (notes) or rejection (reason); a decided one is the system's 409 (a POST)."""
        body = {"supervisor": supervisor} | ({"notes" if approve else "reason": text} if text else {})
        action = "approve" if approve else "reject"
        return camel(
            self.answer(self.call("POST", f"/adjustments/{adjustment_id}/{action}", ctx, json=body, key=key), 200)
        )
