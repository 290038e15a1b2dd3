"""Which sandboxes exist, as the systems say: the gateway keeps no list of its own, so a sandbox made or deleted
directly on the mocks is seen too.

Every operation that acts in a sandbox asks `require(name)` before it does anything (core/resolver.py, `before`), and
the CRM asks it before it creates a sandbox's file: an unknown name is a 404 that says how to create the sandbox,
and nothing is written for it (a name nobody created never becomes a file or a pool of open connections).
`default` always exists. A sandbox seen to exist is remembered for `ttl` seconds (or until `forget`); an unknown
one is never remembered, so a sandbox created meanwhile is found at once.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

from connexion.exceptions import ProblemException

from claro_backoffice.core.systems import SYSTEMS
from claro_backoffice.gateway.backoffice import Backoffice
from claro_backoffice.gateway.backoffice.base import CallContext
from claro_backoffice.gateway.errors import DownstreamError, problem

DEFAULT_SANDBOX = "default"
# Meta first: its clock is the one the case flow reads anyway. The others answer when Meta can't.
ASK_ORDER = ("meta", *(s for s in SYSTEMS if s != "meta"))


def unknown_sandbox(name: str) -> ProblemException:
    return problem(
        404,
        f'sandbox \'{name}\' does not exist; create it with POST /admin/sandboxes {{"name": "{name}"}} (admin role)',
        "unknown-sandbox",
    )


def ask_systems(backoffice: Backoffice, name: str) -> bool:
    """True if the sandbox exists, False if it doesn't, as the first system that can answer says (its control
    API's clock: faults never act there); the first failure when none can."""
    first: DownstreamError | None = None
    for system in ASK_ORDER:
        try:
            backoffice.control(system).get_clock(CallContext(name))
            return True
        except DownstreamError as error:
            if error.kind == "unknown-sandbox":
                return False
            first = first or error
    assert first is not None  # ASK_ORDER is not empty: every system failed, so one error was kept
    raise first


def sandboxed_operations(spec: dict) -> set[str]:
    """The operationIds that act in a sandbox: secured, and taking X-Sandbox. Not the webhook (its sandbox is
    in the body), nor the sandbox operations (they name theirs in the path or body), nor the open health checks."""
    shared = spec.get("components", {}).get("parameters", {})
    default_security = spec.get("security", [])
    found = set()
    for item in spec["paths"].values():
        for method in ("get", "put", "post", "delete", "patch"):
            operation = item.get(method)
            if operation is None or not operation.get("security", default_security):
                continue
            parameters = [
                shared.get(p["$ref"].rsplit("/", 1)[-1], {}) if "$ref" in p else p
                for p in item.get("parameters", []) + operation.get("parameters", [])
            ]
            if any(p.get("in") == "header" and p.get("name", "").lower() == "x-sandbox" for p in parameters):
                found.add(operation["operationId"])
    return found


class SandboxRegistry:
    def __init__(self, ask: Callable[[str], bool], ttl: float = 30.0, monotonic: Callable[[], float] = time.monotonic):
        """ask(name) -> exists? (raises the adapters' DownstreamError when no system can say)."""
        self._ask = ask
        self._ttl = ttl
        self._monotonic = monotonic
        self._seen: dict[str, float] = {}
        self._lock = threading.Lock()

    def require(self, name: str) -> None:
        """Nothing when the sandbox exists; the 404 problem (how to create it) when it doesn't."""
        if name == DEFAULT_SANDBOX:
            return
        with self._lock:
            seen = self._seen.get(name)
        if seen is not None and self._monotonic() - seen <= self._ttl:
            return
        if not self._ask(name):
            self.forget(name)
            raise unknown_sandbox(name)
        with self._lock:
            self._seen[name] = self._monotonic()

    def forget(self, name: str | None = None) -> None:
        with self._lock:
            if name is None:
                self._seen.clear()
            else:
                self._seen.pop(name, None)
