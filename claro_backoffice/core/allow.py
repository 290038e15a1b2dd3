"""A 405 must list every method the path supports; connexion's lists only one operation's (stack.md)."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from claro_backoffice.core.yamlload import safe_load

_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")


def spec_routes(spec_file: Path | dict[str, Any], prefix: str = "") -> list[tuple[re.Pattern[str], str]]:
    """spec_file: the spec's path, or the spec already parsed; prefix: prepended to every path template."""
    spec = spec_file if isinstance(spec_file, dict) else safe_load(spec_file.read_text(encoding="utf-8"))
    routes: list[tuple[re.Pattern[str], str]] = []
    for template, item in spec.get("paths", {}).items():
        methods = sorted(m.upper() for m in item if m in _METHODS)
        pattern = re.sub(r"\\\{[^}]+\\\}", "[^/]+", re.escape(prefix + template))
        routes.append((re.compile(f"^{pattern}/?$"), ", ".join(methods)))
    return routes


def route_path(scope: Scope) -> str:
    """The path below the app's mount point (root_path)."""
    path, root = scope.get("path", ""), scope.get("root_path", "")
    return (path[len(root) :] or "/") if root and path.startswith(root) else path


class AllowHeaderMiddleware:
    def __init__(
        self, app: ASGIApp, routes: list[tuple[re.Pattern[str], str]], path_of: Callable[[Scope], str] = route_path
    ) -> None:
        self.app, self.routes, self.path_of = app, routes, path_of

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        path = self.path_of(scope)

        async def fix_allow(message: Message) -> None:
            if message["type"] == "http.response.start" and message["status"] == 405:
                allowed = next((methods for regex, methods in self.routes if regex.match(path)), None)
                if allowed:
                    headers = [(k, v) for k, v in message.get("headers", []) if k.lower() != b"allow"]
                    message = dict(message, headers=headers + [(b"allow", allowed.encode())])
            await send(message)

        await self.app(scope, receive, fix_allow)
