"""DIME: escalations of a case to the resolver areas (openapi/mocks/dime.yaml).

The only code that knows this system's URLs and JSON. Answers are camelCase copies of DIME's records:
escalations (escalationId, caseId, customerId, accountNumber, msisdn, areaCode, areaName, typificationCode,
category, ticketType complaint|request, cun, description, advisor, state (TMF621 values), slaHours, createdAt,
updatedAt, dueAt, overdue, slaMet, allowedTransitions, answer, answeredBy, answeredAt, closedAt; the full record
adds evidence[name, url | text], notes[noteId, text, author, createdAt] and stateHistory[fromState, toState, at,
actor, comment]). DIME's 4xx (unknown customer, account or typification: 404; rules: 422; an open escalation of
the case in the area: 409) come back as DownstreamError with DIME's own detail.
"""

from __future__ import annotations

from claro_backoffice.gateway.backoffice.base import CallContext, camel
from claro_backoffice.gateway.backoffice.control import ControlAPI


class DimeAdapter(ControlAPI):
    system = "dime"

    def create_escalation(self, ctx: CallContext, request: dict, key: str | None = None) -> dict:
        """request: DIME's snake_case EscalationRequest (never retried: a POST; `key`: its Idempotency-Key)."""
        return camel(self.answer(self.call("POST", "/escalations", ctx, json=request, key=key), 201))

    def escalation(self, ctx: CallContext, escalation_id: str) -> dict:
        """An escalation with evidence, notes and state history; an unknown one is a 404 naming DIME."""
        return camel(self.get(f"/escalations/{escalation_id}", ctx))

    def find_escalations(
        self,
        ctx: CallContext,
        *,
        customer_id: str | None = None,
        state: str | None = None,
        limit: int = 20,
        offset: int = 0,
    ) -> dict:
        """{escalations: [summaries, newest first], total, limit, offset}."""
        params: dict[str, int | str] = {"limit": limit, "offset": offset}
        params |= ({"customer_id": customer_id} if customer_id else {}) | ({"state": state} if state else {})
        return camel(self.get("/escalations", ctx, params=params))
