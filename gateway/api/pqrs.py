"""POST /cases/{caseId}/pqr, GET /pqrs, GET /pqrs/{pqrId}, POST /pqrs/{pqrId}/evidence|answer|appeals: PQRs as
TMF621 complaint tickets with their CUN (the rules: gateway/cases/pqrs.py)."""

from __future__ import annotations

from gateway.api.calls import base_url, call_context, token_info
from gateway.cases.pqrs import Pqrs
from gateway.runtime import runtime


def _pqrs() -> Pqrs:
    current = runtime()
    return Pqrs(current.crm, current.clocks, current.settings)


def create_pqr(case_id, body):
    ticket = _pqrs().file(call_context().sandbox, case_id, body, base_url(), filed_by=token_info().get("role"))
    return ticket, 201, {"Location": ticket["href"]}


def list_pqrs(status=None, overdue=None, customer_id=None, limit=20, offset=0):
    tickets = _pqrs().find(call_context().sandbox, base_url(), status, overdue, customer_id)
    page = tickets[offset : offset + limit]
    return page, 200, {"X-Total-Count": str(len(tickets)), "X-Result-Count": str(len(page))}


def get_pqr(pqr_id):
    return _pqrs().get(call_context().sandbox, pqr_id, base_url())


def declare_pqr_evidence(pqr_id, body=None):
    return _pqrs().declare_evidence(call_context().sandbox, pqr_id, body or {}, base_url())


def answer_pqr(pqr_id, body):
    return _pqrs().answer(call_context().sandbox, pqr_id, body, base_url())


def appeal_pqr(pqr_id, body):
    ticket = _pqrs().appeal(call_context().sandbox, pqr_id, body, base_url())
    return ticket, 201
