"""deploy/nginx/render.py, as an operator (or the Kubernetes manifests) runs it: one `server` line per replica, never
marked down, and input it can't use refused with a reason (exit 2)."""

from __future__ import annotations

import subprocess
import sys

from tests.scaleout.router import RENDER


def _render(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(RENDER), *args], capture_output=True, text=True)


def test_each_replica_is_a_server_that_is_never_marked_down():
    done = _render("--listen", "8080", "http://10.0.0.1:8000", "claro-backoffice-1.claro-backoffice:8000")
    assert done.returncode == 0, done.stderr
    servers = [line.strip() for line in done.stdout.splitlines() if line.startswith("    server ")]
    assert servers == [
        "server 10.0.0.1:8000 max_fails=0;",
        "server claro-backoffice-1.claro-backoffice:8000 max_fails=0;",
    ]
    assert "    listen 8080;" in done.stdout.splitlines() and "@@" not in done.stdout


def test_what_it_cannot_use_is_refused_with_a_reason():
    for args, reason in (
        (("10.0.0.1",), "'10.0.0.1' is not host:port"),
        (("http://10.0.0.1:8000/api/v1",), "no path"),
        (("10.0.0.1:8000", "http://10.0.0.1:8000"), "listed twice"),
    ):
        done = _render("--listen", "8080", *args)
        assert done.returncode == 2 and reason in done.stderr, (args, done.stderr)
