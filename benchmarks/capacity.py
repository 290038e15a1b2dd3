"""Issue 18: how many simulated trainees one `claro-backoffice serve` carries at p99 <= 250 ms with 0 errors.

Each trainee has its own sandbox (`POST /api/v1/admin/sandboxes`, its clock frozen at the case flows' start), an
asesor token pinned to it (`POST /admin/tokens`) and a console session signed in with that token (the sign-in
form, its CSRF token and cookie, as a browser posts it). What it does, the issue's mix:
- the console's polling, as its pages make it (static/console.js): every 2 s the queue's rows
  (`GET /console/queue/rows`) and, once it has taken a conversation, that conversation's messages
  (`GET /console/chats/{id}/messages`);
- one whole case flow a minute through the gateway's API with its token, the customer through Meta's simulator:
  "Hola", "Acepto", "Si"; the queue read; assign; identity; the customer 360; a case opened; one home diagnosis;
  typification; close in follow-up; "No" and the survey's "9".
Steps ramp the number of trainees (those of a step stay in the next); each lasts --step-seconds, every trainee's
first flow of the step starting at a random moment of its first half (later ones a minute apart), and the step
ends when its running flows have. Per step: requests, errors, p50/p95/p99 of all and per kind, the server's RSS.
The ramp stops after the first step that misses p99 <= 250 ms or has an error, but not before MEMORY_AT trainees:
the memory target is read at that step, and the steps past the knee show how the server degrades.

Memory: the server's RSS idle (health green, nothing created), during the steps, and after every sandbox made here
was deleted (only when this script started the server, or was given its --pid).

The load generator runs in --workers processes of their own (asyncio + httpx), never in the server's; the CPU
seconds they used are reported next to the wall time, so a reader can tell whether it was the bottleneck.

`--replicas N`: the same mix through Debian's nginx in front of N servers on this machine (README "Scaling out",
started as tests/scaleout starts them; each trainee's sign-in follows the router's handoff to its sandbox's
replica); the servers' CPU and memory are not read then. Not part of `make bench`.
"""

from __future__ import annotations

import argparse
import asyncio
import concurrent.futures
import contextlib
import dataclasses
import html
import multiprocessing
import os
import random
import re
import resource
import secrets
import tempfile
import threading
import time
from collections.abc import Iterator
from pathlib import Path

from benchmarks import common

ADMIN = {"Authorization": "Bearer dev-admin"}
START = "2026-11-04T08:00:00-05:00"  # the sandboxes' frozen clock: the callback below is the next day
CALLBACK = "2026-11-05T10:00:00-05:00"
POLL_S = 2.0
FLOW_EVERY_S = 60.0
P99_MS = 250.0
STEPS = (20, 40, 60, 80, 100, 150, 200, 300, 400)
MEMORY_AT = 100  # issue 18: the server's RSS during this many trainees
CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')
HANDOFF = re.compile(r'<form method="post" action="([^"]+)" data-handoff[^>]*>(.*?)</form>', re.S)  # handoff.html
HIDDEN = re.compile(r'<input type="hidden" name="([^"]+)" value="([^"]*)">')


@dataclasses.dataclass
class Trainee:
    n: int
    sandbox: str
    advisor: str
    token: str
    cookie: str  # the console session's id, signed in
    conversation: str | None = None  # the last conversation taken: the chat page it polls
    flows: int = 0


# ---- setup and teardown (this process, sequential; not measured) -------------------------------------------------
def _json(status_body: tuple[int, bytes], want: int, what: str):
    import json

    status, body = status_body
    if status != want:
        raise RuntimeError(f"{what} answered {status}: {body[:300]!r}")
    return json.loads(body) if body else None


def customers(world_size: int) -> list[dict]:
    """The premium home customers a flow may play (benchmarks/caseflow.py's choice) whose home account has internet,
    from the world the server built (same WorldConfig: its size; the seed is the default one)."""
    from benchmarks.caseflow import customers as pick
    from claro_backoffice.world.build import build_world
    from claro_backoffice.world.config import WorldConfig

    world = build_world(WorldConfig(size=world_size))
    internet = {s["account_number"] for s in world.tables["home_services"] if s["service_type"] == "internet"}
    return [c for c in pick(world) if c["account"] in internet]  # the diagnosis checks the internet service


def _cookies(response) -> list[str]:
    """Each `name=value` the response sets (its attributes dropped)."""
    return [v.split(";", 1)[0] for k, v in response.getheaders() if k.lower() == "set-cookie"]


def enrol(base: str, n: int, stamp: str) -> Trainee:
    """A sandbox, its frozen clock, an asesor token pinned to it, and the console signed in with that token."""
    import http.client
    from urllib.parse import urlencode, urlsplit

    sandbox = f"cap-{stamp}-{n}"[:40]
    api = f"{base}/api/v1"
    there = ADMIN | {"X-Sandbox": sandbox}
    _json(common.request(f"{api}/admin/sandboxes", "POST", {"name": sandbox}, there), 201, f"sandbox {sandbox}")
    _json(common.request(f"{api}/admin/clock", "POST", {"set": START, "frozen": True}, there), 200, "the clock")
    agents = _json(common.request(f"{api}/workforce/agents?role=asesor&status=active", headers=there), 200, "agents")
    advisor = agents[0]["username"]
    body = {"role": "asesor", "user": advisor, "sandbox": sandbox, "expiresInMinutes": 480}
    token = _json(common.request(f"{api}/admin/tokens", "POST", body, there), 201, "the token")["token"]
    parts = urlsplit(base)
    conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=60)
    try:
        conn.request("GET", "/console/signin")
        form = conn.getresponse()
        page = form.read().decode()
        cookie = form.getheader("Set-Cookie", "").split(";", 1)[0]
        csrf = CSRF.search(page).group(1)
        fields = urlencode({"csrf_token": csrf, "token": token, "advisor": "", "sandbox": "", "clase": ""})
        headers = {"Content-Type": "application/x-www-form-urlencoded", "Cookie": cookie}
        conn.request("POST", "/console/signin", body=fields, headers=headers)
        signed = conn.getresponse()
        page = signed.read().decode()
        cookies = _cookies(signed)
        handoff = HANDOFF.search(page) if signed.status == 200 else None
        if handoff:  # behind the router, the sandbox lives on another replica: the same sign-in posted there
            fields = urlencode({html.unescape(k): html.unescape(v) for k, v in HIDDEN.findall(handoff.group(2))})
            headers = {"Content-Type": "application/x-www-form-urlencoded", "Cookie": "; ".join(cookies)}
            conn.request("POST", html.unescape(handoff.group(1)), body=fields, headers=headers)
            signed = conn.getresponse()
            signed.read()
            cookies = [*cookies, *_cookies(signed)]
        if signed.status != 303 or "/console/queue" not in (signed.getheader("Location") or ""):
            raise RuntimeError(f"signing in to {sandbox}'s console answered {signed.status}")
        # The session's cookie, and behind the router the one that routes its console to the sandbox's replica.
        named = dict(c.partition("=")[::2] for c in cookies)  # a later Set-Cookie of a name replaces the earlier
        session = "; ".join(f"{name}={value}" for name, value in named.items())
    finally:
        conn.close()
    return Trainee(n, sandbox, advisor, token, session)


def delete(base: str, trainee: Trainee) -> None:
    url = f"{base}/api/v1/admin/sandboxes/{trainee.sandbox}"
    _json(common.request(url, "DELETE", headers=ADMIN | {"X-Sandbox": trainee.sandbox}), 200, "deleting")


# ---- the load (worker processes) --------------------------------------------------------------------------------
class Recorder:
    def __init__(self):
        self.samples: list[tuple[str, float, bool]] = []
        self.failures: list[str] = []

    async def call(self, client, kind: str, method: str, url: str, want: int, **kw):
        t0 = time.perf_counter()
        try:
            answer = await client.request(method, url, **kw)
            ok = answer.status_code == want
        except Exception as exc:  # a timeout or a dropped connection is an error of the step, not of the script
            self.samples.append((kind, (time.perf_counter() - t0) * 1000, False))
            self.failures.append(f"{kind}: {type(exc).__name__} {exc}"[:300])
            return None
        self.samples.append((kind, (time.perf_counter() - t0) * 1000, ok))
        if not ok:
            self.failures.append(f"{kind}: {answer.status_code} {answer.text[:200]}")
            return None
        return answer


async def _flow(client, rec: Recorder, base: str, t: Trainee, c: dict, stamp: str) -> bool:
    api, meta = f"{base}/api/v1", f"{base}/mocks/meta/simulator"
    gw = {"Authorization": f"Bearer {t.token}", "X-Sandbox": t.sandbox}
    sim = {"X-Sandbox": t.sandbox}

    async def say(text):
        answer = await rec.call(
            client, "meta-say", "POST", f"{meta}/customers/{c['wa_id']}/messages", 201, json={"text": text}, headers=sim
        )
        if answer is not None and answer.json()["delivery"]["status_code"] != 200:
            delivery = answer.json()["delivery"]
            rec.failures.append(
                f"meta-say {text!r}: the webhook {delivery.get('outcome')}: {delivery.get('error')}"[:300]
            )
            rec.samples[-1] = (rec.samples[-1][0], rec.samples[-1][1], False)
            return None
        return answer

    async def gw_call(kind, method, path, want=200, **kw):
        return await rec.call(client, kind, method, api + path, want, headers=gw | kw.pop("headers", {}), **kw)

    for text in ("Hola", "Acepto", "Si"):
        if await say(text) is None:
            return False
    queued = await gw_call("gw-queue", "GET", "/conversations", params={"status": "queued"})
    if queued is None:
        return False
    mine = [q["id"] for q in queued.json()["conversations"] if q["waId"] == c["wa_id"]]
    if len(mine) != 1:
        rec.failures.append(f"flow: {c['wa_id']} queued {len(mine)} times in {t.sandbox}")
        return False
    cid = mine[0]
    steps = [
        ("gw-assign", "POST", f"/conversations/{cid}/assign", 200, {"json": {"advisor": t.advisor}}),
        ("gw-identity", "POST", f"/conversations/{cid}/identity", 200, {"json": {"documentNumber": c["document"]}}),
        ("gw-360", "GET", f"/customers/{c['id']}", 200, {}),
    ]
    for kind, method, path, want, kw in steps:
        if await gw_call(kind, method, path, want, **kw) is None:
            return False
        if kind == "gw-assign":
            t.conversation = cid  # the chat page the console now shows, and polls
    opened = await gw_call("gw-case", "POST", "/cases", 201, json=common.support_case(cid, c))
    if opened is None:
        return False
    case_id = opened.json()["id"]
    typified = {
        "code": "SOP-INT-02",
        "notes": "Se reinicia el módem en remoto; seguimiento mañana.",
        "resolvedFirstContact": False,
    }
    closing = {"outcome": "followUp", "followUpType": "SOPORTE", "callbackAt": CALLBACK, "nothingPending": True}
    rest = [
        (
            "gw-diagnosis",
            "POST",
            "/homeDiagnostics",
            {"json": {"accountId": c["account"]}, "headers": {"X-Case-Id": case_id}},
        ),
        (
            "gw-typification",
            "POST",
            f"/cases/{case_id}/typification",
            {"json": typified, "headers": {"Idempotency-Key": f"cap-{stamp}-{t.n}-{t.flows}"}},
        ),
        ("gw-close", "POST", f"/cases/{case_id}/close", {"json": closing}),
    ]
    for kind, method, path, kw in rest:
        if await gw_call(kind, method, path, **kw) is None:
            return False
    for text in ("No", "9"):
        if await say(text) is None:
            return False
    return True


async def _trainee(client, rec, base, t: Trainee, who: list[dict], stamp: str, until: float, first: float, done):
    """Polls every 2 s until `until`; its flows start at `first` and then every minute (none starts after until)."""
    cookie = {"Cookie": t.cookie, "Accept": "text/html"}

    async def flows():
        delay = first
        while True:
            # Never past the step's end: the next flow a minute on would hold the step (and its wall time, the
            # divisor of its request rate) up to a minute after the polls stopped.
            await asyncio.sleep(max(0.0, min(delay, until - time.monotonic())))
            if time.monotonic() >= until:
                return
            began = time.monotonic()
            c = who[(t.n * 7 + t.flows) % len(who)]  # each trainee walks the customers from its own place
            t.flows += 1
            done.append(await _flow(client, rec, base, t, c, stamp))
            delay = FLOW_EVERY_S - (time.monotonic() - began)

    runner = asyncio.ensure_future(flows())
    await asyncio.sleep(random.uniform(0, POLL_S))  # trainees don't all poll in the same instant
    while time.monotonic() < until:
        tick = time.monotonic()
        polls = [rec.call(client, "poll-queue", "GET", f"{base}/console/queue/rows", 200, headers=cookie)]
        if t.conversation:
            url = f"{base}/console/chats/{t.conversation}/messages"
            polls.append(rec.call(client, "poll-chat", "GET", url, 200, headers=cookie))
        await asyncio.gather(*polls)  # a redirect to the sign-in page (a lost session) is not a 200: an error
        await asyncio.sleep(max(0.0, POLL_S - (time.monotonic() - tick)))
    await runner


async def _drive(base: str, trainees: list[Trainee], who: list[dict], stamp: str, seconds: float, seed: int):
    import httpx

    rng = random.Random(seed)
    rec, done = Recorder(), []
    until = time.monotonic() + seconds
    # Idle connections dropped after 3 s, before uvicorn's keep-alive (5 s) closes them under a request in flight
    # (a ReadError a browser would retry unseen): a trainee's flow connections idle a minute between flows.
    connections = 4 * len(trainees) + 10
    limits = httpx.Limits(max_connections=connections, max_keepalive_connections=connections, keepalive_expiry=3.0)
    async with httpx.AsyncClient(timeout=30.0, limits=limits, follow_redirects=False) as client:
        await asyncio.gather(
            *(
                _trainee(client, rec, base, t, who, stamp, until, rng.uniform(0, min(FLOW_EVERY_S, seconds / 2)), done)
                for t in trainees
            )
        )
    return rec, done


def work(base: str, trainees: list[Trainee], who: list[dict], stamp: str, seconds: float, seed: int) -> dict:
    """One worker process's share of a step: its samples, its trainees' new state, and its CPU seconds."""
    cpu0 = resource.getrusage(resource.RUSAGE_SELF)
    rec, done = asyncio.run(_drive(base, trainees, who, stamp, seconds, seed))
    cpu1 = resource.getrusage(resource.RUSAGE_SELF)
    cpu = (cpu1.ru_utime - cpu0.ru_utime) + (cpu1.ru_stime - cpu0.ru_stime)
    return {
        "samples": rec.samples,
        "failures": rec.failures[:20],
        "failure_count": len(rec.failures),
        "trainees": trainees,
        "flows_ok": sum(done),
        "flows": len(done),
        "cpu_s": cpu,
    }


# ---- the steps ---------------------------------------------------------------------------------------------------
def _stats(samples: list[tuple[str, float, bool]]) -> dict:
    times = [ms for _k, ms, _ok in samples]
    return {
        "requests": len(samples),
        "errors": sum(not ok for _k, _ms, ok in samples),
        "p50_ms": round(common.percentile(times, 50), 1),
        "p95_ms": round(common.percentile(times, 95), 1),
        "p99_ms": round(common.percentile(times, 99), 1),
    }


def cpu_of(pid: int | None) -> float | None:
    """The server's CPU seconds so far (user + system, its own threads): per request, a cost the machine's other
    load doesn't inflate the way it inflates latencies."""
    if not pid:
        return None
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def rss_of(pid: int | None) -> float | None:
    return round(common.tree_rss_kb(pid) / 1024, 1) if pid else None


class PeakRss:
    """The server's RSS sampled every half second while a step runs (its peak is the step's figure)."""

    def __init__(self, pid: int | None):
        self.pid, self.peak, self._stop = pid, None, threading.Event()
        self._thread = threading.Thread(target=self._watch, daemon=True)

    def _watch(self):
        while not self._stop.wait(0.5):
            now = rss_of(self.pid)
            if now is not None:
                self.peak = max(self.peak or 0.0, now)

    def __enter__(self):
        if self.pid:
            self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        if self.pid:
            self._thread.join()


def step(base: str, pool, workers: int, trainees: list[Trainee], who, stamp: str, seconds: float, pid) -> dict:
    shares = [trainees[i::workers] for i in range(workers) if trainees[i::workers]]
    began, cpu_began = time.perf_counter(), cpu_of(pid)
    with PeakRss(pid) as peak:
        futures = [
            pool.submit(work, base, share, who, stamp, seconds, hash((stamp, len(trainees), i)))
            for i, share in enumerate(shares)
        ]
        parts = [f.result() for f in futures]
    wall = time.perf_counter() - began
    server_cpu = None if cpu_began is None else cpu_of(pid) - cpu_began
    by_n = {t.n: t for part in parts for t in part["trainees"]}
    trainees[:] = [by_n[t.n] for t in trainees]  # the conversations they took and their flow counts
    samples = [s for part in parts for s in part["samples"]]
    kinds = sorted({k for k, _ms, _ok in samples})
    out = {
        "trainees": len(trainees),
        "seconds": round(wall, 1),
        **_stats(samples),
        "rps": round(len(samples) / wall, 1),
        "by_kind": {k: _stats([s for s in samples if s[0] == k]) for k in kinds},
        "flows": sum(p["flows"] for p in parts),
        "flows_ok": sum(p["flows_ok"] for p in parts),
        "trainees_without_a_flow": sum(1 for t in trainees if t.flows == 0),
        "rss_mb_end": rss_of(pid),
        "rss_mb_peak": peak.peak,
        "server_cpu_s": None if server_cpu is None else round(server_cpu, 1),
        "server_cpu_ms_per_request": None if server_cpu is None else round(1000 * server_cpu / max(1, len(samples)), 2),
        "loadgen_cpu_s": round(sum(p["cpu_s"] for p in parts), 1),
        "loadgen_cpu_share": round(sum(p["cpu_s"] for p in parts) / wall, 2),  # cores' worth, of the machine's
        "failures": [f for p in parts for f in p["failures"]][:10],
        "failure_count": sum(p["failure_count"] for p in parts),
    }
    out["holds"] = out["errors"] == 0 and out["p99_ms"] <= P99_MS and out["flows_ok"] == out["flows"]
    return out


def measure(base: str, pid: int | None, steps, step_seconds: float, workers: int, world_size: int) -> dict:
    stamp = f"{int(time.time()) % 10**6}"
    who = customers(world_size)
    result: dict = {
        "steps": [],
        "rss_mb_idle": rss_of(pid),
        "step_seconds": step_seconds,
        "workers": workers,
        "world_size": world_size,
        "mix": "console polls (queue rows + chat messages) every 2 s, "
        "one case flow a minute (11 gateway calls, 5 customer messages)",
    }
    trainees: list[Trainee] = []
    ctx = multiprocessing.get_context("spawn")
    try:
        with concurrent.futures.ProcessPoolExecutor(workers, mp_context=ctx) as pool:
            for n in steps:
                t0 = time.perf_counter()
                while len(trainees) < n:
                    trainees.append(enrol(base, len(trainees), stamp))
                setup = time.perf_counter() - t0
                figures = step(base, pool, workers, trainees, who, stamp, step_seconds, pid)
                figures["setup_s"] = round(setup, 1)
                result["steps"].append(figures)
                print(
                    f"capacity {n:4d} trainees: {figures['requests']} requests, {figures['errors']} errors, "
                    f"p50 {figures['p50_ms']} p95 {figures['p95_ms']} p99 {figures['p99_ms']} ms, "
                    f"flows {figures['flows_ok']}/{figures['flows']}, RSS {figures['rss_mb_peak']} MB, "
                    f"server CPU {figures['server_cpu_ms_per_request']} ms a request, "
                    f"load generator {figures['loadgen_cpu_share']} cores",
                    flush=True,
                )
                if not figures["holds"] and n >= MEMORY_AT:
                    break
    finally:
        result["rss_mb_loaded"] = rss_of(pid)
        for t in trainees:
            delete(base, t)
        time.sleep(2.0)  # the server's threads finish what the deletions left (not a wait for a condition: a figure)
        result["rss_mb_after_delete"] = rss_of(pid)
    held = [s["trainees"] for s in result["steps"] if s["holds"]]
    result["max_trainees"] = max(held) if held else 0
    at100 = [s for s in result["steps"] if s["trainees"] == MEMORY_AT]
    result["rss_mb_at_100"] = at100[0]["rss_mb_peak"] if at100 else None
    return result


@contextlib.contextmanager
def behind_nginx(folder: Path, replicas: int, world_size: int | None) -> Iterator[str]:
    """`replicas` servers (README "Scaling out": REPLICA_ID, PEERS, one TOKEN_SECRET) behind Debian's nginx with
    deploy/nginx's routing, as the scale-out tests start them; yields nginx's base URL."""
    from tests.scaleout.router import reserved_port, running_router
    from tests.support.server import running_server

    ids = [f"r{i}" for i in range(1, replicas + 1)]
    secret = secrets.token_hex(24)
    with contextlib.ExitStack() as stack:
        with contextlib.ExitStack() as reserved:  # each port held until its replica listens on it
            ports = {rid: reserved.enter_context(reserved_port()) for rid in ids}
            urls = {rid: f"http://127.0.0.1:{port}" for rid, port in ports.items()}
            for rid in ids:
                env = {
                    "PORT": str(ports[rid]),
                    "REPLICA_ID": rid,
                    "PEERS": ",".join(url for other, url in urls.items() if other != rid),
                    "TOKEN_SECRET": secret,
                } | ({"WORLD_SIZE": str(world_size)} if world_size else {})
                stack.enter_context(running_server(folder / rid, env=env))
        yield stack.enter_context(running_router(folder / "nginx", list(urls.values()))).base


def run(
    steps=STEPS,
    step_seconds: float = 70.0,
    workers: int = 2,
    url: str | None = None,
    pid: int | None = None,
    world_size: int | None = None,
    log_dir: Path | None = None,
    replicas: int = 1,
) -> dict:
    """Against `url` (RSS only with `pid`), or a server of its own on a fresh VAR_DIR, stopped afterwards; with
    `replicas` above 1, that many behind nginx instead (the server's CPU and memory then go unmeasured)."""
    if url:
        return measure(url.rstrip("/"), pid, steps, step_seconds, workers, world_size or 200)
    if replicas > 1:
        with (
            tempfile.TemporaryDirectory(prefix="bench-capacity-") as work_dir,
            behind_nginx(Path(work_dir), replicas, world_size) as base,
        ):
            return measure(base, None, steps, step_seconds, workers, world_size or 200) | {"replicas": replicas}
    with tempfile.TemporaryDirectory(prefix="bench-capacity-") as work_dir:
        logs = log_dir or Path(work_dir)
        server, _s = common.start_serve(Path(work_dir) / "var", logs, common.free_port(), world_size)
        try:
            return measure(server.url, server.proc.pid, steps, step_seconds, workers, world_size or 200)
        finally:
            server.stop()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", help="a running `claro-backoffice serve`; default: start one on a fresh VAR_DIR")
    parser.add_argument("--pid", type=int, help="with --url: the server's pid, for its RSS")
    parser.add_argument("--steps", type=int, nargs="+", default=list(STEPS), help="trainees at each step")
    parser.add_argument("--step-seconds", type=float, default=70.0, help="each step's length (a flow a minute)")
    parser.add_argument("--workers", type=int, default=2, help="load generator processes")
    parser.add_argument("--world-size", type=int, default=None, help="the server's WORLD_SIZE (200)")
    parser.add_argument(
        "--replicas", type=int, default=1, help="that many servers behind nginx (README Scaling out), not one"
    )
    parser.add_argument("--out", type=Path, default=common.BENCH / "results")
    args = parser.parse_args()
    if args.url and args.replicas > 1:
        parser.error("--replicas starts its own servers: not with --url")
    figures = run(
        args.steps, args.step_seconds, args.workers, args.url, args.pid, args.world_size, replicas=args.replicas
    )
    print(common.write_json(args.out, "capacity", figures))
    print(
        f"largest step holding p99 <= {P99_MS:.0f} ms with 0 errors: {figures['max_trainees']} trainees; RSS idle "
        f"{figures['rss_mb_idle']} MB, at 100 {figures['rss_mb_at_100']} MB, after deleting "
        f"{figures['rss_mb_after_delete']} MB"
    )


if __name__ == "__main__":
    main()
