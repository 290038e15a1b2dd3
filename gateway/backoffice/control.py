"""The control API every mock serves under `/__admin/` (openapi/mocks/admin.yaml), as methods every adapter
inherits: sandboxes, reset, fixtures, clock, faults, journal and a health probe. Answers come back camelCase.
These calls bypass the circuit breaker (faults never act on `/__admin/`, and healing must get through) but keep
the timeouts, the retries of idempotent calls and the failure mapping.
"""
from __future__ import annotations

import time

import requests

from gateway.backoffice.base import BaseAdapter, CallContext, camel

ADMIN = "/__admin"


class ControlAPI(BaseAdapter):
    # ---- sandboxes ---------------------------------------------------------------------------------------------
    def list_sandboxes(self, ctx: CallContext) -> list[dict]:
        return camel(self.get(f"{ADMIN}/sandboxes", ctx, guarded=False)["sandboxes"])

    def create_sandbox(self, ctx: CallContext, name: str, seed: int | None = None) -> dict:
        body = {"name": name} if seed is None else {"name": name, "seed": seed}
        return camel(self.answer(self.call("POST", f"{ADMIN}/sandboxes", ctx, json=body, guarded=False), 201))

    def delete_sandbox(self, ctx: CallContext, name: str) -> None:
        self.answer(self.call("DELETE", f"{ADMIN}/sandboxes/{name}", ctx, guarded=False), 204)

    def reset_sandbox(self, ctx: CallContext) -> dict:
        """Restore ctx.sandbox to its seeded state (data, faults, clock and journal)."""
        return camel(self.answer(self.call("POST", f"{ADMIN}/reset", ctx, guarded=False), 200))

    def apply_fixtures(self, ctx: CallContext, changes: list[dict], description: str | None = None) -> dict:
        body = {"changes": changes} | ({"description": description} if description else {})
        return camel(self.answer(self.call("POST", f"{ADMIN}/fixtures", ctx, json=body, guarded=False), 200))

    # ---- clock ---------------------------------------------------------------------------------------------------
    def get_clock(self, ctx: CallContext) -> dict:
        return camel(self.get(f"{ADMIN}/clock", ctx, guarded=False))

    def set_clock(self, ctx: CallContext, change: dict) -> dict:
        """change: any of set (ISO date-time), advance (ISO duration), frozen (bool)."""
        return camel(self.answer(self.call("POST", f"{ADMIN}/clock", ctx, json=change, guarded=False), 200))

    # ---- faults --------------------------------------------------------------------------------------------------
    def list_faults(self, ctx: CallContext) -> list[dict]:
        return camel(self.get(f"{ADMIN}/faults", ctx, guarded=False)["faults"])

    def add_fault(self, ctx: CallContext, rule: dict) -> dict:
        """rule (snake_case, as the control API takes it): kind, method, path, status, delay_ms, ... count, seed."""
        return camel(self.answer(self.call("POST", f"{ADMIN}/faults", ctx, json=rule, guarded=False), 201))

    def clear_faults(self, ctx: CallContext) -> int:
        return self.answer(self.call("DELETE", f"{ADMIN}/faults", ctx, guarded=False), 200)["deleted"]

    # ---- journal -------------------------------------------------------------------------------------------------
    def journal(self, ctx: CallContext, limit: int = 100, method: str | None = None,
                path: str | None = None) -> list[dict]:
        """What the system was asked in ctx.sandbox, newest first."""
        params = {"limit": limit} | ({"method": method} if method else {}) | ({"path": path} if path else {})
        return camel(self.get(f"{ADMIN}/requests", ctx, params=params, guarded=False)["requests"])

    def clear_journal(self, ctx: CallContext) -> int:
        return self.answer(self.call("DELETE", f"{ADMIN}/requests", ctx, guarded=False), 200)["deleted"]

    # ---- health --------------------------------------------------------------------------------------------------
    def probe(self) -> dict:
        """One cheap call (the sandbox registry) with no retry and no breaker: reachable or not, and how fast."""
        started = time.perf_counter()
        try:
            response = self.session.get(f"{self.base_url}{ADMIN}/sandboxes", timeout=self.timeout,
                                        headers={"Accept": "application/json"})
            ok, detail = response.status_code == 200, f"answered {response.status_code}"
            if ok:
                response.json()
        except requests.Timeout:
            ok, detail = False, "did not answer in time"
        except requests.RequestException as exc:
            ok, detail = False, f"can't be reached ({type(exc).__name__})"
        except ValueError:
            ok, detail = False, "answered with a body that is not JSON"
        result = {"system": self.system, "status": "up" if ok else "down",
                  "latencyMs": round((time.perf_counter() - started) * 1000, 3)}
        return result if ok else result | {"detail": f"{self.system} {detail}"}
