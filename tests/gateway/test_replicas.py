"""REPLICA_ID and PEERS (README "Scaling out"): read from the environment, refused when they can't work; each
replica's CUNs drawn from a range of its own so that no two replicas, each with its own registry, repeat one; the
list of sandboxes on one replica shows its peers' too and names a peer that did not answer.

The replicas here are whole gateways, each with its own var dir, on the one in-process back office; a peer is
reached at a URL of its own that the back office's `responses` forwards to it (attach_gateway)."""

from __future__ import annotations

import contextlib
import re

import pytest

from claro_backoffice.gateway.app import create_app
from claro_backoffice.gateway.settings import GatewaySettings
from tests.gateway.test_pqrs import file_pqr, plant_case
from tests.support.backoffice import GatewayClient
from tests.support.inprocess_client import in_process_client
from tests.support.mocks import TEST_GATEWAY_URL

PEER, DEAD = "http://127.0.0.1:7", "http://127.0.0.1:6"  # nothing listens on either: the back office serves PEER


def test_one_replica_by_default():
    settings = GatewaySettings.from_env({})
    assert (settings.replica_id, settings.peers, settings.replica_number) == (None, (), 0)


def test_the_environment_names_the_replica_and_its_peers():
    settings = GatewaySettings.from_env(
        {"REPLICA_ID": "claro-backoffice-2", "PEERS": " http://10.0.0.1:8000/, http://10.0.0.3:8000 ,"}
    )
    assert settings.replica_id == "claro-backoffice-2" and settings.replica_number == 2
    assert settings.peers == ("http://10.0.0.1:8000", "http://10.0.0.3:8000")


@pytest.mark.parametrize("value", ["R1", "replica", "r100", "r-1x", "-"])
def test_a_replica_id_that_does_not_end_in_its_number_stops_the_start(value):
    with pytest.raises(ValueError, match="REPLICA_ID"):
        GatewaySettings.from_env({"REPLICA_ID": value})


def test_peers_need_a_replica_id_and_base_urls():
    with pytest.raises(ValueError, match="PEERS needs REPLICA_ID"):
        GatewaySettings.from_env({"PEERS": "http://10.0.0.1:8000"})
    with pytest.raises(ValueError, match="'10.0.0.1:8000' is not a base URL"):
        GatewaySettings.from_env({"REPLICA_ID": "r1", "PEERS": "10.0.0.1:8000"})
    with pytest.raises(ValueError, match="is not a base URL"):
        GatewaySettings.from_env({"REPLICA_ID": "r1", "PEERS": "http://10.0.0.1:8000/api/v1"})


@contextlib.contextmanager
def replica(backoffice, folder, replica_id: str | None, *, url: str = TEST_GATEWAY_URL, peers: tuple[str, ...] = ()):
    """A gateway of its own (its own var dir: its own CUN registry, as a replica on another machine has) on the
    shared in-process back office, reached at `url` (None: not reachable)."""
    settings = GatewaySettings(validate_responses=True, var_dir=folder, replica_id=replica_id, peers=peers)
    app = create_app(settings)
    app.sleeps, app.clock = [], None
    with in_process_client(app) as client:
        if url:
            backoffice.attach_gateway(client, url)
        try:
            yield GatewayClient(client, app, backoffice)
        finally:
            if url:
                backoffice.detach_gateway()
            app.runtime.close()


def test_replicas_draw_cuns_from_ranges_of_their_own(backoffice, tmp_path):
    cuns = {}
    for replica_id in (None, "r1", "claro-backoffice-2"):
        with replica(backoffice, tmp_path / str(replica_id), replica_id) as client:
            cuns[replica_id] = [file_pqr(client, plant_case(client))["cun"] for _ in range(2)]
    # 4115, the filing year (the sandbox's clock), then ten digits: the replica's number and its own counter
    assert all(re.fullmatch(r"4115\d{4}\d{10}", c) for listed in cuns.values() for c in listed)
    assert [[c[8:] for c in cuns[r]] for r in (None, "r1", "claro-backoffice-2")] == [
        ["0000000001", "0000000002"],  # one server as before: counting from 1
        ["0100000001", "0100000002"],
        ["0200000001", "0200000002"],
    ]


def test_one_replica_lists_its_peers_sandboxes_and_names_the_one_that_did_not_answer(backoffice, tmp_path):
    with (
        replica(backoffice, tmp_path / "r2", "r2", url=PEER + "/api/v1"),
        replica(backoffice, tmp_path / "r1", "r1", url=None, peers=(PEER, DEAD)) as r1,
    ):
        answer = r1.get("/admin/sandboxes")
        assert answer.status_code == 200, answer.text
        listed = answer.json()
        alone = r1.get("/admin/sandboxes", params={"scope": "replica"}).json()
    # both replicas sit on the same systems here, so each lists the same sandboxes: once per replica
    names = sorted({s["name"] for s in alone["sandboxes"]})
    assert "default" in names and {s["replica"] for s in alone["sandboxes"]} == {"r1"}
    assert [(s["name"], s["replica"]) for s in listed["sandboxes"]] == [(n, r) for n in names for r in ("r1", "r2")]
    [me, peer, dead] = listed["replicas"]
    assert me == {"replica": "r1", "url": None, "outcome": "listed"} and alone["replicas"] == [me]
    assert (peer["replica"], peer["url"], peer["outcome"], peer["degraded"]) == ("r2", PEER, "listed", [])
    assert (dead["replica"], dead["url"], dead["outcome"], dead["status"]) == (None, DEAD, "failed", 503)
    assert dead["detail"].startswith(f"GET {DEAD}/api/v1/admin/sandboxes could not connect")
