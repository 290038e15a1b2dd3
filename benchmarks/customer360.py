"""Item 2: the customer 360 through the gateway against one direct mock call, undelayed and with 50 ms on RR and AC.

Latency of sequential calls on one keep-alive connection each (median, p95, p99): the direct call is RR's
`GET /subscribers/{id}/accounts` (one of the four calls the 360 fans out to RR and AC); the 360 is
`GET /api/v1/customers/{id}` with a dev-admin token. The delay is two `delay` fault rules added through the
gateway (`POST /api/v1/admin/faults`, one for RR and one for AC, every GET), removed afterwards.
"""

from __future__ import annotations

import argparse
import http.client
import json
from pathlib import Path
from urllib.parse import urlsplit

from benchmarks import common

ADMIN = {"Authorization": "Bearer dev-admin"}


class KeepAlive:
    """GETs on one persistent connection; raises on anything but a 200."""

    def __init__(self, base: str, headers: dict | None = None):
        parts = urlsplit(base)
        self.conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
        self.headers = headers or {}

    def get(self, path: str) -> bytes:
        self.conn.request("GET", path, headers=self.headers)
        answer = self.conn.getresponse()
        body = answer.read()
        if answer.status != 200:
            raise RuntimeError(f"GET {path} answered {answer.status}: {body[:300]!r}")
        return body

    def close(self) -> None:
        self.conn.close()


def add_delays(base: str, delay_ms: int, systems=("rr", "ac")) -> None:
    for system in systems:
        status, body = common.request(
            f"{base}/api/v1/admin/faults",
            "POST",
            {"system": system, "method": "GET", "path": "*", "kind": "delay", "delayMs": delay_ms},
            ADMIN,
        )
        if status != 201:
            raise RuntimeError(f"adding a delay on {system} answered {status}: {body[:300]!r}")


def clear_faults(base: str) -> None:
    status, body = common.request(f"{base}/api/v1/admin/faults", "DELETE", headers=ADMIN)
    if status >= 300:
        raise RuntimeError(f"clearing faults answered {status}: {body[:300]!r}")


def timed(base: str, path: str, seconds: float, headers: dict | None = None) -> dict:
    """Sequential GETs for `seconds` on a connection of their own (uvicorn closes one idle for 5 s), after one
    untimed call that opens it."""
    client = KeepAlive(base, headers)
    try:
        client.get(path)
        return common.summary(common.timed_calls(lambda: client.get(path), seconds=seconds))
    finally:
        client.close()


def run(base: str, seconds: float = 5, warmup: float = 1, customer: str = "CUS00000003", delay_ms: int = 50) -> dict:
    direct_path = f"/mocks/rr/subscribers/{customer}/accounts"
    view_path = f"/api/v1/customers/{customer}"
    status, body = common.request(f"{base}{view_path}", headers=ADMIN)
    if status != 200 or json.loads(body).get("degraded"):
        raise RuntimeError(f"the 360 of {customer} answered {status} before any fault: {body[:300]!r}")
    timed(base, direct_path, warmup)
    timed(base, view_path, warmup, ADMIN)
    out = {
        "customer": customer,
        "seconds_each": seconds,
        "delay_ms": delay_ms,
        "direct": timed(base, direct_path, seconds),
        "view": timed(base, view_path, seconds, ADMIN),
    }
    add_delays(base, delay_ms)
    try:
        out["direct_delayed"] = timed(base, direct_path, seconds)
        out["view_delayed"] = timed(base, view_path, seconds, ADMIN)
    finally:
        clear_faults(base)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", required=True, help="a running `claro-backoffice serve`, e.g. http://127.0.0.1:8600")
    parser.add_argument("--seconds", type=float, default=5)
    parser.add_argument("--warmup", type=float, default=1)
    parser.add_argument("--out", type=Path, default=common.BENCH / "results")
    args = parser.parse_args()
    print(common.write_json(args.out, "customer360", run(args.url.rstrip("/"), args.seconds, args.warmup)))


if __name__ == "__main__":
    main()
