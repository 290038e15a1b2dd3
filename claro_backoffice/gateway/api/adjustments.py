"""POST/GET /cases/{caseId}/adjustments, GET /adjustments (RR and AC, every account), GET /adjustments/{adjustmentId},
POST /adjustments/{adjustmentId}/approve|reject: requests in RR or AC (the rules: gateway/cases/adjustments.py)."""

from __future__ import annotations

from typing import Any

from claro_backoffice.gateway.api.actors import required_actor, with_actor
from claro_backoffice.gateway.api.calls import base_url, call_context, token_info
from claro_backoffice.gateway.cases.adjustments import Adjustments
from claro_backoffice.gateway.runtime import runtime
from claro_backoffice.gateway.services.agents import active_leader


def _adjustments() -> Adjustments:
    current = runtime()
    return Adjustments(
        call_context(), base_url(), crm=current.crm, clocks=current.clocks, backoffice=current.backoffice
    )


def create_case_adjustment(case_id: str, body: dict[str, Any]) -> tuple[dict, int, dict[str, str]]:
    made = _adjustments().request(case_id, with_actor(body, "advisor"))
    return made, 201, {"Location": made["href"]}


def list_case_adjustments(case_id: str) -> dict:
    found = _adjustments().of_case(case_id)
    return {"adjustments": found, "total": len(found)}


def list_adjustments(status: str | None = None) -> dict:
    found = _adjustments().listed(status)
    return {"adjustments": found, "total": len(found)}


def get_adjustment(adjustment_id: str) -> dict:
    return _adjustments().get(adjustment_id)


def approve_adjustment(adjustment_id: str, body: dict[str, Any]) -> dict:
    return _adjustments().decide(adjustment_id, True, _decided_by(body))


def reject_adjustment(adjustment_id: str, body: dict[str, Any]) -> dict:
    return _adjustments().decide(adjustment_id, False, _decided_by(body))


def _decided_by(body: dict[str, Any]) -> dict[str, Any]:
    """The supervisor deciding is the token's user (or the body's `supervisor` with a token without one, or an
    admin's): one the body names must be an active Almabi leader of the sandbox (the token's user was checked
    when the token was issued)."""
    supervisor = required_actor(body.get("supervisor"), "supervisor")
    if supervisor != token_info().get("user"):
        current = runtime()
        active_leader(current.backoffice, call_context(), supervisor, "decide an adjustment")
    return dict(body, supervisor=supervisor)
