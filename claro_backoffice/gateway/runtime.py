"""What one gateway app owns: its settings, the adapters, the thread pool that calls systems concurrently and the
roles each operation allows. Built by create_app; handlers reach it through `runtime()`."""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import flask
from starlette.types import ASGIApp, Receive, Scope, Send

from claro_backoffice.core import memory, package_data
from claro_backoffice.core.yamlload import safe_load
from claro_backoffice.gateway.backoffice import Backoffice
from claro_backoffice.gateway.cases.clock import Clocks
from claro_backoffice.gateway.cases.numbers import BusinessNumbers
from claro_backoffice.gateway.cases.store import CrmStore
from claro_backoffice.gateway.sandboxes import SandboxRegistry
from claro_backoffice.gateway.services.guides import GuideBook
from claro_backoffice.gateway.services.health import Readiness
from claro_backoffice.gateway.settings import GatewaySettings

RUNTIME_KEY = "GATEWAY_RUNTIME"
SCOPE_KEY = "claro_backoffice.gateway.runtime"
_METHODS = ("get", "put", "post", "delete", "patch", "head", "options")


@dataclasses.dataclass
class GatewayRuntime:
    settings: GatewaySettings
    backoffice: Backoffice
    executor: ThreadPoolExecutor
    roles: dict  # operationId -> roles allowed; an operation with no security is absent
    crm: CrmStore  # the gateway's own SQLite (gateway/cases/store.py)
    clocks: Clocks  # each sandbox's virtual time (gateway/cases/clock.py)
    numbers: BusinessNumbers  # phone_number_id -> sandbox, for Meta's webhooks
    typifications: dict  # code -> the catalogue's entry (world/data/typifications.yaml)
    sandboxes: SandboxRegistry  # which sandboxes exist (gateway/sandboxes.py)
    readiness: Readiness = dataclasses.field(default_factory=Readiness)  # which systems have started
    guides: GuideBook = dataclasses.field(default_factory=GuideBook)  # the advisor's guide, parsed on first use
    wall_clock: Callable[[], float] = time.time  # Unix seconds: issued tokens' life (injected in tests)
    release_memory: Callable[[], object] = memory.release_freed  # after a sandbox is deleted (core/memory.py)

    def close(self) -> None:
        self.executor.shutdown(wait=False, cancel_futures=True)
        self.backoffice.close()
        self.crm.close()


def spec_path() -> Path:
    return package_data.path("openapi", "gateway.yaml")


def operation_roles(path: Path | dict, package: str = "claro_backoffice.gateway.api") -> dict:
    """Resolved operationId (as connexion's routing names it: gateway.api.<module>.<function>) -> tuple of roles
    (x-roles); a secured operation without x-roles is a start-up error. path: the spec's path, or the spec parsed."""
    spec = path if isinstance(path, dict) else safe_load(path.read_text(encoding="utf-8"))
    default_security = spec.get("security", [])
    roles = {}
    for route, item in spec["paths"].items():
        for method in _METHODS:
            operation = item.get(method)
            if operation is None:
                continue
            if not operation.get("security", default_security):
                continue
            if not operation.get("x-roles"):
                raise ValueError(f"{method.upper()} {route} is secured but declares no x-roles")
            roles[f"{package}.{operation['operationId']}"] = tuple(operation["x-roles"])
    return roles


def runtime() -> GatewayRuntime:
    return flask.current_app.config[RUNTIME_KEY]


class RuntimeMiddleware:
    """Puts the runtime in the ASGI scope, where the security function (which runs before Flask) finds it."""

    def __init__(self, app: ASGIApp, runtime: GatewayRuntime) -> None:
        self.app = app
        self.runtime = runtime

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            scope[SCOPE_KEY] = self.runtime
        await self.app(scope, receive, send)
