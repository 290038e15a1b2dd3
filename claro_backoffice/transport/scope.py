"""The ASGI scope key the in-process transport sets: the request runs on the caller's own event loop, in the
caller's thread, so work that blocks there (a mock's SQLite) holds up no one else and needs no hand-off."""

from __future__ import annotations

from starlette.types import Scope

IN_PROCESS = "claro_backoffice.transport.in_process"


def in_process(scope: Scope) -> bool:
    return bool(scope.get(IN_PROCESS))
