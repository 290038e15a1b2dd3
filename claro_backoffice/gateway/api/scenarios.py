"""/admin/scenarios: the catalogue of scenarios, a trainer's own scenario kept under var/, loading one into a
sandbox (optionally with its practice customer), and /admin/practice (gateway/services/scenarios.py,
gateway/practice/)."""

from __future__ import annotations

from typing import Any

from claro_backoffice.gateway.api.calls import backoffice, call_context, executor, sandbox, token_info
from claro_backoffice.gateway.errors import problem
from claro_backoffice.gateway.practice.customer import PracticeCustomer
from claro_backoffice.gateway.runtime import runtime
from claro_backoffice.gateway.services import admin, scenarios


def _trainers() -> list:
    return scenarios.trainer_dirs(runtime().settings.var_dir, sandbox())


def list_scenarios() -> dict:
    return scenarios.catalogue(extra=_trainers())


def _scope(scope: str) -> str | None:
    """The sandbox a trainer's scenario is kept for (None: all); a pinned token keeps its own sandbox's only."""
    if scope == scenarios.ALL and token_info().get("pinned"):
        raise problem(
            403,
            f"this token is pinned to sandbox '{token_info()['pinned']}': it keeps scenarios for that sandbox "
            "only (scope=sandbox)",
            "forbidden-sandbox",
        )
    return None if scope == scenarios.ALL else sandbox()


def create_scenario(body: Any, scope: str = "sandbox") -> tuple[dict, int]:
    """A trainer's scenario document, checked like the repository's files, kept for this sandbox or for all."""
    kept, created = scenarios.store(body, runtime().settings.var_dir, _scope(scope))
    summary = scenarios.catalogue(extra=_trainers())["scenarios"]
    entry = next(e for e in summary if e["name"] == kept["name"])
    return entry | {"scope": scope}, 201 if created else 200


def delete_scenario(name: str, scope: str = "sandbox") -> tuple[None, int]:
    scenarios.remove(name, runtime().settings.var_dir, _scope(scope))
    return None, 204


def load_scenario(name: str, body: dict[str, Any] | None = None) -> dict:
    """With {reset: true} the sandbox is first restored in every system, and the gateway's own CRM emptied; with
    {practice: true} the scenario's customer then starts writing and answers by the scenario's rules."""
    context = call_context()
    extra = _trainers()
    scenario = scenarios.read(name, extra=extra)  # an unknown scenario is a 404 before anything is reset
    reset = bool((body or {}).get("reset"))
    practice = bool((body or {}).get("practice"))
    if practice and not scenario.get("practice"):
        raise problem(
            422, f"scenario '{name}' has no practice section: its customer has no rules to answer by", "no-practice"
        )
    current = runtime()
    if reset:
        try:
            admin.reset_sandbox(backoffice(), executor(), context, context.sandbox)
        finally:
            current.clocks.forget(context.sandbox)
            if current.crm.exists(context.sandbox):
                current.crm.reset(context.sandbox)
    loaded = scenarios.load(backoffice(), executor(), context, name, extra=extra) | {"reset": reset}
    if practice:
        loaded["practice"] = _customer().start(scenario)
    return loaded


def _customer() -> PracticeCustomer:
    current, ctx = runtime(), call_context()
    return PracticeCustomer(current.crm, current.clocks, current.backoffice.meta, ctx, current.numbers.of(ctx.sandbox))


def get_practice() -> dict:
    customer = _customer()
    customer.catch_up()
    return customer.view()


def stop_practice() -> dict:
    return _customer().stop()
