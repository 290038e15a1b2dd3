"""GET /practices/catalogue, POST /practices, GET /practices, GET /practices/adherence: the leaders' management
practices (gateway/services/practices.py, adherence.py)."""

from __future__ import annotations

from typing import Any

from claro_backoffice.gateway.api.calls import backoffice, call_context, token_info
from claro_backoffice.gateway.runtime import runtime
from claro_backoffice.gateway.services import adherence, practices


def get_catalogue() -> list[dict]:
    return practices.catalogue()


def record_practice(body: dict[str, Any]) -> tuple[dict, int]:
    ctx = call_context()
    now = runtime().clocks.now(ctx.sandbox)
    return practices.record(backoffice(), runtime().crm, now, ctx, body, token_info().get("role")), 201


def list_practices(week: str | None = None, leader: str | None = None, team: str | None = None) -> list[dict]:
    return practices.find(backoffice(), runtime().crm, call_context(), week, leader, team)


def get_adherence(week: str | None = None) -> dict:
    ctx = call_context()
    week = week or adherence.week_name(runtime().clocks.now(ctx.sandbox).date())
    return practices.week_adherence(backoffice(), runtime().crm, ctx, week)
