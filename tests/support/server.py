"""`python -m claro_backoffice.serve` (what `make run` does) as a child process for tests: started, waited on, stopped.

The one server-start helper of the test suite. The server picks its own port (PORT=0, and SPLIT_BASE_PORT=0 for
`--split`): it binds first and then prints `serve: listening on URL` (and in split mode `serve: system NAME on URL`
per system), read here from its log, so no port is chosen here and then taken by another process before the server
binds it. Then it waits until `ready_path` answers (any request error, a refused connection or a read timeout while
the server is busy starting, is retried until the deadline) and otherwise fails the test with the tail of the log.
"""

from __future__ import annotations

import contextlib
import dataclasses
import os
import re
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import requests

LISTENING = re.compile(r"^serve: listening on (http://\S+)$", re.MULTILINE)
SYSTEM = re.compile(r"^serve: system (\S+) on (http://\S+)$", re.MULTILINE)


@dataclasses.dataclass
class Server:
    proc: subprocess.Popen
    port: int
    log: Path
    systems: dict[str, str] = dataclasses.field(default_factory=dict)  # split mode: each system's own base URL

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def log_tail(self, lines: int = 60) -> str:
        return _tail(self.log, lines)

    def stop(self, timeout: float = 60) -> int:
        """Ctrl-C, as a person stops `make run`; the exit code."""
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGINT)
            try:
                return self.proc.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                _kill(self.proc)
                pytest.fail(f"serve did not stop on Ctrl-C within {timeout} s:\n{self.log_tail()}")
        return self.proc.returncode


def _kill(proc: subprocess.Popen) -> None:
    """SIGKILL to the process group this helper started (the server and any children of its own), nothing else."""
    if proc.poll() is None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=30)


def wait_listening(proc: subprocess.Popen, log: Path, deadline: float) -> tuple[int, dict[str, str]]:
    """The port the server bound (and split mode's system URLs), from the line it prints once bound."""
    while time.monotonic() < deadline:
        text = log.read_text(errors="replace")
        found = LISTENING.search(text)
        if found:
            return urlsplit(found.group(1)).port, dict(SYSTEM.findall(text))
        if proc.poll() is not None:
            pytest.fail(f"serve exited with {proc.returncode} before it listened:\n{_tail(log)}")
        time.sleep(0.05)
    pytest.fail(f"serve printed no `serve: listening on` line before the deadline:\n{_tail(log)}")


def _tail(log: Path, lines: int = 60) -> str:
    return "\n".join(log.read_text(errors="replace").splitlines()[-lines:])


def wait_ready(server: Server, path: str, deadline_s: float, ready=lambda response: True) -> requests.Response:
    deadline = time.monotonic() + deadline_s
    last: object = None
    while time.monotonic() < deadline:
        if server.proc.poll() is not None:
            pytest.fail(f"serve exited with {server.proc.returncode} before it was ready:\n{server.log_tail()}")
        try:
            response = requests.get(server.base + path, timeout=5)
            if ready(response):
                return response
            last = f"{response.status_code} {response.text[:300]}"
        except requests.RequestException as exc:  # not listening yet, or too busy starting to answer in time
            last = exc
        time.sleep(0.2)
    pytest.fail(f"serve was not ready at {path} within {deadline_s} s (last: {last}):\n{server.log_tail()}")


@contextlib.contextmanager
def running_server(
    folder: Path,
    *,
    args: tuple[str, ...] = (),
    env: dict[str, str] | None = None,
    ready_path: str = "/api/v1/health",
    ready=lambda response: True,
    deadline_s: float = 180,
    python: str = sys.executable,
    cwd: Path | None = None,
) -> Iterator[Server]:
    """`python -m claro_backoffice.serve *args` on a loopback port of its own choosing, with its var/ and log in
    `folder`; stopped (killed if need be) afterwards. `env` adds to (or overrides) the environment;
    `ready(response)` decides when it is up. `python`: another interpreter (an installed wheel's virtual
    environment), `cwd`: its working directory (by default this one's, where `claro_backoffice` is the checkout's)."""
    folder.mkdir(parents=True, exist_ok=True)
    log = folder / "serve.log"
    # The caller's shell may point the gateway or the mocks elsewhere: this server talks to itself.
    inherited = {k: v for k, v in os.environ.items() if k != "GATEWAY_URL" and not k.startswith("BACKOFFICE_")}
    environment = {
        **inherited,
        "HOST": "127.0.0.1",
        "PORT": "0",
        "SPLIT_BASE_PORT": "0",
        "VAR_DIR": str(folder / "var"),
        **(env or {}),
    }
    deadline = time.monotonic() + deadline_s
    with open(log, "w") as out:
        # Its own process group: split mode's children are killed with it if it must be killed.
        proc = subprocess.Popen(
            [python, "-m", "claro_backoffice.serve", *args],
            cwd=cwd,
            stdout=out,
            stderr=subprocess.STDOUT,
            env=environment,
            start_new_session=True,
        )
    try:
        port, systems = wait_listening(proc, log, deadline)
        server = Server(proc, port, log, systems)
        wait_ready(server, ready_path, max(deadline - time.monotonic(), 0), ready)
        yield server
    finally:
        _kill(proc)
