"""Continuous improvement: /ideas (raise, list, read, review, delivery, status) and /barometer (climate survey,
action plans, follow-ups) (gateway/services/ideas.py, barometer.py)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from claro_backoffice.gateway.api.calls import backoffice, call_context
from claro_backoffice.gateway.backoffice.base import CallContext
from claro_backoffice.gateway.runtime import runtime
from claro_backoffice.gateway.services import barometer, ideas


def _now(ctx: CallContext) -> dt.datetime:
    return runtime().clocks.now(ctx.sandbox)


def raise_idea(body: dict[str, Any]) -> tuple[dict, int]:
    ctx = call_context()
    return ideas.raise_idea(backoffice(), runtime().crm, _now(ctx), ctx, body), 201


def list_ideas(status: str | None = None, team: str | None = None) -> list[dict]:
    return ideas.find(runtime().crm, call_context(), status, team)


def get_idea(id_: str) -> dict:
    return ideas.get(runtime().crm, call_context(), id_)


def review_idea(id_: str, body: dict[str, Any]) -> dict:
    ctx = call_context()
    return ideas.review(backoffice(), runtime().crm, _now(ctx), ctx, id_, body)


def deliver_idea(id_: str, body: dict[str, Any]) -> dict:
    ctx = call_context()
    return ideas.deliver(backoffice(), runtime().crm, _now(ctx), ctx, id_, body)


def track_idea(id_: str, body: dict[str, Any]) -> dict:
    ctx = call_context()
    return ideas.track(backoffice(), runtime().crm, _now(ctx), ctx, id_, body)


def create_barometer(body: dict[str, Any]) -> tuple[dict, int]:
    ctx = call_context()
    return barometer.create(backoffice(), runtime().crm, _now(ctx), ctx, body), 201


def get_barometer(id_: str) -> dict:
    return barometer.get(runtime().crm, call_context(), id_)


def add_barometer_action(id_: str, body: dict[str, Any]) -> tuple[dict, int]:
    ctx = call_context()
    return barometer.add_action(backoffice(), runtime().crm, _now(ctx), ctx, id_, body), 201


def follow_up_action(id_: str, action_id: str, body: dict[str, Any]) -> dict:
    ctx = call_context()
    return barometer.follow_up(backoffice(), runtime().crm, _now(ctx), ctx, id_, action_id, body)
