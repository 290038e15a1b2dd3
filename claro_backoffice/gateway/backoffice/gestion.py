"""Módulo de Gestión: service provisioning, technical visits (LLS) lookup and scheduling (home).

The only code that knows this system's URLs and JSON (openapi/mocks/gestion.yaml). Answers are camelCase copies
of its records: slot searches (accountNumber, zoneId, now, earliestStart, leadTimeHours, from, days,
slots[slotStart, slotEnd, availableTechnicians, capacity], closedDays[date, reason]) and visits (appointmentId,
llsId, accountNumber, customerId, node, zoneId, technician, reason, contactPhone, advisor, state (TMF646 values),
slotStart, slotEnd, createdAt, updatedAt, cancellationReason, rescheduleCount, source). Its 4xx (unknown account
or appointment: 404; slot not offered, an open visit already, a visit no longer open: 409; suspended account:
422) come back as DownstreamError with its own detail. Booking a visit creates its LLS in RR (the mocks' event
log), never through this adapter.
"""

from __future__ import annotations

from claro_backoffice.gateway.backoffice.base import CallContext, camel
from claro_backoffice.gateway.backoffice.control import ControlAPI


class GestionAdapter(ControlAPI):
    system = "gestion"

    def slots(
        self, ctx: CallContext, account_number: str, from_date: str | None = None, days: int | None = None
    ) -> dict:
        params = ({"from": from_date} if from_date else {}) | ({"days": days} if days else {})
        return camel(self.get(f"/accounts/{account_number}/slots", ctx, params=params))

    def create_visit(self, ctx: CallContext, request: dict, key: str | None = None) -> dict:
        """request: the mock's snake_case VisitRequest (never retried: a POST; `key`: its Idempotency-Key)."""
        return camel(self.answer(self.call("POST", "/visits", ctx, json=request, key=key), 201))

    def visit(self, ctx: CallContext, appointment_id: str) -> dict:
        return camel(self.get(f"/visits/{appointment_id}", ctx))

    def update_visit(self, ctx: CallContext, appointment_id: str, change: dict, key: str | None = None) -> dict:
        """change: {slot_start} (reschedule) or {state: cancelled, reason} (not retried: a PATCH)."""
        return camel(self.answer(self.call("PATCH", f"/visits/{appointment_id}", ctx, json=change, key=key), 200))
