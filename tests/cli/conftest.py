"""One `serve` for the command-line tests (tests/support/server.py), and `cli(...)`: the command's main() run
in-process against it, with its exit code and what it printed."""

from __future__ import annotations

import dataclasses
import socket

import pytest
import requests

from claro_backoffice.cli import main
from tests.support.server import running_server

ADMIN = "dev-admin"


@dataclasses.dataclass
class Ran:
    code: int
    out: str
    err: str


@pytest.fixture(scope="session")
def server(tmp_path_factory):
    with running_server(tmp_path_factory.mktemp("cli-serve")) as started:
        yield started


@pytest.fixture
def run(capsys):
    """run(*argv) -> Ran: main(argv) with nothing added."""

    def run_main(*argv: str) -> Ran:
        capsys.readouterr()
        code = main(list(argv))
        captured = capsys.readouterr()
        return Ran(code, captured.out, captured.err)

    return run_main


@pytest.fixture
def cli(run, server):
    """cli(*argv) -> Ran: main(argv) against the test server with the admin token (as --url and --token)."""
    return lambda *argv: run(*argv, "--url", server.base, "--token", ADMIN)


@pytest.fixture
def api(server):
    """api(method, path, sandbox=None, **kw) -> the gateway's answer, as the admin."""

    def call(method: str, path: str, sandbox: str | None = None, **kwargs) -> requests.Response:
        headers = {"Authorization": f"Bearer {ADMIN}"} | ({"X-Sandbox": sandbox} if sandbox else {})
        return requests.request(method, f"{server.base}/api/v1{path}", headers=headers, timeout=120, **kwargs)

    return call


@pytest.fixture
def refused_url():
    """A loopback URL nothing listens on: a port held bound (so no one else takes it) but never listening."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        yield f"http://127.0.0.1:{sock.getsockname()[1]}"
