"""`make run` for real: one process on a socket serves every mock with its spec and UI, masks documents and
phones in every log line, and stops cleanly on Ctrl-C."""
from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time

import pytest
import requests

from gateway.logmask import mask_text
from serve import SYSTEMS


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    port = _free_port()
    log = tmp_path_factory.mktemp("serve") / "serve.log"
    env = dict(os.environ, PORT=str(port), HOST="127.0.0.1", VAR_DIR=str(log.parent / "var"))
    with open(log, "w") as out:
        proc = subprocess.Popen([sys.executable, "-m", "serve"], stdout=out, stderr=subprocess.STDOUT, env=env)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            requests.get(base + "/", timeout=1)
            break
        except requests.ConnectionError:
            if proc.poll() is not None:
                pytest.fail(f"serve exited early:\n{log.read_text()}")
            time.sleep(0.3)
    yield proc, base, log
    if proc.poll() is None:
        proc.kill()


def test_every_mock_is_served_with_spec_and_ui(server):
    _, base, _ = server
    index = requests.get(base + "/").json()["mocks"]
    assert set(index) == set(SYSTEMS)
    gateway_spec = requests.get(f"{base}/api/v1/openapi.json")
    assert gateway_spec.status_code == 200 and gateway_spec.json()["servers"][0]["url"] == "/api/v1"
    assert requests.get(f"{base}/api/v1/ui/").status_code == 200
    for system in SYSTEMS:
        spec = requests.get(f"{base}/mocks/{system}/openapi.json")
        assert spec.status_code == 200 and spec.json()["servers"][0]["url"] == f"/mocks/{system}"
        assert requests.get(f"{base}/mocks/{system}/ui/").status_code == 200
        admin = requests.get(f"{base}/mocks/{system}/__admin/openapi.json")
        assert admin.json()["servers"][0]["url"] == f"/mocks/{system}/__admin"
        assert requests.get(f"{base}/mocks/{system}/__admin/clock").json()["timezone"] == "America/Bogota"


def test_logs_mask_documents_and_phones_and_ctrl_c_stops(server, world):
    proc, base, log = server
    party = next(p for p in world.tables["parties"] if "hogar" in p["segments"])
    requests.get(f"{base}/mocks/rr/subscribers", params={"document_number": party["document_number"]})
    requests.get(f"{base}/mocks/rr/phones/{party['contact_mobile']}/subscribers")
    requests.get(f"{base}/mocks/rr/phones/57{party['contact_mobile']}/subscribers")
    # The gateway over a real socket: it reaches the mocks through this same server.
    found = requests.get(f"{base}/api/v1/customers", params={"phone": f"+57 {party['contact_mobile']}"},
                         headers={"Authorization": "Bearer dev-asesor"})
    assert found.status_code == 200 and found.json()[0]["id"] == party["customer_id"]
    proc.send_signal(signal.SIGINT)
    assert proc.wait(timeout=30) == 0
    text = log.read_text()
    assert "GET /mocks/rr/subscribers?document_number=" in text, "the access log is on"
    assert party["document_number"] not in text and party["contact_mobile"] not in text


def test_masking_keeps_only_the_last_two_digits():
    assert mask_text("doc 1020304050 tel 3112000000") == "doc ********50 tel ********00"
    assert mask_text("tel +57 313 056 8954") == "tel +** *** *** **54"
    assert mask_text("port 8000, 12345, CUS00000003") == "port 8000, 12345, CUS00000003"
