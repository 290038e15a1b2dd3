"""A path with a line break (%0A, %0D) or another control character (%00-%1F, %7F) misses connexion's routing (its
mount pattern stops at a newline) yet reaches Flask's, which then fails outside an operation (a 500): answer a 400
problem before routing instead. No identifier of any system has such a character."""

from __future__ import annotations

from starlette.types import ASGIApp, Receive, Scope, Send

from claro_backoffice.core.problems import problem_body
from claro_backoffice.core.responses import send_problem


def _has_control(path: str) -> bool:
    return any(ord(ch) < 32 or ord(ch) == 127 for ch in path)


class PathGuardMiddleware:
    def __init__(self, app: ASGIApp, system: str | None = None) -> None:
        """system: the mock this guards, named in the problem (None: the gateway, or the root in front of all)."""
        self.app, self.system = app, system

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not _has_control(scope.get("path", "")):
            return await self.app(scope, receive, send)
        named = f" of {self.system}" if self.system else ""
        detail = (
            f"the path contains a line break or another control character (%00-%1F, %7F): no identifier{named} has one"
        )
        body = (
            problem_body(400, detail, "invalid-path", system=self.system)
            if self.system
            else problem_body(400, detail, "invalid-path")
        )
        await send_problem(send, 400, body)
