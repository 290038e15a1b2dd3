"""GET /workforce/agents, /workforce/attendance, /workforce/summary: Almabi's workforce for supervisors
(gateway/services/workforce.py)."""

from __future__ import annotations

from claro_backoffice.gateway.api.calls import backoffice, call_context, executor
from claro_backoffice.gateway.services import workforce


def list_agents(team: str | None = None, status: str | None = None, role: str | None = None) -> list[dict]:
    return workforce.agents(backoffice(), call_context(), team, status, role)


def get_attendance(from_: str, to: str, team: str | None = None) -> dict:
    return workforce.attendance(backoffice(), call_context(), from_, to, team)


def get_summary(from_: str, to: str, team: str | None = None) -> dict:
    return workforce.summary(backoffice(), executor(), call_context(), from_, to, team)
