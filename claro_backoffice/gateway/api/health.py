"""GET /health and GET /health/ready (no token needed; gateway/services/health.py)."""

from __future__ import annotations

import flask

from claro_backoffice.gateway.api.calls import DEFAULT_SANDBOX, backoffice, executor
from claro_backoffice.gateway.runtime import runtime
from claro_backoffice.gateway.services import health


def get_health() -> dict:
    return health.health(backoffice(), executor(), flask.request.headers.get("X-Sandbox") or DEFAULT_SANDBOX)


def get_readiness() -> tuple[dict, int]:
    ready, systems = runtime().readiness.check(backoffice(), executor())
    return {"status": "ready" if ready else "starting", "systems": systems}, 200 if ready else 503
