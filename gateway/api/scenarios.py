"""/admin/scenarios: the catalogue of scenarios and loading one into a sandbox (gateway/services/scenarios.py)."""

from __future__ import annotations

from typing import Any

from gateway.api.calls import backoffice, call_context, executor
from gateway.runtime import runtime
from gateway.services import admin, scenarios


def list_scenarios() -> dict:
    return scenarios.catalogue()


def load_scenario(name: str, body: dict[str, Any] | None = None) -> dict:
    """With {reset: true} the sandbox is first restored in every system, and the gateway's own CRM emptied."""
    context = call_context()
    scenarios.read(name)  # an unknown scenario is a 404 before anything is reset
    reset = bool((body or {}).get("reset"))
    if reset:
        current = runtime()
        try:
            admin.reset_sandbox(backoffice(), executor(), context, context.sandbox)
        finally:
            current.clocks.forget(context.sandbox)
            if current.crm.exists(context.sandbox):
                current.crm.reset(context.sandbox)
    return scenarios.load(backoffice(), executor(), context, name) | {"reset": reset}
