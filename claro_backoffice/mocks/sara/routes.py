"""SARA's HTTP surface: each view is named after its operationId in openapi/mocks/sara.yaml."""

from __future__ import annotations

from claro_backoffice.mocks.kit.context import session
from claro_backoffice.mocks.sara.backend import SaraBackend


def _sara() -> SaraBackend:
    return SaraBackend(session())


def search_cells_by_coordinates(latitude, longitude, radius_m=3000, technology=None, limit=20):
    return _sara().nearby(latitude, longitude, radius_m, technology, limit)


def get_cell(cell_id):
    return _sara().cell(cell_id)


def get_site(site_id):
    return _sara().site(site_id)


def list_municipalities(name=None, department_code=None):
    return {"municipalities": _sara().municipalities(name, department_code)}


def get_municipality_zone_status(municipality_code, technology=None, state=None):
    return _sara().municipality_cells(municipality_code, technology, state)


def list_incidents(include_closed=False, site_id=None, municipality_code=None):
    return {"incidents": _sara().incidents(include_closed, site_id, municipality_code)}


def get_incident(incident_ref):
    return _sara().incident(incident_ref)
