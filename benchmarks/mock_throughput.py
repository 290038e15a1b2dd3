"""Item 1: one mock's GET and POST (stateful, validated) against a plain-Flask baseline and Prism, side by side.

The product is RR served as `make run` serves it (`claro-backoffice serve`, uvicorn, the whole system in
one process): `GET /mocks/rr/accounts/{n}` and `POST /mocks/rr/accounts/{n}/markings` (a row written per request).
The baseline answers the same bytes from Flask (gunicorn, 2 sync workers; uvicorn+a2wsgi when gunicorn is absent),
and so does the connexion floor (benchmarks/connexion_floor.py: connexion on rr.yaml with nothing of the product) under
uvicorn in one process and in two.
Prism mocks claro_backoffice/openapi/mocks/rr.yaml (stateless: canned examples, request validation on). Each target
is loaded alone, one after the other: `wrk -t1 -c16` for `seconds` after `warmup` seconds.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

from benchmarks import common

# The connexion floor's targets (benchmarks/connexion_floor.py): uvicorn processes each.
FLOORS = {"connexion floor": 1, "connexion floor, 2 processes": 2}

MARKING = {
    "code": "SOP-INT-01",
    "notes": "Cliente reporta módem sin sincronía; se agenda visita.",
    "advisor": "asesor.premium01",
    "resolved_first_contact": False,
}


def home_account(base: str, customer: str = "CUS00000003") -> str:
    """An account number of the first home customer from `customer` on (the world's ids vary with its size)."""
    number = int(customer[3:])
    for n in range(number, number + 50):
        status, body = common.request(f"{base}/mocks/rr/subscribers/CUS{n:08d}/accounts")
        if status == 200 and json.loads(body).get("accounts"):
            return json.loads(body)["accounts"][0]["account_number"]
    raise RuntimeError("no home account found in RR")


def capture_bodies(account: str, base: str, work: Path) -> dict:
    """The product's answers to the GET and the POST, in files the baseline and the connexion floor serve: their
    environment (BENCH_GET_BODY, BENCH_POST_BODY)."""
    status, get_body = common.request(f"{base}/mocks/rr/accounts/{account}")
    post_status, post_body = common.request(f"{base}/mocks/rr/accounts/{account}/markings", "POST", MARKING)
    if status != 200 or post_status != 201:
        raise RuntimeError(f"RR answered {status} / {post_status} to the payload capture")
    (work / "get.json").write_bytes(get_body)
    (work / "post.json").write_bytes(post_body)
    return {"BENCH_GET_BODY": str(work / "get.json"), "BENCH_POST_BODY": str(work / "post.json")}


def start_baseline(account: str, bodies: dict, work: Path, port: int) -> tuple[common.Server, str]:
    """The Flask baseline serving the captured answers."""
    env = dict(bodies)
    if (common.DEPS / "gunicorn").exists():
        env["PYTHONPATH"] = f"{common.DEPS}:{common.ROOT}"
        argv = [
            sys.executable,
            "-m",
            "gunicorn",
            "-w",
            "2",
            "-k",
            "sync",
            "-b",
            f"127.0.0.1:{port}",
            "--log-level",
            "warning",
            "benchmarks.baseline_app:create_app()",
        ]
        kind = "Flask 3.1 under gunicorn, 2 sync workers"
    else:
        argv = [
            sys.executable,
            "-m",
            "uvicorn",
            "--factory",
            "benchmarks.baseline_app:asgi",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--no-access-log",
            "--lifespan",
            "off",
        ]
        kind = "Flask 3.1 under uvicorn 1 worker via a2wsgi (gunicorn not installed in benchmarks/.deps)"
    kind += f": `{' '.join(argv[1:])}`"
    server = common.start("baseline", argv, work, env, f"http://127.0.0.1:{port}")
    common.wait_until(lambda: common.request(f"{server.url}/accounts/{account}")[0] == 200, 60, server.proc)
    return server, kind


def start_floor(account: str, bodies: dict, work: Path, port: int, workers: int) -> tuple[common.Server, str]:
    """The connexion floor (benchmarks/connexion_floor.py) on RR's spec under uvicorn, `workers` processes."""
    argv = [sys.executable, "-m", "uvicorn", "--factory", "benchmarks.connexion_floor:create_app"]
    argv += ["--host", "127.0.0.1", "--port", str(port), "--no-access-log", "--lifespan", "off"]
    argv += ["--workers", str(workers)] if workers > 1 else []
    server = common.start(f"floor-{workers}", argv, work, bodies, f"http://127.0.0.1:{port}")
    common.wait_until(lambda: common.request(f"{server.url}/accounts/{account}")[0] == 200, 60, server.proc)
    return server, f"`{' '.join(argv[1:])}`"


def start_prism(work: Path, port: int) -> tuple[common.Server, float]:
    """Prism mocking rr.yaml; returns it with its cold start (seconds until the GET answers)."""
    argv = [
        str(common.PRISM),
        "mock",
        "-h",
        "127.0.0.1",
        "-p",
        str(port),
        str(common.ROOT / "claro_backoffice" / "openapi" / "mocks" / "rr.yaml"),
    ]
    server = common.start("prism", argv, work, url=f"http://127.0.0.1:{port}")
    try:
        common.wait_until(lambda: common.request(f"{server.url}/accounts/46271064")[0] == 200, 120, server.proc)
    except Exception:
        server.stop()
        raise
    return server, time.perf_counter() - server.started


def measure(targets: dict, account: str, seconds: float, warmup: float, tool: str = "auto") -> dict:
    """targets: name -> base URL of RR's API. GET and POST loads on each, one target at a time."""
    body = json.dumps(MARKING).encode()
    results = {}
    for name, api in targets.items():
        results[name] = {
            "GET": common.load(f"{api}/accounts/{account}", seconds, warmup, tool=tool).as_dict(),
            "POST": common.load(
                f"{api}/accounts/{account}/markings", seconds, warmup, method="POST", body=body, tool=tool
            ).as_dict(),
        }
    return results


def run(
    base: str,
    work: Path,
    seconds: float = 10,
    warmup: float = 3,
    prism: bool = True,
    ports: set | None = None,
    tool: str = "auto",
) -> dict:
    """Against a running `claro-backoffice serve` at `base`; starts (and stops) the baseline and Prism itself."""
    ports = ports if ports is not None else set()
    account = home_account(base)
    bodies = capture_bodies(account, base, work)
    baseline, kind = start_baseline(account, bodies, work, common.free_port(ports))
    servers = {"baseline": baseline}
    out = {
        "account": account,
        "baseline_kind": kind,
        "floor_kinds": {},
        "seconds": seconds,
        "warmup": warmup,
        "tool": "wrk" if tool == "wrk" or (tool == "auto" and common.wrk_available()) else "python",
    }
    try:
        why_not = common.prism_available() if prism else "Prism not asked for"
        if why_not is None:
            try:
                servers["prism"], out["prism_cold_start_s"] = start_prism(work, common.free_port(ports))
            except (RuntimeError, TimeoutError) as exc:
                why_not = f"Prism did not start ({exc}; its log: {work / 'prism.log'}): skipped"
        if why_not is not None:
            out["prism_skipped"] = why_not
            print(why_not, file=sys.stderr)
        for name, workers in FLOORS.items():
            port = common.free_port(ports)
            servers[name], out["floor_kinds"][name] = start_floor(account, bodies, work, port, workers)
        targets = {"product": f"{base}/mocks/rr", "baseline": baseline.url}
        targets.update({name: servers[name].url for name in FLOORS})
        if "prism" in servers:
            targets["prism"] = servers["prism"].url
        out["loads"] = measure(targets, account, seconds, warmup, tool)
        out["rss_mb"] = {name: server.rss_mb() for name, server in servers.items()}
    finally:
        for server in servers.values():
            server.stop()
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", required=True, help="a running `claro-backoffice serve`, e.g. http://127.0.0.1:8600")
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--warmup", type=float, default=3)
    parser.add_argument("--no-prism", action="store_true")
    parser.add_argument("--out", type=Path, default=common.BENCH / "results")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as work:
        data = run(args.url.rstrip("/"), Path(work), args.seconds, args.warmup, not args.no_prism)
    print(common.write_json(args.out, "mock", data))


if __name__ == "__main__":
    main()
