"""`claro-backoffice serve` for real, as `make run` starts it: in a subprocess (`python -m claro_backoffice.cli`),
its options set the world and the folder; the ready line comes once GET /api/v1/health answers 200 and never while
a system is down; the client commands work in a subprocess too, with their exit codes."""

from __future__ import annotations

import contextlib
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests

from claro_backoffice.core.systems import SYSTEMS
from tests.support.server import Server, wait_listening

ROOT = Path(__file__).resolve().parents[2]
INDEX = re.compile(r"^  gateway        (http://127\.0\.0\.1:\d+)/api/v1/", re.MULTILINE)


@contextlib.contextmanager
def command(folder: Path, *argv: str, env: dict[str, str] | None = None):
    """`python -m claro_backoffice.cli *argv` in its own process group, its output in folder/cli.log."""
    folder.mkdir(parents=True, exist_ok=True)
    log = folder / "cli.log"
    inherited = {k: v for k, v in os.environ.items() if k != "GATEWAY_URL" and not k.startswith("BACKOFFICE_")}
    with open(log, "w") as out:
        proc = subprocess.Popen(
            [sys.executable, "-m", "claro_backoffice.cli", *argv],
            stdout=out,
            stderr=subprocess.STDOUT,
            env={**inherited, **(env or {})},
            cwd=ROOT,
            start_new_session=True,
        )
    try:
        yield proc, log
    finally:
        if proc.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(timeout=30)


def client(*argv: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "claro_backoffice.cli", *argv], capture_output=True, text=True, cwd=ROOT, timeout=300
    )


def test_serve_with_its_options_then_the_client_commands_in_subprocesses(tmp_path):
    var = tmp_path / "the-var"
    argv = ("serve", "--port", "0", "--var-dir", str(var), "--world-seed", "7", "--world-size", "60")
    with command(tmp_path, *argv, "--world-date", "2026-10-01") as (proc, log):
        port, _ = wait_listening(proc, log, time.monotonic() + 300)
        base = f"http://127.0.0.1:{port}"
        text = log.read_text()
        assert "Seeding the world (seed 7, 60 customers, reference date 2026-10-01)" in text
        # The ready line comes after the server answered its own health check with 200.
        health = text.index('"GET /api/v1/health HTTP/1.1" 200')
        assert health < text.index(f"serve: listening on {base}\n")
        assert f"into {var.resolve()} ..." in text and (var / "rr" / "registry.sqlite").is_file()
        if (os.confstr("CS_GNU_LIBC_VERSION") or "").startswith("glibc"):  # the same process, started again
            environ = Path(f"/proc/{proc.pid}/environ").read_bytes().split(b"\0")
            assert b"GLIBC_TUNABLES=glibc.malloc.tcache_count=0" in environ

        listed = client("sandbox", "list", "--url", base, "--token", "dev-admin")
        assert listed.returncode == 0, listed.stderr
        assert listed.stdout.splitlines()[2].split() == ["default", "7", str(len(SYSTEMS)), "-"]
        asesor = {"Authorization": "Bearer dev-asesor"}
        assert requests.get(f"{base}/api/v1/customers/CUS00000059", headers=asesor).status_code == 200
        assert requests.get(f"{base}/api/v1/customers/CUS00000061", headers=asesor).status_code == 404
        clocks = requests.get(f"{base}/api/v1/admin/clock", headers={"Authorization": "Bearer dev-admin"}).json()
        assert {c["now"][:10] for c in clocks["clocks"]} == {"2026-10-01"}

        waited = client("wait", "--url", base, "--timeout", "0")
        assert waited.returncode == 0 and waited.stdout == f"wait: {base} is up\n"
        refused = client("sandbox", "delete", "default", "--url", base, "--token", "dev-admin")
        assert refused.returncode == 1 and refused.stderr.startswith("claro-backoffice sandbox: 409 Conflict: ")
        usage = client("sandbox", "--url", base)
        assert usage.returncode == 2

        assert Server(proc, port, log).stop() == 0
        assert "Traceback" not in log.read_text()
        assert "DeprecationWarning" not in log.read_text()  # a user's start shows no library's warning (serve.py)
    unreachable = client("wait", "--url", base, "--timeout", "0")
    assert unreachable.returncode == 3 and base in unreachable.stderr


def test_no_ready_line_while_a_system_is_down(tmp_path, refused_url):
    """RR where nothing listens: the server serves, its health check is a 503 naming rr, and the line never comes."""
    env = {"BACKOFFICE_RR_URL": refused_url, "GATEWAY_RETRIES": "0"}
    with command(tmp_path, "serve", "--port", "0", "--var-dir", str(tmp_path / "var"), env=env) as (proc, log):
        deadline = time.monotonic() + 300
        while not INDEX.search(log.read_text()):
            assert proc.poll() is None and time.monotonic() < deadline, log.read_text()[-3000:]
            time.sleep(0.1)
        base = INDEX.search(log.read_text()).group(1)
        while True:  # until it listens (the index is printed before)
            try:
                health = requests.get(f"{base}/api/v1/health", timeout=30)
                break
            except requests.ConnectionError:
                assert proc.poll() is None and time.monotonic() < deadline, log.read_text()[-3000:]
                time.sleep(0.1)
        assert health.status_code == 503
        assert [s["system"] for s in health.json()["systems"] if s["status"] == "down"] == ["rr"]
        waited = client("wait", "--url", base, "--timeout", "0")
        assert waited.returncode == 3 and waited.stderr.endswith("the health check answered 503 (down: rr)\n")
        port = int(base.rsplit(":", 1)[1])
        assert Server(proc, port, log).stop() == 0
    text = log.read_text()
    assert "serve: listening on" not in text and "Traceback" not in text


def test_serve_split_waits_for_every_system_before_its_ready_line(tmp_path):
    """`make run-split`: each system in its own process; the ready line once the gateway's health check is 200."""
    argv = ("serve", "--split", "--port", "0", "--var-dir", str(tmp_path / "var"))
    with command(tmp_path, *argv, env={"SPLIT_BASE_PORT": "0"}) as (proc, log):
        port, systems = wait_listening(proc, log, time.monotonic() + 300)
        assert set(systems) == set(SYSTEMS)
        text = log.read_text()
        assert text.index('"GET /api/v1/health HTTP/1.1" 200') < text.index("serve: listening on")
        health = requests.get(f"http://127.0.0.1:{port}/api/v1/health", timeout=60)
        assert health.status_code == 200 and health.json()["status"] == "pass"
        assert Server(proc, port, log).stop() == 0


@pytest.mark.parametrize("target", ["run", "run-split"])
def test_make_run_calls_the_command(target):
    # Under `make test` the outer make's variables would make this one print "Leaving directory" lines: not passed.
    env = {k: v for k, v in os.environ.items() if not k.startswith("MAKE") and k != "MFLAGS"}
    made = subprocess.run(
        ["make", "--no-print-directory", "-n", target], capture_output=True, text=True, cwd=ROOT, check=True, env=env
    )
    split = " --split" if target == "run-split" else ""
    assert made.stdout.splitlines()[-1] == f".venv/bin/claro-backoffice serve{split} --host 127.0.0.1 --port 8000"


def test_serve_as_a_replica_names_itself_and_its_unanswering_peer(tmp_path, refused_url):
    """--replica-id and --peers (README "Scaling out"): the sandbox list says which replica answered and names the
    peer that did not, with why; a bad replica id stops the start with a line naming it, not a traceback."""
    argv = ("serve", "--port", "0", "--var-dir", str(tmp_path / "var"), "--replica-id", "r4", "--peers", refused_url)
    with command(tmp_path, *argv) as (proc, log):
        port, _ = wait_listening(proc, log, time.monotonic() + 300)
        listed = requests.get(
            f"http://127.0.0.1:{port}/api/v1/admin/sandboxes", headers={"Authorization": "Bearer dev-admin"}, timeout=60
        )
        assert Server(proc, port, log).stop() == 0
    assert listed.status_code == 200, listed.text
    replicas = listed.json()["replicas"]
    assert replicas[0] == {"replica": "r4", "url": None, "outcome": "listed"}
    assert [(r["url"], r["outcome"]) for r in replicas[1:]] == [(refused_url, "failed")]
    assert {s["replica"] for s in listed.json()["sandboxes"]} == {"r4"}

    refused = client("serve", "--port", "0", "--var-dir", str(tmp_path / "var2"), "--replica-id", "replica-one")
    assert refused.returncode != 0 and "REPLICA_ID" in refused.stdout + refused.stderr
    assert "Traceback" not in refused.stdout + refused.stderr
