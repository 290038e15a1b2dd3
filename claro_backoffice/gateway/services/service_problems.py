"""TMF656 serviceProblem: the AVISOs of Diagnosticador (home: a node's massive faults, an account's single ones)
and SARA (mobile: radio incidents on a base station or cell), and the escalation of a home fault.

Mapping (an AVISO -> ServiceProblem): id and `externalIdentifier` (type `aviso`) carry the AVISO number, a second
externalIdentifier the system's incident id; `status` is the system's state (TMF656 values already);
`category` the fault type (massive | single; SARA's radio incidents are massive: they act on a zone);
`creationDate` opened_at, `statusChangeDate`/`lastUpdate` status_change_at, `resolutionDate` resolved_at,
`expectedResolutionDate` (an extension: TMF621's name, TMF656 v4 has none) estimated_resolution_at;
`affectedResource` the node (and the account of a single fault) or SARA's cells and site; `affectedService` the
home services affected (internet, tv, telefonia) or `movil`; `originatingSystem` the system; `characteristic`
the rest (aviso, faultType, kind, severity / impact, affectedAccountCount, associatedAccounts, associated,
restorationOverdue); `originatorParty` the advisor who escalated it.

GET by exactly one of accountId (Diagnosticador, the account's incidents), node (Diagnosticador, the node's
massive incidents) or cellId (SARA: the cell, then its site's open incidents that act on that cell);
neither or several is a 422 and no system is asked. For a cell only open tickets are listed (SARA's
/incidents default; the in-process back office can't type a boolean query parameter).
"""

from __future__ import annotations

import functools
from concurrent.futures import Executor

from claro_backoffice.gateway.backoffice import Backoffice
from claro_backoffice.gateway.backoffice.base import CallContext
from claro_backoffice.gateway.domain_errors import NotFound, RuleBroken
from claro_backoffice.gateway.services.fanout import gather, split
from claro_backoffice.gateway.services.shapes import schema_location

TYPE = "ServiceProblem"


def _characteristic(name: str, value: object, value_type: str) -> dict:
    return {"name": name, "valueType": value_type, "value": value}


def _common(base: str, aviso: int, incident_id: str, system: str) -> dict:
    return {
        "id": str(aviso),
        "href": f"{base}/serviceProblem/{aviso}",
        "name": f"AVISO {aviso}",
        "originatingSystem": system,
        "externalIdentifier": [
            {"id": str(aviso), "externalIdentifierType": "aviso", "owner": system},
            {"id": incident_id, "externalIdentifierType": "incidentId", "owner": system},
        ],
        "@type": TYPE,
        "@baseType": TYPE,
        "@schemaLocation": schema_location(base, TYPE),
    }


def from_diagnosticador(incident: dict, base: str, associated: bool | None = None) -> dict:
    aviso = incident["aviso"]
    view = _common(base, aviso, incident["incidentId"], "diagnosticador")
    resources = [{"id": incident["node"], "name": f"Nodo {incident['node']}", "@referredType": "Node"}]
    if incident.get("accountNumber"):
        number = incident["accountNumber"]
        resources.append(
            {
                "id": number,
                "href": f"{base}/billingAccounts/{number}",
                "name": f"Cuenta hogar {number}",
                "@referredType": "HomeBillingAccount",
            }
        )
    characteristic = [
        _characteristic("aviso", aviso, "integer"),
        _characteristic("faultType", incident["faultType"], "string"),
        _characteristic("kind", incident["kind"], "string"),
        _characteristic("severity", incident["severity"], "string"),
        _characteristic("affectedAccountCount", incident["affectedAccountCount"], "integer"),
        _characteristic("associatedAccounts", [a["accountNumber"] for a in incident["associatedAccounts"]], "array"),
    ]
    if associated is not None:
        characteristic.append(_characteristic("associated", associated, "boolean"))
    view.update(
        {
            "description": incident["description"],
            "category": incident["faultType"],
            "status": incident["state"],
            "statusChangeReason": incident.get("statusChangeReason"),
            "creationDate": incident["openedAt"],
            "statusChangeDate": incident["statusChangeAt"],
            "lastUpdate": incident["statusChangeAt"],
            "resolutionDate": incident.get("resolvedAt"),
            "expectedResolutionDate": incident["estimatedResolutionAt"],
            "affectedResource": resources,
            "affectedService": [{"id": s, "name": s, "@referredType": "Service"} for s in incident["affectedServices"]],
            "characteristic": characteristic,
        }
    )
    if incident.get("escalatedBy"):
        view["originatorParty"] = {
            "id": incident["escalatedBy"],
            "name": incident["escalatedBy"],
            "role": "asesor",
            "@referredType": "Individual",
        }
    return {k: v for k, v in view.items() if v is not None}


def from_sara(incident: dict, base: str) -> dict:
    aviso = incident["aviso"]
    view = _common(base, aviso, incident["incidentId"], "sara")
    cells = incident.get("affectedCells") or ([incident["cellId"]] if incident.get("cellId") else [])
    resources = [
        {"id": incident["siteId"], "name": f"Estación base {incident['siteId']}", "@referredType": "BaseStation"}
    ]
    resources += [{"id": c, "name": f"Celda {c}", "@referredType": "Cell"} for c in cells]
    view.update(
        {
            "description": incident["description"],
            "category": "massive",
            "status": incident["state"],
            "creationDate": incident["openedAt"],
            "resolutionDate": incident.get("resolvedAt"),
            "expectedResolutionDate": incident.get("estimatedResolutionAt"),
            "affectedResource": resources,
            "affectedService": [{"id": "movil", "name": "movil", "@referredType": "Service"}],
            "characteristic": [
                _characteristic("aviso", aviso, "integer"),
                _characteristic("faultType", "massive", "string"),
                _characteristic("impact", incident["impact"], "string"),
                _characteristic("active", incident["active"], "boolean"),
                _characteristic("restorationOverdue", incident["restorationOverdue"], "boolean"),
            ],
        }
    )
    return {k: v for k, v in view.items() if v is not None}


def sara_ticket_ref(ticket: dict | None, base: str) -> dict | None:
    """A cell's ticket as a reference to its serviceProblem (coverage answers)."""
    if not ticket:
        return None
    aviso = ticket["aviso"]
    return {
        "id": str(aviso),
        "href": f"{base}/serviceProblem/{aviso}",
        "name": f"AVISO {aviso}",
        "status": ticket["state"],
        "impact": ticket["impact"],
        "description": ticket["description"],
        "expectedResolutionDate": ticket.get("estimatedResolutionAt"),
        "restorationOverdue": ticket["restorationOverdue"],
        "@referredType": TYPE,
    }


class ServiceProblems:
    def __init__(self, backoffice: Backoffice, executor: Executor):
        self.diagnosticador, self.sara = backoffice.diagnosticador, backoffice.sara
        self.executor = executor

    def find(
        self,
        ctx: CallContext,
        base: str,
        *,
        account_id: str | None = None,
        cell_id: str | None = None,
        node: str | None = None,
    ) -> list:
        given = [name for name, value in (("accountId", account_id), ("cellId", cell_id), ("node", node)) if value]
        if len(given) != 1:
            raise RuleBroken(
                "give exactly one of accountId (home account), node (home network node) or cellId "
                f"(mobile cell), not {' and '.join(given) if given else 'none'}",
                "search-criteria",
            )
        if account_id:
            return [from_diagnosticador(i, base) for i in self.diagnosticador.account_incidents(ctx, account_id)]
        if node:
            return [from_diagnosticador(i, base) for i in self.diagnosticador.node_incidents(ctx, node)]
        assert cell_id  # the one criterion left (exactly one was given)
        site = cell_id.split("-")[0]
        answers, failures = split(
            gather(
                self.executor,
                {
                    "cell": functools.partial(self.sara.cell, ctx, cell_id),
                    "incidents": functools.partial(self.sara.incidents, ctx, site_id=site, include_closed=False),
                },
            )
        )
        if failures:
            raise failures.get("cell") or failures["incidents"]
        return [
            from_sara(i, base) for i in answers["incidents"] if cell_id in (i.get("affectedCells") or [i.get("cellId")])
        ]

    def get(self, ctx: CallContext, base: str, aviso: int) -> dict:
        """An AVISO from Diagnosticador, else from SARA; a 404 naming both when neither has it."""
        incident = self.diagnosticador.find_aviso(ctx, aviso)
        if incident is not None:
            return from_diagnosticador(incident, base)
        incident = self.sara.find_incident(ctx, str(aviso))
        if incident is None:
            raise NotFound(
                f"AVISO {aviso} is neither in Diagnosticador (home) nor in SARA (mobile)",
                "service-problem-not-found",
                system="diagnosticador,sara",
            )
        return from_sara(incident, base)

    def escalate(self, ctx: CallContext, base: str, body: dict) -> tuple[dict, bool]:
        incident, created = self.diagnosticador.escalate(
            ctx,
            body["accountId"],
            body["faultType"],
            body["service"],
            body["advisor"],
            kind=body.get("kind"),
            severity=body.get("severity"),
            description=body.get("description"),
        )
        return from_diagnosticador(incident, base, associated=not created), created
