"""DIME's HTTP surface: each view is named after its operationId in openapi/mocks/dime.yaml."""

from __future__ import annotations

from claro_backoffice.mocks.dime.backend import DimeBackend
from claro_backoffice.mocks.kit.context import session


def _dime() -> DimeBackend:
    return DimeBackend(session())


def list_areas(category=None):
    return {"areas": _dime().areas(category)}


def get_area(area_code):
    return _dime().area(area_code)


def create_escalation(body):
    return _dime().create(body), 201


def get_escalation(escalation_id):
    return _dime().get(escalation_id)


def list_escalations(
    case_id=None, customer_id=None, account_number=None, state=None, area_code=None, overdue=None, limit=20, offset=0
):
    filters = {
        "case_id": case_id,
        "customer_id": customer_id,
        "account_number": account_number,
        "state": state,
        "area_code": area_code,
    }
    return _dime().search(filters, overdue, limit, offset)


def add_escalation_note(escalation_id, body):
    return _dime().add_note(escalation_id, body), 201


def transition_escalation(escalation_id, body):
    return _dime().transition(escalation_id, body)
