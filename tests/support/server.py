"""`python -m serve` (what `make run` does) as a child process for tests: started, waited on, stopped.

The one server-start helper of the test suite: it waits until `ready_path` answers (any request error, a refused
connection or a read timeout while the server is busy starting, is retried until the deadline) and otherwise fails
the test with the tail of the server's log.
"""
from __future__ import annotations

import contextlib
import dataclasses
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclasses.dataclass
class Server:
    proc: subprocess.Popen
    port: int
    log: Path

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def log_tail(self, lines: int = 60) -> str:
        return "\n".join(self.log.read_text(errors="replace").splitlines()[-lines:])

    def stop(self, timeout: float = 60) -> int:
        """Ctrl-C, as a person stops `make run`; the exit code."""
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGINT)
            try:
                return self.proc.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                pytest.fail(f"serve did not stop on Ctrl-C within {timeout} s:\n{self.log_tail()}")
        return self.proc.returncode


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
def running_server(folder: Path, *, args: tuple[str, ...] = (), env: dict[str, str] | None = None,
                   ready_path: str = "/api/v1/health", ready=lambda response: True,
                   deadline_s: float = 180) -> Iterator[Server]:
    """`python -m serve *args` on a loopback port, with its var/ and log in `folder`; stopped (killed if need be)
    afterwards. `env` adds to (or overrides) the environment; `ready(response)` decides when it is up."""
    folder.mkdir(parents=True, exist_ok=True)
    port = free_port()
    log = folder / "serve.log"
    environment = dict(os.environ, HOST="127.0.0.1", PORT=str(port), VAR_DIR=str(folder / "var"),
                       GATEWAY_URL=f"http://127.0.0.1:{port}/api/v1", **(env or {}))
    with open(log, "w") as out:
        proc = subprocess.Popen([sys.executable, "-m", "serve", *args], stdout=out, stderr=subprocess.STDOUT,
                                env=environment)
    server = Server(proc, port, log)
    try:
        wait_ready(server, ready_path, deadline_s, ready)
        yield server
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait(timeout=30)
