"""var/ stops growing under a steady load: Meta's webhook deliveries and the event log keep their newest rows
(MOCK_DELIVERY_RETENTION, EVENT_LOG_RETENTION, MOCK_JOURNAL_LIMIT small here) and the idle housekeeping truncates
every WAL the process writes. 200 light flows in one sandbox: the customer greets and declines consent through
Meta's simulator (inbound and status webhooks, the bot's answers through the Graph API), and the advisor takes a
Familia y Amigos number off a line and puts it back (two PortalPAC events). Measured here: about 15-30 s on a
loaded 2-core machine for the 200 flows, 4 s to seed the mocks."""

from __future__ import annotations

from pathlib import Path

import pytest

from claro_backoffice.core.idle import IdleHousekeeping
from claro_backoffice.core.systems import SYSTEMS
from claro_backoffice.gateway.app import create_app
from claro_backoffice.gateway.backoffice import BackofficeHttp
from claro_backoffice.gateway.settings import GatewaySettings
from claro_backoffice.serve import wal_checkpoints
from tests.support.backoffice import FakeClock, InProcessBackoffice
from tests.support.inprocess_client import in_process_client
from tests.support.mocks import create_mock

KEEP = 20
WA_ID = "573130568954"  # a premium customer (CUS00000003)
LINE = "3231282870"  # a mobile line whose plan allows Familia y Amigos numbers
ADMIN = {"Authorization": "Bearer dev-admin"}


def _size(folder: Path) -> int:
    return sum(f.stat().st_size for f in folder.rglob("*") if f.is_file())


def _wal_sizes(folder: Path) -> dict:
    return {str(f.relative_to(folder)): f.stat().st_size for f in folder.rglob("*-wal")}


@pytest.fixture(scope="module")
def small_retention(tmp_path_factory, worlds):
    var = tmp_path_factory.mktemp("growth")
    apps = {
        s: create_mock(s, var, worlds, delivery_retention=KEEP, event_retention=KEEP, journal_limit=KEEP)
        for s in SYSTEMS
    }
    gateway = create_app(
        GatewaySettings(var_dir=var / "gateway"), BackofficeHttp(sleep=lambda _s: None, clock=FakeClock())
    )
    yield var, apps, gateway
    gateway.runtime.close()


def test_var_stays_the_same_size_from_100_to_200_flows(small_retention):
    var, apps, gateway = small_retention
    clock = FakeClock()
    housekeeping = IdleHousekeeping(None, wal_checkpoints(gateway, apps.values()), idle_seconds=30, clock=clock)

    def idle_checkpoint():
        housekeeping.activity()  # the in-process calls go around its middleware
        clock.advance(30)
        assert housekeeping.tick()

    sizes = {}
    with InProcessBackoffice(apps) as office, in_process_client(gateway) as client:
        office.attach_gateway(client)
        meta = office.client("meta")
        for flow in range(1, 201):
            for text in ("Hola", "NO"):
                said = meta.post(f"/simulator/customers/{WA_ID}/messages", json={"text": text})
                assert said.status_code == 201 and said.json()["delivery"]["status_code"] == 200, said.text
            number = client.get(f"/lines/{LINE}/friendsAndFamily", headers=ADMIN).json()["numbers"][0]["number"]
            assert client.delete(f"/lines/{LINE}/friendsAndFamily/{number}", headers=ADMIN).status_code in (200, 204)
            assert client.post(
                f"/lines/{LINE}/friendsAndFamily", headers=ADMIN, json={"number": number}
            ).status_code in (200, 201)
            if flow in (100, 200):
                idle_checkpoint()
                assert set(_wal_sizes(var).values()) <= {0}, f"every WAL truncated: {_wal_sizes(var)}"
                sizes[flow] = _size(var)
        deliveries = meta.get("/simulator/deliveries", params={"limit": 100}).json()["deliveries"]
    assert len(deliveries) == KEEP
    events = apps["portalpac"].runtime.store.events("default").read()
    assert [e["id"] for e in events] == list(range(381, 401))  # 2 per flow: the newest 20 of 400
    assert sizes[200] <= sizes[100] * 1.10, f"var/ grew from {sizes[100]} to {sizes[200]} bytes"
