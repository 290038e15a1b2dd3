"""GET /health and GET /health/ready.

/health (optionally for a sandbox, X-Sandbox): every system probed at once (no retry, no breaker) with its
latency, asked for the sandbox's fault rules in the same call. A system is `up`; `warn` when its circuit for the
sandbox is open (or half-open) or faults are planted in the sandbox there, each with its reason; `down` when it
can't be reached. pass: every system up; fail: all down; warn otherwise. A sandbox no reachable system has is
the 404 problem (gateway/sandboxes.py); one missing in some systems is a warn there.

/health/ready: 503 until every system has answered once (split mode starts them in processes of their own),
200 from then on. It never looks at a sandbox: a fault a trainee plants never takes the server out of a load
balancer.
"""

from __future__ import annotations

import functools
import threading
from concurrent.futures import Executor

from claro_backoffice.core.systems import SYSTEMS
from claro_backoffice.gateway.backoffice import Backoffice
from claro_backoffice.gateway.backoffice.control import ControlAPI
from claro_backoffice.gateway.sandboxes import unknown_sandbox
from claro_backoffice.gateway.services.fanout import gather


def _fault_reason(fault: dict) -> str:
    what = f"{fault['kind']}" + (f" {fault['status']}" if fault.get("kind") == "error" and "status" in fault else "")
    times = f", {fault['count']} more time(s)" if fault.get("count") is not None else ""
    return f"fault {fault['id']} planted in sandbox: {what} on {fault['method']} {fault['path']}{times}"


def _system(adapter: ControlAPI, sandbox: str) -> tuple[dict, bool]:
    """(the system's entry, whether it has the sandbox)."""
    result, faults = adapter.probe_sandbox(sandbox)
    if result["status"] == "down":
        return result, False
    reasons = []
    if faults is None:
        reasons.append(f"{adapter.system} has no sandbox '{sandbox}' (POST /admin/sandboxes completes it)")
    circuit = adapter.breaker.state(sandbox)
    if circuit == "open":
        reasons.append(
            f"circuit open for sandbox '{sandbox}' after consecutive failures: calls to "
            f"{adapter.system} fail at once with a 503 for now"
        )
    elif circuit == "half-open":
        reasons.append(
            f"circuit half-open for sandbox '{sandbox}': the next call to {adapter.system} is a trial "
            "that closes it or opens it again"
        )
    reasons += [_fault_reason(f) for f in faults or []]
    return (result | {"status": "warn", "reasons": reasons} if reasons else result), faults is not None


def health(backoffice: Backoffice, executor: Executor, sandbox: str) -> dict:
    probes = gather(executor, {s: functools.partial(_system, a, sandbox) for s, a in backoffice.all()})
    systems = [probes[s][0] for s in SYSTEMS]
    reached = [probes[s] for s in SYSTEMS if probes[s][0]["status"] != "down"]
    if reached and not any(has for _, has in reached):
        raise unknown_sandbox(sandbox)
    up = sum(1 for p in systems if p["status"] == "up")
    down = sum(1 for p in systems if p["status"] == "down")
    status = "pass" if up == len(systems) else "fail" if down == len(systems) else "warn"
    return {"status": status, "sandbox": sandbox, "systems": systems}


class Readiness:
    """Which systems have answered once; once all have, the gateway is ready for good (no more calls)."""

    def __init__(self) -> None:
        self._started: set[str] = set()
        self._lock = threading.Lock()

    def check(self, backoffice: Backoffice, executor: Executor) -> tuple[bool, list[dict]]:
        with self._lock:
            waiting = [s for s in SYSTEMS if s not in self._started]
        probes = gather(executor, {s: backoffice.control(s).probe for s in waiting})
        with self._lock:
            self._started |= {s for s, p in probes.items() if p["status"] == "up"}
            started = set(self._started)
        systems = [
            {"system": s, "started": s in started} | ({"detail": probes[s]["detail"]} if s not in started else {})
            for s in SYSTEMS
        ]
        return len(started) == len(SYSTEMS), systems
