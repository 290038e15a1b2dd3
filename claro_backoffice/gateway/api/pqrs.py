"""POST /cases/{caseId}/pqr, GET /pqrs, GET /pqrs/{pqrId}, POST /pqrs/{pqrId}/evidence|answer|appeals: PQRs as
TMF621 complaint tickets with their CUN (the rules: gateway/cases/pqrs.py)."""

from __future__ import annotations

from typing import Any

from claro_backoffice.gateway.api.actors import with_actor
from claro_backoffice.gateway.api.calls import base_url, call_context, token_info
from claro_backoffice.gateway.cases.pqrs import Pqrs
from claro_backoffice.gateway.runtime import runtime


def _pqrs() -> Pqrs:
    current = runtime()
    return Pqrs(current.crm, current.clocks, current.settings, current.backoffice, call_context())


def create_pqr(case_id: str, body: dict[str, Any]) -> tuple[dict, int, dict[str, str]]:
    info = token_info()
    ticket = _pqrs().file(
        call_context().sandbox, case_id, body, base_url(), filed_by=info.get("role"), user=info.get("user")
    )
    return ticket, 201, {"Location": ticket["href"]}


def list_pqrs(
    status: str | None = None,
    overdue: bool | None = None,
    customer_id: str | None = None,
    limit: int = 20,
    offset: int = 0,
) -> tuple[list[dict], int, dict[str, str]]:
    tickets = _pqrs().find(call_context().sandbox, base_url(), status, overdue, customer_id)
    page = tickets[offset : offset + limit]
    return page, 200, {"X-Total-Count": str(len(tickets)), "X-Result-Count": str(len(page))}


def get_pqr(pqr_id: str) -> dict:
    return _pqrs().get(call_context().sandbox, pqr_id, base_url())


def declare_pqr_evidence(pqr_id: str, body: dict[str, Any] | None = None) -> dict:
    return _pqrs().declare_evidence(call_context().sandbox, pqr_id, body or {}, base_url())


def answer_pqr(pqr_id: str, body: dict[str, Any]) -> dict:
    return _pqrs().answer(call_context().sandbox, pqr_id, with_actor(body, "answeredBy"), base_url())


def appeal_pqr(pqr_id: str, body: dict[str, Any]) -> tuple[dict, int]:
    ticket = _pqrs().appeal(call_context().sandbox, pqr_id, body, base_url())
    return ticket, 201
