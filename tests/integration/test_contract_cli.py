"""The README's gateway contract command, run as a user runs it: `python -m claro_backoffice.serve` on a socket, the
sandbox `st` created as the README says, then the exact `st run ...` line from the README, from the repository root
(so that schemathesis.toml applies). It must pass, and every other sandbox must be as it was: the run's token
(`dev-admin-st`) administers `st` only."""

from __future__ import annotations

import shlex
import subprocess
import sys
from pathlib import Path

import requests

from tests.support.server import running_server

ROOT = Path(__file__).resolve().parents[2]
ADMIN = {"Authorization": "Bearer dev-admin"}
OTHER = "keep-me"
EXAMPLES = "2"  # per operation and phase, to keep this test short; the README's unbounded run passes the same way
# Against hanging only: ~1-2 min on a quiet machine, past 10 under the parallel suite on a loaded 2-core one.
TIMEOUT = 1800


def _readme_gateway_command() -> str:
    lines = [line.strip() for line in (ROOT / "README.md").read_text(encoding="utf-8").splitlines()]
    [command] = [line for line in lines if line.startswith(".venv/bin/st run") and "/api/v1/openapi.json" in line]
    return command


def _call(base, method, path, sandbox=None, **kw):
    headers = ADMIN | ({"X-Sandbox": sandbox} if sandbox else {})
    response = requests.request(method, base + path, headers=headers, timeout=30, **kw)
    assert response.status_code < 300, f"{method} {path}: {response.status_code} {response.text[:300]}"
    return response.json()


def _snapshot(base: str, var: Path, sandboxes: list[str]) -> dict:
    """What a user can see of each sandbox but `st` without changing it (control reads are not journaled)."""
    listed = _call(base, "GET", "/api/v1/admin/sandboxes")["sandboxes"]
    state = {"sandboxes": sorted((s["name"], s["seed"], tuple(s["systems"])) for s in listed if s["name"] != "st")}
    for name in sandboxes:
        journal = _call(base, "GET", "/api/v1/admin/journal", name, params={"limit": 1000})["entries"]
        state[name] = {
            "faults": _call(base, "GET", "/api/v1/admin/faults", name)["faults"],
            "journal": [(e["system"], e["id"], e["method"], e["path"], e["status"]) for e in journal],
            "clocks": {
                s: requests.get(f"{base}/mocks/{s}/__admin/clock", headers={"X-Sandbox": name}).json()
                for s in ("meta", "rr", "gestion")
            },
            "ideas": _call(base, "GET", "/api/v1/ideas", name),
            "cases": _call(base, "GET", "/api/v1/cases", name),
        }
    # The gateway's own files, after the reads above (reading a sandbox's cases opens its file).
    state["files"] = sorted(
        p.name
        for p in (var / "gateway" / "sandboxes").glob("*")
        if not p.name.startswith("st.") and not p.name.endswith(("-wal", "-shm"))
    )
    return state


def test_the_readme_contract_run_passes_and_leaves_every_other_sandbox_as_it_was(tmp_path):
    with running_server(tmp_path, env={"GATEWAY_TOKENS": ""}) as server:
        base, var = server.base, tmp_path / "var"
        # The README's set-up, with the token the command uses.
        created = requests.post(
            f"{base}/api/v1/admin/sandboxes",
            json={"name": "st"},
            timeout=60,
            headers={"Authorization": "Bearer dev-admin-st"},
        )
        assert created.status_code == 201, created.text
        # Another sandbox with state of its own in the systems and in the gateway, and `default`'s clock stopped.
        _call(base, "POST", "/api/v1/admin/sandboxes", json={"name": OTHER})
        for name, moment in ((OTHER, "2026-11-20T10:00:00-05:00"), ("default", "2026-11-05T09:30:00-05:00")):
            _call(base, "POST", "/api/v1/admin/clock", name, json={"set": moment, "frozen": True})
        _call(
            base,
            "POST",
            "/api/v1/admin/faults",
            OTHER,
            json={"system": "rr", "kind": "delay", "delayMs": 1, "path": "/nothing-calls-this/*"},
        )
        requests.post(
            f"{base}/mocks/rr/__admin/fixtures",
            headers={"X-Sandbox": OTHER},
            json={
                "changes": [
                    {
                        "table": "accounts",
                        "update": {"where": {"account_number": "20150259"}, "set": {"status": "suspendido"}},
                    }
                ]
            },
        ).raise_for_status()
        _call(
            base,
            "POST",
            "/api/v1/ideas",
            OTHER,
            json={
                "title": "Plantilla para reprogramar visitas",
                "raisedBy": "asesor.premium01",
                "teamId": "TEAM02",
                "description": "Tres franjas para reprogramar la visita.",
            },
        )
        _call(base, "GET", "/api/v1/billingAccounts/20150259", "default")  # a journal entry in default
        before = _snapshot(base, var, ["default", OTHER])
        assert len(before[OTHER]["ideas"]) == 1 and before["default"]["journal"]

        command = _readme_gateway_command().replace("http://127.0.0.1:8000", base)
        argv = shlex.split(command)
        argv[0] = str(Path(sys.executable).parent / "st")
        run = subprocess.run(
            [*argv, "--max-examples", EXAMPLES], cwd=ROOT, capture_output=True, text=True, timeout=TIMEOUT
        )
        assert run.returncode == 0, f"{command}\n{run.stdout[-6000:]}\n{run.stderr[-2000:]}"

        after = _snapshot(base, var, ["default", OTHER])
        assert after == before
        account = requests.get(f"{base}/mocks/rr/accounts/20150259", headers={"X-Sandbox": OTHER}).json()
        assert account["status"] == "suspendido", "the other sandbox was not reset"
        listed = requests.get(
            f"{base}/api/v1/admin/sandboxes", headers={"Authorization": "Bearer dev-admin"}, timeout=30
        ).json()["sandboxes"]
        assert "st" in [s["name"] for s in listed], "the run deleted its own sandbox midway"
