"""GET/POST /serviceProblem, GET /serviceProblem/{id}: TMF656 AVISOs (gateway/services/service_problems.py)."""

from __future__ import annotations

from typing import Any

from claro_backoffice.gateway.api.calls import backoffice, base_url, call_context, executor
from claro_backoffice.gateway.services.service_problems import ServiceProblems


def _service() -> ServiceProblems:
    return ServiceProblems(backoffice(), executor())


def list_service_problems(account_id: str | None = None, cell_id: str | None = None, node: str | None = None) -> list:
    return _service().find(call_context(), base_url(), account_id=account_id, cell_id=cell_id, node=node)


def get_service_problem(service_problem_id: str) -> dict:
    return _service().get(call_context(), base_url(), int(service_problem_id))


def create_service_problem(body: dict[str, Any]) -> tuple[dict, int, dict[str, str]]:
    view, created = _service().escalate(call_context(), base_url(), body)
    return view, 201 if created else 200, ({"Location": view["href"]} if created else {})
