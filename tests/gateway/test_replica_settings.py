"""REPLICA_ID and PEERS (README "Scaling out"): read from the environment, refused when they can't work, and each
replica's CUNs drawn from a range of its own so that no two replicas, each with its own registry, repeat one."""

from __future__ import annotations

import contextlib
import re

import pytest

from gateway.app import create_app
from gateway.settings import GatewaySettings
from tests.gateway.test_pqrs import file_pqr, plant_case
from tests.support.backoffice import GatewayClient
from tests.support.inprocess_client import in_process_client


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
def replica(backoffice, folder, replica_id: str | None):
    """A gateway of its own (its own var dir: its own CUN registry, as a replica on another machine has) on the
    shared in-process back office."""
    settings = GatewaySettings(validate_responses=True, var_dir=folder, replica_id=replica_id)
    app = create_app(settings)
    app.sleeps, app.clock = [], None
    with in_process_client(app) as client:
        backoffice.attach_gateway(client)
        try:
            yield GatewayClient(client, app, backoffice)
        finally:
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
