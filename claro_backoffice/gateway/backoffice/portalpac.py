"""PortalPAC: VoLTE, Familia y Amigos and Datos Compartidos (mobile).

The only code that knows this system's URLs and JSON (openapi/mocks/portalpac.yaml). Answers are camelCase
copies of PortalPAC's records: VoLTE state (msisdn, accountNumber, planCode, planName, deviceModel, volteCapable,
volteAllowed, status active|inactive|pending|pending_removal, requestedAt, effectiveAt, operationId), Familia y
Amigos (msisdn, accountNumber, planCode, planName, maxNumbers, availableSlots, numbers[slot, number, addedAt]) and
an account's Datos Compartidos (accountNumber, customerId, planCode, planName, poolGb, assignedGb, unassignedGb,
lines[msisdn, lineStatus, quotaGb, updatedAt]). PortalPAC's 404/409/422 come back as DownstreamErrors with its
own detail.
"""

from __future__ import annotations

from claro_backoffice.gateway.backoffice.base import CallContext, Reply, camel
from claro_backoffice.gateway.backoffice.control import ControlAPI


class PortalpacAdapter(ControlAPI):
    system = "portalpac"

    # ---- VoLTE -------------------------------------------------------------------------------------------------
    def volte(self, ctx: CallContext, msisdn: str) -> dict:
        """The line's VoLTE state; also how the gateway learns a line's account (accountNumber)."""
        return camel(self.get(f"/lines/{msisdn}/volte", ctx))

    def install_volte(self, ctx: CallContext, msisdn: str) -> tuple[dict, int]:
        """(state, status): 202 when the install was sent (pending), 200 when already active or pending."""
        return self._with_status(self.call("PUT", f"/lines/{msisdn}/volte", ctx), 200, 202)

    def uninstall_volte(self, ctx: CallContext, msisdn: str) -> tuple[dict, int]:
        """(state, status): 202 when the removal was sent (pending_removal), 200 when already inactive/removing."""
        return self._with_status(self.call("DELETE", f"/lines/{msisdn}/volte", ctx), 200, 202)

    # ---- Familia y Amigos --------------------------------------------------------------------------------------
    def friends_and_family(self, ctx: CallContext, msisdn: str) -> dict:
        return camel(self.get(f"/lines/{msisdn}/friends-and-family", ctx))

    def add_friends_and_family(self, ctx: CallContext, msisdn: str, number: str) -> dict:
        """Add a number (never retried: a POST); the updated list."""
        reply = self.call("POST", f"/lines/{msisdn}/friends-and-family", ctx, json={"number": number})
        return camel(self.answer(reply, 201))

    def remove_friends_and_family(self, ctx: CallContext, msisdn: str, number: str) -> dict:
        """Remove a number; the updated list."""
        return camel(self.answer(self.call("DELETE", f"/lines/{msisdn}/friends-and-family/{number}", ctx), 200))

    # ---- Datos Compartidos -------------------------------------------------------------------------------------
    def shared_data(self, ctx: CallContext, account_number: str) -> dict:
        """The account's pool and each line's quota; an account whose plan has no pool is PortalPAC's 404."""
        return camel(self.get(f"/accounts/{account_number}/shared-data", ctx))

    def set_shared_data(self, ctx: CallContext, account_number: str, quotas: dict[str, int]) -> dict:
        """quotas: msisdn -> whole GB, for EVERY line of the account (PortalPAC's rule)."""
        body = {"quotas": [{"msisdn": m, "quota_gb": q} for m, q in quotas.items()]}
        return camel(self.answer(self.call("PUT", f"/accounts/{account_number}/shared-data", ctx, json=body), 200))

    def _with_status(self, reply: Reply, *ok: int) -> tuple[dict, int]:
        return camel(self.answer(reply, *ok)), reply.status
