"""Item 3: a whole support case in-process, from the customer's first WhatsApp message to the survey answer.

The mocks are seeded into a temporary VAR_DIR and served through `responses` (tests/support/backoffice.py
`InProcessBackoffice`, which hands each request to the mock's app in the calling thread), the gateway is its
Flask/connexion app driven by an in-process httpx client (`tests/support/inprocess_client.py`), and Meta's simulator
delivers the customer's messages to it as signed webhooks: no socket anywhere. One flow is what
tests/flow/test_support_case.py plays without its negative checks: "Hola", "Acepto", "Si"; assign; validate the
document; open a SOPORTE/internet case on the home account; typify SOP-INT-02; close in follow-up (callback the
next day), which asks "¿Hay algo más?"; the customer says "No", gets the survey and answers "9". Timed from the first
message until Meta's simulator has delivered the "9" (the survey is read back afterwards, untimed).

Each flow is a different premium home customer (segment `hogar`, an active home account) in the `default`
sandbox, with nothing reset between flows (state piles up as in a working day); a world has enough of them (25 at
60 customers, 76 at 200). One warm-up flow first, not counted.

Validation as `make run` has it: the mocks validate requests, not responses (`MOCK_VALIDATE_RESPONSES` off), and
the gateway validates requests, not responses (`GATEWAY_VALIDATE_RESPONSES` off). The back office's consumer-side
spec checks (`InProcessBackoffice(validate=True)`) are test instrumentation and are off here.
"""

from __future__ import annotations

import argparse
import collections
import importlib
import json
import os
import shutil
import signal
import statistics
import subprocess
import tempfile
import time
from pathlib import Path

from benchmarks import common, profile

PY_SPY = profile.PY_SPY

START = "2026-11-04T08:00:00-05:00"
CALLBACK = "2026-11-05T10:00:00-05:00"
ADMIN = {"Authorization": "Bearer dev-admin"}


def customers(world) -> list[dict]:
    """Premium home-only customers with a CC and an active home account: who writes, with what, about what."""
    accounts = {}
    for account in world.tables["home_accounts"]:
        if account["status"] == "activo":
            accounts.setdefault(account["customer_id"], account["account_number"])
    return [
        {
            "id": p["customer_id"],
            "wa_id": "57" + p["contact_mobile"],
            "document": p["document_number"],
            "account": accounts[p["customer_id"]],
        }
        for p in world.tables["parties"]
        if p["premium"] and p["segments"] == "hogar" and p["document_type"] == "CC" and p["customer_id"] in accounts
    ]


class Flow:
    """The gateway's in-process client and Meta's simulator; every step must answer what a working case answers."""

    def __init__(self, client, office):
        self.client, self.meta = client, office.client("meta")
        self._advisor: str | None = None

    def advisor(self) -> str:
        """An active asesor of Almabi (only one may take a conversation), looked up once."""
        if self._advisor is None:
            active = self.gw("GET", "/workforce/agents", params={"role": "asesor", "status": "active"})
            self._advisor = active[0]["username"]
        return self._advisor

    def gw(self, method: str, path: str, status: int = 200, **kw) -> dict:
        answer = self.client.request(method, path, headers=ADMIN | kw.pop("headers", {}), **kw)
        if answer.status_code != status:
            raise RuntimeError(f"{method} {path} answered {answer.status_code}: {answer.text[:500]}")
        return answer.json()

    def say(self, wa_id: str, text: str) -> None:
        answer = self.meta.post(f"/simulator/customers/{wa_id}/messages", json={"text": text})
        if answer.status_code != 201 or answer.json()["delivery"]["status_code"] != 200:
            raise RuntimeError(f"the customer's {text!r} was not taken: {answer.text[:500]}")

    def case(self, c: dict, n: int) -> str:
        """One whole case, first message to survey answer; returns the case id."""
        for text in ("Hola", "Acepto", "Si"):
            self.say(c["wa_id"], text)
        queued = self.gw("GET", "/conversations", params={"status": "queued"})["conversations"]
        [cid] = [q["id"] for q in queued if q["waId"] == c["wa_id"]]
        self.gw("POST", f"/conversations/{cid}/assign", json={"advisor": self.advisor()})
        self.gw("POST", f"/conversations/{cid}/identity", json={"documentNumber": c["document"]})
        case = self.gw("POST", "/cases", 201, json=common.support_case(cid, c))["id"]
        self.gw(
            "POST",
            f"/cases/{case}/typification",
            headers={"Idempotency-Key": f"bench-flow-{n:04d}"},
            json={
                "code": "SOP-INT-02",
                "notes": "Se reinicia el módem en remoto; seguimiento mañana.",
                "resolvedFirstContact": False,
            },
        )
        closed = self.gw(
            "POST",
            f"/cases/{case}/close",
            json={"outcome": "followUp", "followUpType": "SOPORTE", "callbackAt": CALLBACK, "nothingPending": True},
        )
        if closed["status"] != "followUp":
            raise RuntimeError(f"closing {case} left it {closed['status']}")
        self.say(c["wa_id"], "No")  # "¿Hay algo más?": no; the closing script and the survey go out (read back later)
        self.say(c["wa_id"], "9")
        return case


def _start_py_spy(raw: Path) -> subprocess.Popen:
    """py-spy (benchmarks/.deps) on this very process, every thread but only while it holds the GIL: the gateway's
    fan-out runs downstream calls in its worker threads, which cProfile (one thread) would not see."""
    if not PY_SPY.exists():
        raise RuntimeError(f"--profile needs py-spy in {common.DEPS} (`make bench` installs it)")
    spy = subprocess.Popen(
        [
            str(PY_SPY),
            "record",
            "--pid",
            str(os.getpid()),
            "--rate",
            "500",
            "--gil",
            "--format",
            "raw",
            "--nonblocking",
            "--output",
            str(raw),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        start_new_session=True,
    )
    time.sleep(1.0)  # py-spy attaches
    return spy


def _stop_py_spy(spy: subprocess.Popen, raw: Path) -> dict:
    spy.send_signal(signal.SIGINT)  # py-spy writes its stacks on Ctrl-C
    _out, err = spy.communicate(timeout=60)
    if not raw.exists():
        raise RuntimeError(f"py-spy wrote nothing: {err.decode()[-300:]}")
    return dict(profile.summarise(raw.read_text(), top=25), raw=str(raw))


def run(flows: int = 20, size: int = 200, profile_to: Path | None = None, var_dir: Path | None = None) -> dict:
    """profile_to: py-spy's raw stacks of the timed flows go there (slower flows; the figures then mean little)."""
    # Imported here: the gateway and the mocks are not needed by the other benchmarks' processes.
    from claro_backoffice.core.systems import SYSTEMS
    from claro_backoffice.gateway.app import create_app
    from claro_backoffice.gateway.settings import GatewaySettings
    from claro_backoffice.mocks.kit.settings import MockSettings
    from claro_backoffice.mocks.kit.worlds import WorldCache
    from claro_backoffice.serve import FANOUT_IN_TURN
    from claro_backoffice.world.config import WorldConfig
    from tests.support.backoffice import InProcessBackoffice
    from tests.support.inprocess_client import in_process_client
    from tests.support.mocks import TEST_GATEWAY_URL

    own_dir = var_dir is None
    var_dir = Path(tempfile.mkdtemp(prefix="bench-caseflow-")) if own_dir else var_dir
    try:
        began = time.perf_counter()
        config = WorldConfig(size=size)  # the mocks as `make run` builds them; Meta's webhooks go to the test URL
        settings, worlds = MockSettings(var_dir=var_dir, world=config, gateway_url=TEST_GATEWAY_URL), WorldCache()
        apps = {
            name: importlib.import_module(f"claro_backoffice.mocks.{name}.app").create_app(
                settings=settings, worlds=worlds
            )
            for name in SYSTEMS
        }  # serve.create_mock_apps, with the world cache kept to pick the customers
        who = customers(worlds.get(config))
        if len(who) < flows + 1:
            raise RuntimeError(f"a world of {size} has {len(who)} premium home customers, {flows + 1} needed")
        # Every system in this process, as `make run` serves them: a fan-out's calls in turn (serve.FANOUT_IN_TURN).
        gateway = create_app(GatewaySettings(var_dir=var_dir / "gateway", fanout_in_turn=FANOUT_IN_TURN))
        setup_s = time.perf_counter() - began
        times, cpu, calls = [], [], []
        spy = None
        with InProcessBackoffice(apps, validate=False) as office, in_process_client(gateway) as client:
            office.attach_gateway(client)
            flow = Flow(client, office)
            flow.gw("POST", "/admin/clock", json={"set": START, "frozen": True})
            for n, c in enumerate(who[: flows + 1]):
                office.calls = []
                if profile_to and n == 1:
                    spy = _start_py_spy(profile_to)
                start, start_cpu = time.perf_counter(), time.process_time()
                case = flow.case(c, n)
                elapsed, elapsed_cpu = time.perf_counter() - start, time.process_time() - start_cpu
                survey = flow.gw("GET", f"/cases/{case}")["survey"]
                if survey["score"] != 9:
                    raise RuntimeError(f"{case}'s survey is {survey}")
                if n:  # the first is the warm-up
                    times.append(elapsed * 1000)
                    cpu.append(elapsed_cpu * 1000)
                    calls.append(collections.Counter(call.system for call in office.calls))
            office.detach_gateway()
        if spy:
            prof = _stop_py_spy(spy, profile_to)
        per_system = collections.Counter()
        for c in calls:
            per_system.update(c)
        out = {
            "flows": flows,
            "world_size": size,
            "setup_s": round(setup_s, 2),
            "customers": [c["id"] for c in who[1 : flows + 1]],
            **common.summary(times),
            "max_ms": max(times),
            # CPU time of the whole process per flow (every thread): less swayed than wall time by other processes
            # on a loaded machine, for A/B comparisons; the target is the wall-time median above.
            "cpu_median_ms": statistics.median(cpu),
            "times_ms": [round(t, 1) for t in times],
            "calls_per_flow": sum(per_system.values()) / flows,
            "calls_by_system": {s: v / flows for s, v in per_system.most_common()},
            "validation": "mock and gateway requests validated, responses not (as `make run`); no consumer-side "
            "spec checks",
        }
        if spy:
            out["profile"] = prof
        return out
    finally:
        if own_dir:
            shutil.rmtree(var_dir, ignore_errors=True)


def run_apart(flows: int = 20, size: int = 200) -> dict:
    """run() in a new Python process, as a test run starts, whatever the bench's runner did before it. (In the
    runner's own process each of five runs' flows had been slower than the last, 55 to 93 ms; apart, in the next
    bench, they still were, 57 to 142: the machine slowing under the bench's load, not the runner's process.)"""
    with tempfile.TemporaryDirectory(prefix="bench-caseflow-out-") as out:
        common.run_module("benchmarks.caseflow", ["--flows", str(flows), "--size", str(size), "--out", out], 900)
        return json.loads((Path(out) / "caseflow.json").read_text())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--flows", type=int, default=20, help="timed flows, after one warm-up flow")
    parser.add_argument("--size", type=int, default=200, help="world size of the mocks")
    parser.add_argument("--profile", action="store_true", help="py-spy the timed flows (slows them down)")
    parser.add_argument("--out", type=Path, default=common.BENCH / "results")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    figures = run(args.flows, args.size, args.out / "profile-caseflow.txt" if args.profile else None)
    common.write_json(args.out, "caseflow-profile" if args.profile else "caseflow", figures)
    shown = {k: v for k, v in figures.items() if k not in ("profile", "customers")}
    print(shown)
    for key in ("packages", "own", "inclusive"):
        for row in figures.get("profile", {}).get(key, []):
            print(key, row)


if __name__ == "__main__":
    main()
