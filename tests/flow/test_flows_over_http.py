"""The same scenario flows as test_scenario_flows.py, over real HTTP against `python -m serve` on a loopback port
(a temporary VAR_DIR; Meta's simulator delivers its signed webhooks to that server's gateway): every case
scenario, each in its own sandbox, one server start."""
from __future__ import annotations

import os
import socket
import subprocess
import sys
import time

import pytest
import requests

from tests.flow.driver import OverHttp
from tests.flow.flows import new_sandbox, play
from tests.flow.handling import AFTER, HANDLERS

OVER_HTTP = tuple(sorted(HANDLERS))  # every case scenario, as in-process


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    port, folder = _free_port(), tmp_path_factory.mktemp("flows-http")
    base = f"http://127.0.0.1:{port}"
    env = dict(os.environ, PORT=str(port), HOST="127.0.0.1", VAR_DIR=str(folder / "var"),
               GATEWAY_URL=f"{base}/api/v1")
    log = folder / "serve.log"
    with open(log, "w") as out:
        proc = subprocess.Popen([sys.executable, "-m", "serve"], stdout=out, stderr=subprocess.STDOUT, env=env)
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                requests.get(f"{base}/api/v1/health", timeout=5)
                break
            except requests.RequestException:  # not listening yet, or busy starting up
                if proc.poll() is not None or time.monotonic() > deadline:
                    pytest.fail(f"serve did not start:\n{log.read_text()}")
                time.sleep(0.2)
        yield base
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()


@pytest.mark.parametrize("name", OVER_HTTP)
def test_the_scenario_plays_out_over_http(server, name):
    with requests.Session() as session:
        root = OverHttp(server, session=session)
        sandbox = f"http-{name}"[:40]
        d = new_sandbox(root, sandbox)
        try:
            final = play(d, name, HANDLERS[name], AFTER.get(name))
            assert final["status"] == "closed" and bool(final["closedOutAt"]) == (final["outcome"] == "followUp")
        finally:
            assert root.gw("DELETE", f"/admin/sandboxes/{sandbox}").status_code == 200
