"""Almabi's HTTP surface: each view is named after its operationId in openapi/mocks/almabi.yaml."""

from __future__ import annotations

from claro_backoffice.mocks.almabi.attendance import AttendanceBackend
from claro_backoffice.mocks.almabi.backend import AlmabiBackend
from claro_backoffice.mocks.kit.context import session


def _almabi() -> AlmabiBackend:
    return AlmabiBackend(session())


def _attendance() -> AttendanceBackend:
    return AttendanceBackend(session())


def _window(query: dict) -> tuple:
    # connexion hands `from` over as `from_` (a Python keyword); either spelling is accepted here.
    return query.get("from_", query.get("from")), query.get("to")


def list_agents(team_id=None, role=None, status=None, username=None, document_number=None):
    return {"agents": _almabi().list_agents(team_id, role, status, username, document_number)}


def hire_agent(body):
    return _almabi().hire(body), 201


def get_agent(agent_id):
    return _almabi().get_agent(agent_id)


def register_exit(agent_id, body):
    return _almabi().register_exit(agent_id, body), 201


def list_teams():
    return {"teams": _almabi().teams()}


def get_team(team_id):
    return _almabi().team(team_id)


def list_shifts(agent_id=None, team_id=None, status=None, limit=200, offset=0, **query):
    return _attendance().shifts(*_window(query), agent_id, team_id, status, limit, offset)


def get_shift(shift_id):
    return _attendance().shift(shift_id)


def list_attendance(team_id=None, agent_id=None, status=None, role=None, limit=200, offset=0, **query):
    return _attendance().attendance(*_window(query), team_id, agent_id, status, role, limit, offset)


def register_attendance(body):
    return _attendance().register(body), 201


def list_movements(team_id=None, agent_id=None, **query):
    kind = query.get("type_", query.get("type"))
    return {"movements": _almabi().movements(*_window(query), kind, team_id, agent_id)}


def attendance_summary(team_id=None, role=None, **query):
    return _attendance().attendance_summary(*_window(query), team_id, role)


def headcount_report(team_id=None, role=None, **query):
    return _almabi().headcount(*_window(query), team_id, role)
