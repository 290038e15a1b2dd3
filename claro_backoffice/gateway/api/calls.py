"""What every handler needs from the incoming request: the context to forward, the base URL for hrefs, the
services bound to this app's runtime."""

from __future__ import annotations

import uuid
from concurrent.futures import ThreadPoolExecutor

import flask
from connexion.context import context

from claro_backoffice.gateway.backoffice import Backoffice
from claro_backoffice.gateway.backoffice.base import CallContext
from claro_backoffice.gateway.cases.cases import check_case_header
from claro_backoffice.gateway.errors import problem
from claro_backoffice.gateway.runtime import runtime

DEFAULT_SANDBOX = "default"


def token_info() -> dict:
    return context.get("token_info") or {}


def sandbox() -> str:
    """The sandbox this request acts in: the token's (security checked a pinned one), else X-Sandbox, else default."""
    return token_info().get("sandbox") or flask.request.headers.get("X-Sandbox") or DEFAULT_SANDBOX


def require_sandbox() -> None:
    """Run before every operation that acts in a sandbox: an unknown one is a 404 and nothing is done."""
    runtime().sandboxes.require(sandbox())


def call_context() -> CallContext:
    """The sandbox the token may act on (security checked it), the request id (generated when absent), the case,
    and the deadline every downstream call of this request keeps to (GATEWAY_DEADLINE from now)."""
    headers = flask.request.headers
    gateway = runtime()
    ctx = CallContext(
        sandbox=sandbox(),
        request_id=headers.get("X-Request-Id") or uuid.uuid4().hex,
        case_id=headers.get("X-Case-Id"),
        deadline=gateway.backoffice.clock() + gateway.settings.deadline,
    )
    check_case_header(gateway.crm, ctx)
    return ctx


def check_pinned(name: str) -> None:
    """A token pinned to a sandbox can't act on another one named in the path."""
    pinned = token_info().get("pinned")
    if pinned and name != pinned:
        raise problem(
            403, f"this token is pinned to sandbox '{pinned}' and can't reach sandbox '{name}'", "forbidden-sandbox"
        )


def base_url() -> str:
    """Where this API is mounted, absolute (e.g. http://127.0.0.1:8000/api/v1): the root of every href."""
    request = flask.request
    return request.host_url.rstrip("/") + request.script_root.rstrip("/")


def backoffice() -> Backoffice:
    return runtime().backoffice


def executor() -> ThreadPoolExecutor:
    return runtime().executor
