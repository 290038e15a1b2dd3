"""`make run` for real: one process on a socket serves every mock with its spec and UI, masks documents and
phones in every log line, and stops cleanly on Ctrl-C. Started with PORT=0 (tests/support/server.py): the server
binds a free port itself and says which."""

from __future__ import annotations

import contextlib
import os
import re
import signal
import subprocess
import sys
from pathlib import Path

import pytest
import requests

from claro_backoffice.core.systems import SYSTEMS
from claro_backoffice.gateway.logmask import mask_text
from tests.support.server import running_server


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    with running_server(tmp_path_factory.mktemp("serve"), ready_path="/") as started:
        yield started


def test_port_0_binds_a_free_port_and_the_printed_index_names_it(server):
    """The human index and the machine-readable line both give the port the server really bound."""
    assert server.port > 0
    text = server.log.read_text()
    assert f"serve: listening on {server.base}\n" in text
    assert f"  gateway        {server.base}/api/v1/   spec {server.base}/api/v1/openapi.json" in text
    assert f"  rr              {server.base}/mocks/rr/   spec" in text
    assert ":0/" not in text


def test_the_startup_output_has_no_deprecation_warning(server):
    """What a user sees on every start: the index and the ready line, no library's DeprecationWarning (connexion
    imports starlette's test client, which warned about httpx on every start: serve.py silences that one)."""
    text = server.log.read_text()
    assert "serve: listening on" in text
    assert "DeprecationWarning" not in text, text[:3000]


def test_every_mock_is_served_with_spec_and_ui(server):
    base = server.base
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

    base = server.base
    parties = [p for p in world.tables["parties"] if p["segments"] == "hogar+movil"][:8]

    def lookup(n):
        party = parties[n % len(parties)]
        response = requests.get(
            f"{base}/api/v1/customers",
            params={"documentNumber": party["document_number"]},
            headers={"Authorization": "Bearer dev-asesor"},
            timeout=60,
        )
        return party["customer_id"], response.status_code, response.json()

    with ThreadPoolExecutor(64) as pool:
        results = list(pool.map(lookup, range(64)))
    for customer_id, status, body in results:
        assert status == 200, body
        assert [c["id"] for c in body] == [customer_id] and body[0]["degraded"] == [], body


def test_the_gateway_calls_the_mocks_it_serves_in_process(server, world):
    """The server recognises its own address from the port it really bound (PORT=0): the gateway's calls to AC
    reach AC's app in-process (in AC's journal) and never its socket (no access-log line)."""
    party = next(p for p in world.tables["parties"] if p["segments"] == "hogar+movil")
    found = requests.get(
        f"{server.base}/api/v1/customers",
        params={"documentNumber": party["document_number"]},
        headers={"Authorization": "Bearer dev-asesor"},
        timeout=60,
    )
    assert found.status_code == 200 and found.json()[0]["degraded"] == [], found.text
    journal = requests.get(f"{server.base}/mocks/ac/__admin/requests", params={"path": "/subscribers"}).json()
    assert journal["requests"], "the gateway asked AC"
    over_socket = [
        line
        for line in server.log.read_text().splitlines()
        if re.search(r'"[A-Z]+ /mocks/ac/(?!openapi\.json|ui/|__admin/)', line)
    ]
    assert over_socket == []


def test_metas_webhooks_reach_the_gateway_it_serves_in_process(server, world):
    """Meta's simulator delivers a customer's message to this server's own gateway in-process (delivered, and the
    gateway answered it) and never through its socket (no access-log line for the webhook)."""
    party = next(p for p in world.tables["parties"] if p["segments"] == "hogar+movil")
    wa_id = "57" + party["contact_mobile"]
    said = requests.post(
        f"{server.base}/mocks/meta/simulator/customers/{wa_id}/messages", json={"text": "Hola"}, timeout=60
    )
    assert said.status_code == 201, said.text
    delivery = said.json()["delivery"]
    assert (delivery["outcome"], delivery["status_code"]) == ("delivered", 200), delivery
    assert delivery["url"].startswith(f"{server.base}/api/v1/"), delivery["url"]
    over_socket = [line for line in server.log.read_text().splitlines() if "/api/v1/whatsapp/webhook" in line]
    assert over_socket == []


def test_logs_mask_documents_and_phones_and_ctrl_c_stops(server, world):
    base, log = server.base, server.log
    party = next(p for p in world.tables["parties"] if "hogar" in p["segments"])
    requests.get(f"{base}/mocks/rr/subscribers", params={"document_number": party["document_number"]})
    requests.get(f"{base}/mocks/rr/phones/{party['contact_mobile']}/subscribers")
    requests.get(f"{base}/mocks/rr/phones/57{party['contact_mobile']}/subscribers")
    # The gateway over a real socket: it reaches the mocks through this same server.
    found = requests.get(
        f"{base}/api/v1/customers",
        params={"phone": f"+57 {party['contact_mobile']}"},
        headers={"Authorization": "Bearer dev-asesor"},
    )
    assert found.status_code == 200 and found.json()[0]["id"] == party["customer_id"]
    assert server.stop() == 0
    text = log.read_text()
    assert "GET /mocks/rr/subscribers?document_number=" in text, "the access log is on"
    assert party["document_number"] not in text and party["contact_mobile"] not in text
    assert "Traceback" not in text and text.rstrip().endswith("Stopped.")
    assert "Exception ignored" not in text  # e.g. the in-process caller's event loops, closed at stop


def test_masking_keeps_only_the_last_two_digits():
    assert mask_text("doc 1020304050 tel 3112000000") == "doc ********50 tel ********00"
    assert mask_text("tel +57 313 056 8954") == "tel +** *** *** **54"
    assert mask_text("port 8000, 12345, CUS00000003") == "port 8000, 12345, CUS00000003"


def _passes(response) -> bool:
    return response.status_code == 200 and response.json()["status"] == "pass"


def test_split_mode_serves_each_system_on_its_own_port(tmp_path, world):
    """`make run-split` with PORT=0 and SPLIT_BASE_PORT=0: the parent binds every socket (the gateway's and one per
    system), hands each child its own, and the gateway finds them by BACKOFFICE_*_URL. The children are forks of
    the parent (issue 18: import once, then fork), so the tree's memory is mostly shared."""
    with running_server(tmp_path, args=("--split",), ready=_passes) as server:
        assert set(server.systems) == set(SYSTEMS)
        ports = {int(url.rsplit(":", 1)[1]) for url in server.systems.values()} | {server.port}
        assert len(ports) == len(SYSTEMS) + 1 and 0 not in ports
        text = server.log.read_text()
        for name, url in server.systems.items():
            assert f"  {name:15s} {url}/   (ui /ui/, control /__admin/)" in text  # the human index agrees
        rr = requests.get(f"{server.systems['rr']}/openapi.json").json()
        assert rr["info"]["title"].startswith("RR")
        party = next(p for p in world.tables["parties"] if p["segments"] == "hogar+movil")
        found = requests.get(
            f"{server.base}/api/v1/customers",
            params={"documentNumber": party["document_number"]},
            headers={"Authorization": "Bearer dev-asesor"},
        ).json()
        assert found[0]["id"] == party["customer_id"] and found[0]["degraded"] == []
        children = _children(server.proc.pid)
        assert len(children) == len(SYSTEMS)
        for child in children:  # forked from serve, which imported everything once: none ran a command of its own
            assert _read(child, "cmdline") == _read(server.proc.pid, "cmdline")
        # The pages they share with serve count once in PSS: the whole tree's PSS is well under its RSS (each child
        # importing everything again: ~3/4 of it).
        processes = [server.proc.pid, *children]
        assert sum(_kb(p, "Pss") for p in processes) < 0.6 * sum(_kb(p, "Rss") for p in processes)
        assert server.stop() == 0
    with pytest.raises(requests.ConnectionError):
        requests.get(f"{server.systems['rr']}/openapi.json", timeout=2)


def test_sigterm_stops_split_mode_and_every_system_with_it(tmp_path):
    """`kill PID` (SIGTERM, as a service manager stops it) on split mode's parent: every system's process stops with
    it (uvicorn raised SIGTERM again after its shutdown, and the default handler ended the parent there, its children
    left running), and the exit code says SIGTERM, as a shell reports it."""
    with running_server(tmp_path, args=("--split",), ready=_passes) as server:
        children = _children(server.proc.pid)
        assert len(children) == len(SYSTEMS)
        server.proc.send_signal(signal.SIGTERM)
        assert server.proc.wait(timeout=120) == 128 + signal.SIGTERM
        assert _children_gone(children), "every system stopped before its parent exited"
        assert server.log.read_text().rstrip().endswith("Stopped.")
    with pytest.raises(requests.ConnectionError):
        requests.get(f"{server.systems['rr']}/openapi.json", timeout=2)


def test_split_mode_builds_a_fresh_var_dirs_world_once_before_forking_the_systems(tmp_path):
    """Issue 18: on a fresh VAR_DIR, the world is built once, by a preparation that ends before any system's process
    is forked, and each system's process finds its template on disk, as on a warm VAR_DIR. Built in each system's
    process after the fork instead, it took each one's heap to ~49 MB rather than ~23 (681 MB of PSS in all)."""
    assert not (tmp_path / "var").exists()
    with running_server(tmp_path, args=("--split",), ready=_passes) as server:
        assert server.stop() == 0
    text = server.log.read_text()
    builds = [line for line in text.splitlines() if "building the world" in line]
    assert len(builds) == 1 and " INFO split-prepare: " in builds[0], builds
    for system in SYSTEMS:  # every system's own log lines are there: none of them built the world
        assert f" INFO {system}: " in text, system
        assert list((tmp_path / "var" / "templates" / system).glob("*.sqlite")), system


def test_split_mode_stops_with_a_message_when_the_preparation_fails(tmp_path):
    """The preparation that seeds a fresh VAR_DIR before the systems are forked fails (here VAR_DIR is a file): split
    mode stops, saying so, before any system starts (each system failing on its own left the parent waiting)."""
    (tmp_path / "var").write_text("not a folder")
    env = {k: v for k, v in os.environ.items() if k != "GATEWAY_URL" and not k.startswith("BACKOFFICE_")}
    env.update(HOST="127.0.0.1", PORT="0", SPLIT_BASE_PORT="0", VAR_DIR=str(tmp_path / "var"))
    # A generous bound for a start that stops before any system is forked: had it served, this would time out.
    done = subprocess.run(
        [sys.executable, "-m", "claro_backoffice.serve", "--split"],
        cwd=Path(__file__).resolve().parent.parent,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 1, done.stdout + done.stderr
    assert "serve: split mode's preparation exited with 1 before any system started" in done.stderr, done.stderr
    assert "Split mode. Serving:" not in done.stdout


def _children_gone(pids: list[int]) -> bool:
    """None of `pids` is still running (a zombie, exited but not yet reaped by anyone, counts as stopped)."""
    for pid in pids:
        with contextlib.suppress(FileNotFoundError):
            if _read(pid, "stat").rsplit(b")", 1)[1].split()[0] != b"Z":
                return False
    return True


def _read(pid: int, name: str) -> bytes:
    return (Path("/proc") / str(pid) / name).read_bytes()


def _children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        with contextlib.suppress(OSError, ValueError):  # gone meanwhile, or not a process
            if int(entry.name) and int(_read(int(entry.name), "stat").rsplit(b")", 1)[1].split()[1]) == pid:
                found.append(int(entry.name))
    return found


def _kb(pid: int, field: str) -> int:
    """A field of /proc/PID/smaps_rollup, in kB."""
    line = next(x for x in _read(pid, "smaps_rollup").decode().splitlines() if x.startswith(f"{field}:"))
    return int(line.split()[1])


def test_a_world_cache_keeps_only_recent_worlds():
    from claro_backoffice.mocks.kit.worlds import WorldCache
    from claro_backoffice.world.config import WorldConfig

    cache = WorldCache(max_worlds=2)
    first = cache.get(WorldConfig(seed=1, size=40))
    cache.get(WorldConfig(seed=2, size=40))
    assert cache.get(WorldConfig(seed=1, size=40)) is first
    cache.get(WorldConfig(seed=3, size=40))  # evicts seed 2, the least recently used
    assert cache.get(WorldConfig(seed=1, size=40)) is first
    assert len(cache._worlds) == 2 and WorldConfig(seed=2, size=40) not in cache._worlds


def test_what_was_built_to_start_is_frozen_before_the_server_serves(monkeypatch):
    """A full garbage collection walked every object built at start (specs, validators, apps) with every thread
    stopped, 250-350 ms several times a minute under load: the p99 of every request (issue 18). Those objects are
    frozen before serving, so a collection under load walks only what serving made."""
    import gc

    from claro_backoffice import serve

    seen = {}

    def serving(app, sock):
        seen["frozen"] = gc.get_freeze_count()
        seen["garbage"] = gc.collect()  # nothing was left uncollected at the freeze: only what came after, none

    monkeypatch.setattr(serve, "_serve", serving)
    monkeypatch.setattr(serve.IdleHousekeeping, "stop", lambda self: None)
    built = [{"built": n} for n in range(50_000)]  # stands for the apps: alive when serving starts
    try:
        assert gc.get_freeze_count() == 0
        serve._serve_with_housekeeping(object(), sock=None, tasks=[], sweeps=[])
        assert seen["frozen"] >= len(built)
        assert seen["garbage"] == 0
    finally:
        gc.unfreeze()


@pytest.mark.parametrize(
    ("elsewhere", "in_turn"), [({}, True), ({"BACKOFFICE_SARA_URL": "http://10.0.0.9:9000"}, False)]
)
def test_the_gateway_fans_out_in_turn_only_when_it_serves_every_system_itself(
    tmp_path_factory, tmp_path, elsewhere, in_turn
):
    """Calls to systems in its own process share one GIL (gateway/services/fanout.py); one system elsewhere, and a
    fan-out's calls go out at once again. (The mocks' VAR_DIR is shared by both cases: built once.)"""
    from claro_backoffice import serve
    from claro_backoffice.console.settings import ConsoleSettings
    from claro_backoffice.gateway.settings import GatewaySettings
    from claro_backoffice.mocks.kit.settings import MockSettings

    env = {"PORT": "8765", "VAR_DIR": str(tmp_path_factory.getbasetemp() / "fan-out-mocks"), **elsewhere}
    root = serve.create_root(
        MockSettings.from_env(env),
        gateway_settings=GatewaySettings.from_env(env, var_dir=tmp_path / "gateway"),
        serving=("127.0.0.1", 8765),
        console_settings=ConsoleSettings.from_env(env),
    )
    try:
        assert root.state.gateway.runtime.executor.in_turn == (serve.FANOUT_IN_TURN if in_turn else None)
    finally:
        root.state.gateway.runtime.close()
        root.state.in_process.close()
