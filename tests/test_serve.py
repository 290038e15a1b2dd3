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
    odd = requests.get(f"{base}/api/v1/customers/%0A/credits")
    assert odd.status_code == 400 and odd.headers["content-type"] == "application/problem+json"
    for system in SYSTEMS:
        spec = requests.get(f"{base}/mocks/{system}/openapi.json")
        assert spec.status_code == 200 and spec.json()["servers"][0]["url"] == f"/mocks/{system}"
        assert requests.get(f"{base}/mocks/{system}/ui/").status_code == 200
        admin = requests.get(f"{base}/mocks/{system}/__admin/openapi.json")
        assert admin.json()["servers"][0]["url"] == f"/mocks/{system}/__admin"
        assert requests.get(f"{base}/mocks/{system}/__admin/clock").json()["timezone"] == "America/Bogota"


def test_sixty_four_concurrent_customer_lookups_over_a_real_socket(server, world):
    """The embedded default holds up under load: the gateway's requests wait on the mocks in the same process
    without starving them (separate apps, separate worker pools)."""
    from concurrent.futures import ThreadPoolExecutor

    _, base, _ = server
    parties = [p for p in world.tables["parties"] if p["segments"] == "hogar+movil"][:8]

    def lookup(n):
        party = parties[n % len(parties)]
        response = requests.get(f"{base}/api/v1/customers", params={"documentNumber": party["document_number"]},
                                headers={"Authorization": "Bearer dev-asesor"}, timeout=60)
        return party["customer_id"], response.status_code, response.json()

    with ThreadPoolExecutor(64) as pool:
        results = list(pool.map(lookup, range(64)))
    for customer_id, status, body in results:
        assert status == 200, body
        assert [c["id"] for c in body] == [customer_id] and body[0]["degraded"] == [], body


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
    assert "Traceback" not in text and text.rstrip().endswith("Stopped.")


def test_masking_keeps_only_the_last_two_digits():
    assert mask_text("doc 1020304050 tel 3112000000") == "doc ********50 tel ********00"
    assert mask_text("tel +57 313 056 8954") == "tel +** *** *** **54"
    assert mask_text("port 8000, 12345, CUS00000003") == "port 8000, 12345, CUS00000003"


def _free_block(size: int) -> int:
    """A first port with `size` free ports after it (split mode numbers its systems consecutively)."""
    for first in range(20100, 40000, 100):
        try:
            sockets = []
            for port in range(first, first + size):
                s = socket.socket()
                sockets.append(s)
                s.bind(("127.0.0.1", port))
            return first
        except OSError:
            continue
        finally:
            for s in sockets:
                s.close()
    pytest.fail("no block of free ports")


def test_split_mode_serves_each_system_on_its_own_port(tmp_path, world):
    """`make run-split`: every system in its own process and port; the gateway finds them by BACKOFFICE_*_URL."""
    port, first = _free_port(), _free_block(len(SYSTEMS))
    env = dict(os.environ, PORT=str(port), SPLIT_BASE_PORT=str(first), VAR_DIR=str(tmp_path / "var"))
    with open(tmp_path / "split.log", "w") as out:
        proc = subprocess.Popen([sys.executable, "-m", "serve", "--split"], stdout=out, stderr=subprocess.STDOUT,
                                env=env)
    try:
        deadline, health = time.monotonic() + 120, None
        while time.monotonic() < deadline:
            try:
                health = requests.get(f"http://127.0.0.1:{port}/api/v1/health", timeout=5).json()
                if health["status"] == "pass":
                    break
            except (requests.ConnectionError, ValueError):
                pass
            time.sleep(0.5)
        assert health and health["status"] == "pass", health
        rr = requests.get(f"http://127.0.0.1:{first + SYSTEMS.index('rr')}/openapi.json").json()
        assert rr["info"]["title"].startswith("RR")
        party = next(p for p in world.tables["parties"] if p["segments"] == "hogar+movil")
        found = requests.get(f"http://127.0.0.1:{port}/api/v1/customers",
                             params={"documentNumber": party["document_number"]},
                             headers={"Authorization": "Bearer dev-asesor"}).json()
        assert found[0]["id"] == party["customer_id"] and found[0]["degraded"] == []
    finally:
        proc.send_signal(signal.SIGINT)
        assert proc.wait(timeout=60) == 0
    with pytest.raises(requests.ConnectionError):
        requests.get(f"http://127.0.0.1:{first}/openapi.json", timeout=2)


def test_a_world_cache_keeps_only_recent_worlds():
    from mocks.kit.worlds import WorldCache
    from world.config import WorldConfig

    cache = WorldCache(max_worlds=2)
    first = cache.get(WorldConfig(seed=1, size=40))
    cache.get(WorldConfig(seed=2, size=40))
    assert cache.get(WorldConfig(seed=1, size=40)) is first
    cache.get(WorldConfig(seed=3, size=40))  # evicts seed 2, the least recently used
    assert cache.get(WorldConfig(seed=1, size=40)) is first
    assert len(cache._worlds) == 2 and WorldConfig(seed=2, size=40) not in cache._worlds
