"""A body's Content-Type, checked before anything reads the body: on an operation that takes one, a body with no
Content-Type or a type the spec doesn't list is a 415 naming the types it takes. (connexion would check a foreign
type, but with none it validates the body as the first listed type and then hands the view raw bytes: a 500.)"""

from __future__ import annotations

from fnmatch import fnmatch
from types import SimpleNamespace
from typing import Any

from connexion.resolver import Resolver
from starlette.types import ASGIApp, Receive, Scope, Send

from claro_backoffice.core.clip import clip_value
from claro_backoffice.core.responses import Render, send_problem

_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")


def body_types(spec: dict[str, Any], resolver: Resolver, base_path: str = "") -> dict[tuple[str, str], tuple[str, ...]]:
    """(API base path, operation id) -> the media types its requestBody lists, for every operation that has one.
    The id is the one connexion's routing reports: the operationId as the API's resolver resolves it. Read from
    the spec dict before connexion is given it (connexion may alter it)."""
    found: dict[tuple[str, str], tuple[str, ...]] = {}
    for item in spec.get("paths", {}).values():
        for method, operation in item.items():
            body = operation.get("requestBody") if method in _METHODS else None
            if body:
                named = SimpleNamespace(
                    operation_id=operation["operationId"],
                    router_controller=operation.get("x-openapi-router-controller"),
                )
                found[(base_path, resolver.resolve_operation_id(named))] = tuple(t.lower() for t in body["content"])
    return found


def _header(scope: Scope, name: bytes) -> str | None:
    return next((v.decode("latin-1") for k, v in scope.get("headers", ()) if k.lower() == name), None)


class ContentTypeMiddleware:
    """After connexion's routing (it needs the operation), before validation; inside BodyLimitMiddleware, which
    gives every body it read a Content-Length (chunked ones included)."""

    def __init__(self, app: ASGIApp, accepted: dict[tuple[str, str], tuple[str, ...]], render: Render) -> None:
        self.app, self.accepted, self.render = app, accepted, render

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        routing = scope.get("extensions", {}).get("connexion_routing") if scope["type"] == "http" else None
        accepted = routing and self.accepted.get((routing.get("api_base_path", ""), routing.get("operation_id")))
        if not accepted:
            return await self.app(scope, receive, send)
        mime = (_header(scope, b"content-type") or "").split(";", 1)[0].strip().lower()
        has_body = (_header(scope, b"content-length") or "0").strip() != "0"
        names = " or ".join(accepted)
        if not mime and has_body:
            detail = f"the request has a body but no Content-Type header: send it as {names}"
        elif mime and not any(fnmatch(mime, t) for t in accepted):
            detail = f"Content-Type '{clip_value(mime)}' is not accepted here: send the body as {names}"
        else:
            return await self.app(scope, receive, send)
        await send_problem(send, 415, self.render(415, detail, "unsupported-media-type"))
