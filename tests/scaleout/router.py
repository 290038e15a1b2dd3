"""nginx (Debian's package) in front of replicas, for tests: deploy/nginx/claro-backoffice.conf rendered by
deploy/nginx/render.py, run as the current user with its prefix, pid, logs and temp dirs in a folder of the test's,
on a loopback port; stopped (and its access log complete) on exit.

Ports: a replica's PEERS and nginx's upstreams must name ports before those servers start, so each port is reserved
first: a socket bound to 127.0.0.1:0 with SO_REUSEADDR and never listening, held until the server that binds the
same port (serve and nginx both set SO_REUSEADDR) is up. No other process can take it meanwhile.
"""

from __future__ import annotations

import contextlib
import os
import pwd
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests

ROOT = Path(__file__).resolve().parents[2]
RENDER = ROOT / "deploy" / "nginx" / "render.py"
# What each request was routed by, and to: the sandbox the router saw, the replica it went to, the status.
LOG_FORMAT = "log_format claro '$claro_sandbox $upstream_addr $status $request_method $uri';"


def nginx_binary() -> str:
    found = shutil.which("nginx") or ("/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else None)
    if found is None:
        pytest.fail(
            "nginx is missing: install Debian's `nginx` package (apt-get install -y nginx; `make test` does it as "
            "root), or run with SCALEOUT_TESTS=0 to skip the scale-out tests"
        )
    return found


@contextlib.contextmanager
def reserved_port() -> Iterator[int]:
    sock = socket.socket()
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    try:
        yield sock.getsockname()[1]
    finally:
        sock.close()


def main_config(folder: Path, routes: Path) -> str:
    """nginx.conf: everything under `folder`, the rendered routes included in its http block."""
    temp = folder / "temp"
    user = f"user {pwd.getpwuid(os.geteuid()).pw_name};\n" if os.geteuid() == 0 else ""  # root: workers stay root
    paths = "\n".join(
        f"    {kind}_temp_path {temp / kind};" for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
    )
    return f"""{user}daemon off;
worker_processes 1;
pid {folder / "nginx.pid"};
error_log {folder / "error.log"} info;
events {{ worker_connections 512; }}
http {{
    {LOG_FORMAT}
    access_log {folder / "access.log"} claro;
{paths}
    include {routes};
}}
"""


class Router:
    def __init__(self, proc: subprocess.Popen, port: int, folder: Path):
        self.proc, self.port, self.folder = proc, port, folder

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def stop(self) -> None:
        """A graceful stop (SIGQUIT: requests in flight finish, the access log is complete), waited for."""
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGQUIT)
            try:
                self.proc.wait(timeout=60)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait(timeout=30)

    def routed(self) -> list[tuple[str, str, int, str]]:
        """(sandbox, replica address, status, 'METHOD uri') of every request, from the access log (after stop)."""
        rows = []
        for line in (self.folder / "access.log").read_text().splitlines():
            sandbox, upstream, status, method, uri = line.split(" ", 4)
            rows.append((sandbox, upstream, int(status), f"{method} {uri}"))
        return rows

    def log_tail(self) -> str:
        return "\n".join((self.folder / "error.log").read_text(errors="replace").splitlines()[-30:])


@contextlib.contextmanager
def running_router(folder: Path, replicas: list[str], deadline_s: float = 60) -> Iterator[Router]:
    """nginx routing to `replicas` (base URLs), ready once its own health check through a replica answers."""
    binary = nginx_binary()
    (folder / "temp").mkdir(parents=True, exist_ok=True)
    with reserved_port() as port:
        rendered = subprocess.run(
            [sys.executable, str(RENDER), "--listen", f"127.0.0.1:{port}", *replicas],
            capture_output=True,
            text=True,
        )
        assert rendered.returncode == 0, rendered.stderr
        routes = folder / "claro-backoffice.conf"
        routes.write_text(rendered.stdout)
        (folder / "nginx.conf").write_text(main_config(folder, routes))
        command = [binary, "-p", str(folder), "-c", str(folder / "nginx.conf"), "-e", str(folder / "error.log")]
        checked = subprocess.run([*command, "-t"], capture_output=True, text=True)
        assert checked.returncode == 0, checked.stderr
        proc = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
        router = Router(proc, port, folder)
        try:
            _wait_ready(router, time.monotonic() + deadline_s)
        except BaseException:
            router.stop()
            raise
    try:
        yield router
    finally:
        router.stop()


def _wait_ready(router: Router, deadline: float) -> None:
    last: object = None
    while time.monotonic() < deadline:
        if router.proc.poll() is not None:
            pytest.fail(f"nginx exited with {router.proc.returncode}:\n{router.log_tail()}")
        try:
            answer = requests.get(router.base + "/api/v1/health", timeout=5)
            if answer.status_code == 200:
                return
            last = f"{answer.status_code} {answer.text[:200]}"
        except requests.RequestException as exc:  # not listening yet
            last = exc
        time.sleep(0.1)
    pytest.fail(f"nginx was not ready within the deadline (last: {last}):\n{router.log_tail()}")
