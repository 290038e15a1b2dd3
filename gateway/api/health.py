"""GET /health (no token needed)."""
from __future__ import annotations

from gateway.api.calls import backoffice, executor
from gateway.services.health import health


def get_health():
    return health(backoffice(), executor())
