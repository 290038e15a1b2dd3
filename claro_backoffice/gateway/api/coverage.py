"""GET /coverage: SARA's zone status around a point or for one cell (gateway/services/coverage.py)."""

from __future__ import annotations

from claro_backoffice.gateway.api.calls import backoffice, base_url, call_context
from claro_backoffice.gateway.services.coverage import coverage


def get_coverage(
    lat: float | None = None,
    lon: float | None = None,
    cell_id: str | None = None,
    radius: int | None = None,
    technology: str | None = None,
    limit: int | None = None,
) -> dict:
    return coverage(
        backoffice(),
        call_context(),
        base_url(),
        lat=lat,
        lon=lon,
        cell_id=cell_id,
        radius=radius,
        technology=technology,
        limit=limit,
    )
