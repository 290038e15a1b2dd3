"""A 405 must list every method the path supports; connexion's lists only one operation's (stack.md).
The gateway's own small equivalent of the mocks' (the gateway never imports mocks)."""
from __future__ import annotations

import re
from pathlib import Path

from core.yamlload import safe_load

_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")


def spec_routes(spec_file: Path | dict) -> list[tuple[re.Pattern, str]]:
    """spec_file: the spec's path, or the spec already parsed."""
    spec = spec_file if isinstance(spec_file, dict) else safe_load(spec_file.read_text(encoding="utf-8"))
    routes = []
    for template, item in spec.get("paths", {}).items():
        methods = sorted(m.upper() for m in item if m in _METHODS)
        pattern = re.sub(r"\\\{[^}]+\\\}", "[^/]+", re.escape(template))
        routes.append((re.compile(f"^{pattern}/?$"), ", ".join(methods)))
    return routes


def _route_path(scope) -> str:
    path, root = scope.get("path", ""), scope.get("root_path", "")
    return (path[len(root):] or "/") if root and path.startswith(root) else path


class AllowHeaderMiddleware:
    def __init__(self, app, routes: list[tuple[re.Pattern, str]]):
        self.app, self.routes = app, routes

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        path = _route_path(scope)

        async def fix_allow(message):
            if message["type"] == "http.response.start" and message["status"] == 405:
                allowed = next((methods for regex, methods in self.routes if regex.match(path)), None)
                if allowed:
                    headers = [(k, v) for k, v in message.get("headers", []) if k.lower() != b"allow"]
                    message = dict(message, headers=headers + [(b"allow", allowed.encode())])
            await send(message)

        await self.app(scope, receive, fix_allow)


class PathGuardMiddleware:
    """A path with a line break (%0A, %0D) or another control character misses connexion's routing (its mount
    pattern stops at a newline) yet reaches Flask's, which then fails outside an operation (a 500): answer a 400
    problem before routing instead (as mocks/kit/middleware.py does for the mocks)."""

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] == "http" and any(ord(ch) < 32 or ord(ch) == 127 for ch in scope.get("path", "")):
            body = (b'{"type": "https://claro-premium.example/problems/invalid-path", "title": "Bad Request", '
                    b'"status": 400, "detail": "the path contains a line break or another control character '
                    b'(%00-%1F, %7F): no identifier has one"}')
            await send({"type": "http.response.start", "status": 400,
                        "headers": [(b"content-type", b"application/problem+json"),
                                    (b"content-length", str(len(body)).encode())]})
            return await send({"type": "http.response.body", "body": body})
        return await self.app(scope, receive, send)
