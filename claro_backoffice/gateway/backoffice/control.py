"""The control API every mock serves under `/__admin/` (openapi/mocks/admin.yaml), as methods every adapter
inherits: sandboxes, reset, fixtures, clock, faults, journal and a health probe. Answers come back camelCase.
These calls bypass the circuit breaker (faults never act on `/__admin/`, and healing must get through) but keep
the timeouts, the retries of idempotent calls and the failure mapping. They carry MOCK_ADMIN_TOKEN as a bearer
token when it is set (instead of the system's own extra headers: Meta's Graph token is not for its control API).
"""

from __future__ import annotations

import dataclasses
import time
from typing import Any

import requests

from claro_backoffice.gateway.backoffice.base import BackofficeHttp, BaseAdapter, CallContext, Reply, camel
from claro_backoffice.gateway.errors import DownstreamError
from claro_backoffice.gateway.settings import GatewaySettings

ADMIN = "/__admin"


def _camel_keys_only(entry: dict) -> dict:
    """The entry's own keys camelCased, its values (the bodies) untouched."""
    renamed = camel(dict.fromkeys(entry))  # camel() renames keys recursively; here there is nothing below them
    return dict(zip(renamed, entry.values(), strict=True))


class ControlAPI(BaseAdapter):
    def __init__(self, base_url: str, settings: GatewaySettings, http: BackofficeHttp | None = None):
        super().__init__(base_url, settings, http)
        self.admin_token = settings.mock_admin_token

    def _admin_headers(self) -> dict:
        return {"Authorization": f"Bearer {self.admin_token}"} if self.admin_token else {}

    def _admin(self, method: str, path: str, ctx: CallContext, **kw: Any) -> Reply:
        reply = self.call(method, f"{ADMIN}{path}", ctx, guarded=False, headers=self._admin_headers(), **kw)
        if reply.status == 401:  # not the caller's fault: the gateway and the mock disagree on MOCK_ADMIN_TOKEN
            raise DownstreamError(
                self.system,
                "admin-token",
                502,
                f"{self.system}'s control API refused the gateway: MOCK_ADMIN_TOKEN is "
                f"{'different from' if self.admin_token else 'unset in the gateway but set in'} "
                "the mock's",
            )
        return reply

    # ---- sandboxes ---------------------------------------------------------------------------------------------
    def list_sandboxes(self, ctx: CallContext) -> list[dict]:
        return camel(self.answer(self._admin("GET", "/sandboxes", ctx), 200)["sandboxes"])

    # Sent scoped to the sandbox they name (X-Sandbox: name): the control API refuses to create or delete a
    # sandbox other than the one a request is scoped to.
    def create_sandbox(self, ctx: CallContext, name: str, seed: int | None = None) -> dict:
        body = {"name": name} if seed is None else {"name": name, "seed": seed}
        scoped = dataclasses.replace(ctx, sandbox=name)
        return camel(self.answer(self._admin("POST", "/sandboxes", scoped, json=body), 201))

    def delete_sandbox(self, ctx: CallContext, name: str) -> None:
        scoped = dataclasses.replace(ctx, sandbox=name)
        self.answer(self._admin("DELETE", f"/sandboxes/{name}", scoped), 204)

    def reset_sandbox(self, ctx: CallContext) -> dict:
        """Restore ctx.sandbox to its seeded state (data, faults, clock and journal)."""
        return camel(self.answer(self._admin("POST", "/reset", ctx), 200))

    def apply_fixtures(self, ctx: CallContext, changes: list[dict], description: str | None = None) -> dict:
        body = {"changes": changes} | ({"description": description} if description else {})
        return camel(self.answer(self._admin("POST", "/fixtures", ctx, json=body), 200))

    # ---- clock ---------------------------------------------------------------------------------------------------
    def get_clock(self, ctx: CallContext) -> dict:
        return camel(self.answer(self._admin("GET", "/clock", ctx), 200))

    def set_clock(self, ctx: CallContext, change: dict) -> dict:
        """change: any of set (ISO date-time), advance (ISO duration), frozen (bool)."""
        return camel(self.answer(self._admin("POST", "/clock", ctx, json=change), 200))

    # ---- faults --------------------------------------------------------------------------------------------------
    def list_faults(self, ctx: CallContext) -> list[dict]:
        return camel(self.answer(self._admin("GET", "/faults", ctx), 200)["faults"])

    def add_fault(self, ctx: CallContext, rule: dict) -> dict:
        """rule (snake_case, as the control API takes it): kind, method, path, status, delay_ms, ... count, seed."""
        return camel(self.answer(self._admin("POST", "/faults", ctx, json=rule), 201))

    def clear_faults(self, ctx: CallContext) -> int:
        return self.answer(self._admin("DELETE", "/faults", ctx), 200)["deleted"]

    # ---- journal -------------------------------------------------------------------------------------------------
    def journal(
        self,
        ctx: CallContext,
        limit: int = 100,
        method: str | None = None,
        path: str | None = None,
        status: int | None = None,
    ) -> list[dict]:
        """What the system was asked in ctx.sandbox and what it answered, newest first. Only the entry's own keys
        are camelCased: the bodies are what went over the wire, as the system spelled them."""
        params: dict[str, str | int] = {"limit": limit}
        params |= ({"method": method} if method else {}) | ({"path": path} if path else {})
        params |= {"status": status} if status is not None else {}
        listed = self.answer(self._admin("GET", "/requests", ctx, params=params), 200)["requests"]
        return [_camel_keys_only(e) for e in listed]

    def clear_journal(self, ctx: CallContext) -> int:
        return self.answer(self._admin("DELETE", "/requests", ctx), 200)["deleted"]

    # ---- health --------------------------------------------------------------------------------------------------
    def probe(self) -> dict:
        """One cheap call (the sandbox registry) with no retry and no breaker: reachable or not, and how fast."""
        result, _ = self._probe(f"{ADMIN}/sandboxes", {})
        return result

    def probe_sandbox(self, sandbox: str) -> tuple[dict, list | None]:
        """The probe, asked for the sandbox's fault rules (faults never act on the control API): (the probe's
        result, the rules; None when this system has no such sandbox). The result is `down` when it can't say."""
        result, body = self._probe(f"{ADMIN}/faults", {"X-Sandbox": sandbox}, unknown_ok=True)
        return result, None if body is None else body.get("faults", [])

    def _probe(self, path: str, headers: dict, unknown_ok: bool = False) -> tuple[dict, dict | None]:
        started = time.perf_counter()
        body = None
        try:
            response = self.session.get(
                f"{self.base_url}{path}",
                timeout=self.timeout,
                headers={"Accept": "application/json"} | self._admin_headers() | headers,
            )
            ok, detail = response.status_code == 200, f"answered {response.status_code}"
            if ok:
                body = response.json()
            elif (
                unknown_ok
                and response.status_code == 404
                and str(response.json().get("type", "")).endswith("/unknown-sandbox")
            ):
                ok = True
        except requests.Timeout:
            ok, detail = False, "did not answer in time"
        except requests.RequestException as exc:
            ok, detail = False, f"can't be reached ({type(exc).__name__})"
        except (ValueError, AttributeError):
            ok, detail = False, "answered with a body that is not JSON"
        result = {
            "system": self.system,
            "status": "up" if ok else "down",
            "latencyMs": round((time.perf_counter() - started) * 1000, 3),
        }
        return (result, body) if ok else (result | {"detail": f"{self.system} {detail}"}, None)
