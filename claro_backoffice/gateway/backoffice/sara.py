"""SARA: radio zone status by coordinates, base station or other criteria (mobile).

The only code that knows this system's URLs and JSON (openapi/mocks/sara.yaml). Answers are camelCase copies of
its records: cells (cellId, siteId, municipalityCode, municipality, department, latitude, longitude, azimuth,
technology, state in_service|degraded|outage|maintenance, stateLabel, distanceM, ticket{incidentId, aviso, siteId,
cellId, impact, description, state (TMF656 values), openedAt, estimatedResolutionAt, resolvedAt, active,
restorationOverdue}), zone searches (checkedAt, summary, message, query, total, cells) and incidents (a ticket
with affectedCells).
"""

from __future__ import annotations

from claro_backoffice.gateway.backoffice.base import CallContext, camel
from claro_backoffice.gateway.backoffice.control import ControlAPI


class SaraAdapter(ControlAPI):
    system = "sara"

    def cells_near(
        self,
        ctx: CallContext,
        latitude: float,
        longitude: float,
        radius_m: int | None = None,
        technology: str | None = None,
        limit: int | None = None,
    ) -> dict:
        """The zone around a point: summary, message and the nearest cells (nearest first)."""
        params: dict[str, float | str] = {"latitude": latitude, "longitude": longitude}
        params |= {
            k: v for k, v in (("radius_m", radius_m), ("technology", technology), ("limit", limit)) if v is not None
        }
        return camel(self.get("/cells", ctx, params=params))

    def cell(self, ctx: CallContext, cell_id: str) -> dict:
        """One cell's state; an unknown cell is a 404 naming SARA."""
        return camel(self.get(f"/cells/{cell_id}", ctx))

    def incidents(self, ctx: CallContext, *, site_id: str | None = None, include_closed: bool = False) -> list:
        params = {"include_closed": "true"} if include_closed else {}
        if site_id:
            params["site_id"] = site_id
        return camel(self.get("/incidents", ctx, params=params)["incidents"])

    def find_incident(self, ctx: CallContext, ref: str) -> dict | None:
        """A radio incident by incident id or AVISO number; None when SARA has none."""
        return camel(self.optional(f"/incidents/{ref}", ctx, not_found_kinds=("incident-not-found",)))
