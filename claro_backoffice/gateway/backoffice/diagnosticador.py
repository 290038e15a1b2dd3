"""Diagnosticador: cable-modem checks, platform incidents (AVISO) and fault escalation (home).

The only code that knows this system's URLs and JSON (openapi/mocks/diagnosticador.yaml). Answers are camelCase
copies of its records: the check (accountNumber, customerId, node, accountStatus, service, checkedAt,
navigationEnabled, modem{...}, openIncidents, findings, typification{code, category, product, source,
description}, aviso) and incidents (aviso, incidentId, faultType massive|single, scope, node, accountNumber, kind,
severity, affectedServices, description, state (TMF656 values), openedAt, statusChangeAt, statusChangeReason,
estimatedResolutionAt, resolvedAt, closedAt, origin, escalatedBy, affectedAccountCount, associatedAccounts).
"""

from __future__ import annotations

from claro_backoffice.gateway.backoffice.base import CallContext, camel
from claro_backoffice.gateway.backoffice.control import ControlAPI


class DiagnosticadorAdapter(ControlAPI):
    system = "diagnosticador"

    def modem_check(self, ctx: CallContext, account_number: str, service: str | None = None) -> dict:
        """The modem/ONT check of a home account and the typification it suggests; unknown account: a 404."""
        params = {"service": service} if service else None
        return camel(self.get(f"/accounts/{account_number}/modem-check", ctx, params=params))

    def account_incidents(self, ctx: CallContext, account_number: str, state: str | None = None) -> list:
        """The node's massive incidents and the account's single faults, newest first."""
        params = {"state": state} if state else None
        return camel(self.get(f"/accounts/{account_number}/incidents", ctx, params=params)["incidents"])

    def node_incidents(self, ctx: CallContext, node: str, state: str | None = None) -> list:
        params = {"state": state} if state else None
        return camel(self.get(f"/nodes/{node}/incidents", ctx, params=params)["incidents"])

    def find_aviso(self, ctx: CallContext, aviso: int) -> dict | None:
        """An AVISO with its associated accounts; None when Diagnosticador has no such AVISO."""
        return camel(self.optional(f"/avisos/{aviso}", ctx, not_found_kinds=("aviso-not-found",)))

    def escalate(
        self,
        ctx: CallContext,
        account_number: str,
        fault_type: str,
        service: str,
        advisor: str,
        *,
        kind: str | None = None,
        severity: str | None = None,
        description: str | None = None,
    ) -> tuple[dict, bool]:
        """Escalate a fault (never retried: a POST): (the AVISO, created). created is False when the account was
        associated to an open AVISO (200) rather than a new one raised (201). 404/409: the system's refusal."""
        body = {"account_number": account_number, "fault_type": fault_type, "service": service, "advisor": advisor}
        body |= {k: v for k, v in (("kind", kind), ("severity", severity), ("description", description)) if v}
        reply = self.call("POST", "/avisos", ctx, json=body)
        return camel(self.answer(reply, 200, 201)), reply.status == 201
