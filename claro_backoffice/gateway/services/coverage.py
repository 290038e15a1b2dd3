"""Mobile coverage (GET /coverage): SARA's zone status around a point (`lat` + `lon`, optional `radius`) or one
cell's (`cellId`). Give either the point or the cell: neither, half a point, or both is a 422 and SARA is not
asked. Each cell carries a reference to the serviceProblem (AVISO) giving its state, or null.

For a cell, SARA answers the cell alone: the summary counts that cell and the message (Spanish) is built from its
state and ticket; for a point, SARA's own summary and message are kept.
"""

from __future__ import annotations

from claro_backoffice.gateway.backoffice import Backoffice
from claro_backoffice.gateway.backoffice.base import CallContext
from claro_backoffice.gateway.domain_errors import RuleBroken
from claro_backoffice.gateway.services.service_problems import sara_ticket_ref

STATES = ("in_service", "degraded", "outage", "maintenance")
WORST = ("outage", "maintenance", "degraded", "in_service")


def _cell(cell: dict, base: str) -> dict:
    view = {
        "id": cell["cellId"],
        "siteId": cell["siteId"],
        "municipalityCode": cell["municipalityCode"],
        "municipality": cell.get("municipality"),
        "department": cell.get("department"),
        "latitude": cell["latitude"],
        "longitude": cell["longitude"],
        "azimuth": cell["azimuth"],
        "technology": cell["technology"],
        "state": cell["state"],
        "stateLabel": cell["stateLabel"],
        "serviceProblem": sara_ticket_ref(cell.get("ticket"), base),
    }
    if "distanceM" in cell:
        view["distanceM"] = cell["distanceM"]
    return view


def _summary(cells: list[dict]) -> dict:
    counts = {state: sum(1 for c in cells if c["state"] == state) for state in STATES}
    worst = next((s for s in WORST if counts[s]), "in_service")
    return {
        "cells": len(cells),
        "inService": counts["in_service"],
        "degraded": counts["degraded"],
        "outage": counts["outage"],
        "maintenance": counts["maintenance"],
        "worstState": worst,
    }


def _cell_message(cell: dict) -> str:
    message = f"Celda {cell['cellId']}: {cell['stateLabel']}."
    ticket = cell.get("ticket")
    if ticket:
        message += f" AVISO {ticket['aviso']}: {ticket['description']}."
    return message


def coverage(
    backoffice: Backoffice,
    ctx: CallContext,
    base: str,
    *,
    lat: float | None = None,
    lon: float | None = None,
    cell_id: str | None = None,
    radius: int | None = None,
    technology: str | None = None,
    limit: int | None = None,
) -> dict:
    point = lat is not None or lon is not None
    if point == bool(cell_id) or (point and (lat is None or lon is None)):
        what = "both a point and a cell" if point and cell_id else "only one of lat and lon" if point else "neither"
        raise RuleBroken(f"give either lat and lon (a point in Colombia) or cellId, not {what}", "coverage-criteria")
    if cell_id and (radius is not None or technology or limit is not None):
        raise RuleBroken(
            "radius, technology and limit go with a point (lat and lon), not with cellId", "coverage-criteria"
        )
    sara = backoffice.sara
    if cell_id:
        cell = sara.cell(ctx, cell_id)
        return {
            "checkedAt": cell["checkedAt"],
            "query": {"cellId": cell_id},
            "summary": _summary([cell]),
            "message": _cell_message(cell),
            "total": 1,
            "cells": [_cell(cell, base)],
        }
    assert lat is not None and lon is not None  # a point has both (checked above)
    zone = sara.cells_near(ctx, lat, lon, radius, technology, limit)
    summary = zone["summary"]
    return {
        "checkedAt": zone["checkedAt"],
        "query": {
            "lat": lat,
            "lon": lon,
            "radius": zone["query"].get("radiusM"),
            "technology": zone["query"].get("technology"),
        },
        "summary": {
            "cells": summary["cells"],
            "inService": summary["inService"],
            "degraded": summary["degraded"],
            "outage": summary["outage"],
            "maintenance": summary["maintenance"],
            "worstState": summary["worstState"],
        },
        "message": zone["message"],
        "total": zone["total"],
        "cells": [_cell(c, base) for c in zone["cells"]],
    }
