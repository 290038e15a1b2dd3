"""GET /practices/catalogue, POST /practices, GET /practices, GET /practices/adherence: the leaders' management
practices (gateway/services/practices.py, adherence.py)."""

from __future__ import annotations

from gateway.api.calls import backoffice, call_context, token_info
from gateway.runtime import runtime
from gateway.services import adherence, practices


def get_catalogue():
    return practices.catalogue()


def record_practice(body):
    ctx = call_context()
    now = runtime().clocks.now(ctx.sandbox)
    return practices.record(backoffice(), runtime().crm, now, ctx, body, token_info().get("role")), 201


def list_practices(week=None, leader=None, team=None):
    return practices.find(backoffice(), runtime().crm, call_context(), week, leader, team)


def get_adherence(week=None):
    ctx = call_context()
    week = week or adherence.week_name(runtime().clocks.now(ctx.sandbox).date())
    return practices.week_adherence(backoffice(), runtime().crm, ctx, week)
