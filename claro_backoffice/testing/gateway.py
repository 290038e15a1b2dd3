"""The gateway app as the in-process back office's tests use it, and a client on it that carries a token."""

from __future__ import annotations

from pathlib import Path

from claro_backoffice.gateway.settings import GatewaySettings


class FakeClock:
    """The breaker's clock in tests: advance() instead of waiting."""

    def __init__(self):
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


def build_gateway_app(var_dir: Path):
    """The gateway with response validation on, no backoff waits (sleeps recorded), a fake clock (breakers,
    deadlines) and a fixed backoff jitter (0.5: each pause is 3/4 of base × 2ⁿ)."""
    from claro_backoffice.gateway.app import create_app
    from claro_backoffice.gateway.backoffice.base import BackofficeHttp

    sleeps, clock = [], FakeClock()
    settings = GatewaySettings(validate_responses=True, var_dir=var_dir)
    app = create_app(settings, BackofficeHttp(sleep=sleeps.append, clock=clock, jitter=lambda: 0.5))
    app.sleeps, app.clock = sleeps, clock
    return app


def forget_test_state(app) -> None:
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

    def __init__(self, client, app, office):
        self.client, self.app, self.backoffice = client, app, office
        self.sleeps, self.clock = app.sleeps, app.clock

    @staticmethod
    def auth(token: str | None = ADMIN) -> dict:
        return {"Authorization": f"Bearer {token}"} if token else {}

    def request(self, method, path, *, token: str | None = ADMIN, sandbox: str | None = None, headers=None, **kw):
        merged = self.auth(token) | ({"X-Sandbox": sandbox} if sandbox else {}) | (headers or {})
        return self.client.request(method, path, headers=merged, **kw)

    def get(self, path, **kw):
        return self.request("GET", path, **kw)

    def post(self, path, **kw):
        return self.request("POST", path, **kw)

    def delete(self, path, **kw):
        return self.request("DELETE", path, **kw)
