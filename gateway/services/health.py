"""GET /health: every system probed at once (no retry, no breaker), with its latency.
pass: every system up; warn: some down; fail: all down."""
from __future__ import annotations

from gateway.services.fanout import gather
from gateway.settings import SYSTEMS


def health(backoffice, executor) -> dict:
    probes = gather(executor, {s: backoffice[s].probe for s in SYSTEMS})
    systems = [probes[s] for s in SYSTEMS]
    up = sum(1 for p in systems if p["status"] == "up")
    status = "pass" if up == len(systems) else "fail" if up == 0 else "warn"
    return {"status": status, "systems": systems}
