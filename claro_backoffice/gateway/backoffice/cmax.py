"""CMAX: prepaid provisioning of any active line (mobile).

The only code that knows this system's URLs and JSON (openapi/mocks/cmax.yaml). Answers are camelCase copies:
provisioning (msisdn, lineStatus activa|suspendida|bloqueada, lineType, imsi, iccid, apn, checkedAt,
services[service voz|datos|sms|volte|roaming, state active|inactive|pending|barred|error, detail, updatedAt]) and
balance (msisdn, customerId, accountNumber, lineType, segment, planCode, planName, lineStatus, mainBalance,
currency, activeBundles, unappliedRecharges, lastRecharge, checkedAt) and recharges (reference, msisdn, amount,
currency, channel, status applied|not_applied|pending, requestedAt, appliedAt, failureReason, reappliedBy,
reappliedAt, balanceAfter). CMAX's 404/409/422 come back as DownstreamErrors with its own detail.
"""

from __future__ import annotations

from claro_backoffice.gateway.backoffice.base import CallContext, camel
from claro_backoffice.gateway.backoffice.control import ControlAPI


class CmaxAdapter(ControlAPI):
    system = "cmax"

    def provisioning(self, ctx: CallContext, msisdn: str) -> dict:
        """The services provisioned for the line; an unknown line is a 404 naming CMAX."""
        return camel(self.get(f"/lines/{msisdn}/provisioning", ctx))

    def balance(self, ctx: CallContext, msisdn: str) -> dict:
        return camel(self.get(f"/lines/{msisdn}/balance", ctx))

    def recharge(self, ctx: CallContext, reference: str) -> dict:
        return camel(self.get(f"/recharges/{reference}", ctx))

    def reapply_recharge(self, ctx: CallContext, reference: str, advisor: str, *, key: str) -> dict:
        """Re-apply a not_applied recharge (never retried: a POST; `key` makes a replay answer the same)."""
        reply = self.call("POST", f"/recharges/{reference}/reapply", ctx, json={"advisor": advisor}, key=key)
        return camel(self.answer(reply, 200))
