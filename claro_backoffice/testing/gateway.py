"""The gateway app as the in-process back office's tests use it, and a client on it that carries a token."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

import httpx

from claro_backoffice.gateway.settings import GatewaySettings

if TYPE_CHECKING:
    import connexion

    from claro_backoffice.testing.inprocess import InProcessBackoffice


class FakeClock:
    """The breaker's clock in tests: advance() instead of waiting."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


def build_gateway_app(var_dir: Path) -> connexion.FlaskApp:
    """The gateway with response validation on, no backoff waits (sleeps recorded), a fake clock (breakers,
    deadlines) and a fixed backoff jitter (0.5: each pause is 3/4 of base × 2ⁿ)."""
    from claro_backoffice.gateway.app import create_app
    from claro_backoffice.gateway.backoffice.base import BackofficeHttp

    sleeps: list[float] = []
    clock = FakeClock()
    settings = GatewaySettings(validate_responses=True, var_dir=var_dir)
    app = create_app(settings, BackofficeHttp(sleep=sleeps.append, clock=clock, jitter=lambda: 0.5))
    app.sleeps, app.clock = sleeps, clock
    return app


def forget_test_state(app: connexion.FlaskApp) -> None:
    """What one test leaves in the gateway for the next: circuits, sandbox clocks, `default`'s case data, sleeps."""
    app.runtime.backoffice.reset_breakers()
    app.runtime.clocks.forget()
    if app.runtime.crm.exists("default"):
        app.runtime.crm.reset("default")
    app.sleeps.clear()


class GatewayClient:
    """An in-process client (httpx API) on the gateway; every request carries a token (dev-admin unless `token=`;
    None: no token)."""

    ADMIN = "dev-admin"

    def __init__(self, client: httpx.Client, app: connexion.FlaskApp, office: InProcessBackoffice) -> None:
        self.client, self.app, self.backoffice = client, app, office
        self.sleeps, self.clock = app.sleeps, app.clock

    @staticmethod
    def auth(token: str | None = ADMIN) -> dict[str, str]:
        return {"Authorization": f"Bearer {token}"} if token else {}

    def request(
        self,
        method: str,
        path: str,
        *,
        token: str | None = ADMIN,
        sandbox: str | None = None,
        headers: Mapping[str, str] | None = None,
        **kw: Any,  # httpx.Client.request's own keywords (json=, params=, content=...), passed through
    ) -> httpx.Response:
        merged = self.auth(token) | ({"X-Sandbox": sandbox} if sandbox else {}) | dict(headers or {})
        return self.client.request(method, path, headers=merged, **kw)

    def get(self, path: str, **kw: Any) -> httpx.Response:
        return self.request("GET", path, **kw)

    def post(self, path: str, **kw: Any) -> httpx.Response:
        return self.request("POST", path, **kw)

    def delete(self, path: str, **kw: Any) -> httpx.Response:
        return self.request("DELETE", path, **kw)
