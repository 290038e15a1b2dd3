"""/cases and /typifications: the case state machine (gateway/cases/)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import flask

from claro_backoffice.core.formats import instant
from claro_backoffice.gateway.api.actors import with_actor
from claro_backoffice.gateway.api.calls import base_url, call_context
from claro_backoffice.gateway.api.sweep import sweep_endings
from claro_backoffice.gateway.cases.cases import Cases
from claro_backoffice.gateway.cases.closing import Closing
from claro_backoffice.gateway.cases.typification import Typification
from claro_backoffice.gateway.runtime import runtime


def _cases() -> Cases:
    current = runtime()
    return Cases(
        call_context(),
        base_url(),
        crm=current.crm,
        clocks=current.clocks,
        backoffice=current.backoffice,
        executor=current.executor,
        typifications=current.typifications,
        repeat_window_days=current.settings.repeat_window_days,
    )


def _closing(cases: Cases) -> Closing:
    current = runtime()
    return Closing(
        cases.ctx,
        cases,
        crm=current.crm,
        clocks=current.clocks,
        meta=current.backoffice.meta,
        business_number=current.numbers.of(cases.sandbox),
        guides=current.guides,
    )


def create_case(body: dict[str, Any]) -> tuple[dict, int, dict[str, str]]:
    cases = _cases()
    sweep_endings(cases.ctx)  # a conversation whose closing question or inactivity wait is over takes no new case
    case = cases.open(body)
    return case, 201, ({"X-Degraded-Systems": ",".join(cases.degraded)} if cases.degraded else {})


def _moment(text: str | None) -> dt.datetime | None:
    """A date-time of the request (the spec checked it is RFC 3339 with an offset), or None."""
    return instant(text) if text is not None else None


def list_cases(
    status: str | None = None,
    customer_id: str | None = None,
    follow_up_type: str | None = None,
    callback_before: str | None = None,
    overdue: bool | None = None,
    limit: int = 50,
    offset: int = 0,
) -> dict:
    return _cases().list(status, customer_id, follow_up_type, _moment(callback_before), overdue, limit, offset)


def get_case(case_id: str) -> dict:
    return _cases().get(case_id)


def typify_case(case_id: str, body: dict[str, Any]) -> tuple[dict, int]:
    cases = _cases()
    current = runtime()
    typification = Typification(
        cases.ctx,
        cases,
        crm=current.crm,
        clocks=current.clocks,
        backoffice=current.backoffice,
        typifications=current.typifications,
        repeat_window_days=current.settings.repeat_window_days,
    )
    return typification.register(case_id, with_actor(body, "advisor"), flask.request.headers["Idempotency-Key"])


def close_case(case_id: str, body: dict[str, Any]) -> dict:
    cases = _cases()
    body = dict(with_actor(body, "closedBy"), callbackAt=_moment(body.get("callbackAt")))
    return _closing(cases).close(case_id, body)


def add_case_callback(case_id: str, body: dict[str, Any]) -> tuple[dict, int]:
    cases = _cases()
    body = dict(
        with_actor(body, "advisor"), at=_moment(body.get("at")), nextCallbackAt=_moment(body.get("nextCallbackAt"))
    )
    return _closing(cases).callback(case_id, body)


def answer_case_survey(case_id: str, body: dict[str, Any]) -> dict:
    cases = _cases()
    return _closing(cases).survey(case_id, body["score"])


def list_typifications(category: str | None = None, product: str | None = None) -> dict:
    found = [
        {
            "code": t["code"],
            "category": t["category"],
            "product": t["product"],
            "line": t["line"],
            "source": t["source"],
            "description": t["description"],
        }
        for t in runtime().typifications.values()
        if (not category or t["category"] == category) and (not product or t["product"] in (product, "general"))
    ]
    return {"typifications": found}
