"""Three replicas of `serve` behind nginx, on loopback (the `cluster` fixture, module-scoped, in conftest.py): each
replica knows the other two (REPLICA_ID, PEERS), nginx routes with deploy/nginx's template."""

from __future__ import annotations

import contextlib
import dataclasses
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import requests

from tests.scaleout.router import Router, reserved_port
from tests.support.server import Server, running_server

REPLICAS = ("r1", "r2", "r3")
ADMIN = {"Authorization": "Bearer dev-admin"}


@dataclasses.dataclass
class Cluster:
    router: Router
    servers: dict[str, Server]  # replica id -> its serve
    urls: dict[str, str]  # replica id -> its base URL (as in PEERS)


def start_replicas(folder: Path, stack: contextlib.ExitStack) -> tuple[dict[str, Server], dict[str, str]]:
    """The three replicas, started at once, each knowing the other two; their ports reserved until they listen."""
    with contextlib.ExitStack() as reservations:
        ports = {rid: reservations.enter_context(reserved_port()) for rid in REPLICAS}
        urls = {rid: f"http://127.0.0.1:{port}" for rid, port in ports.items()}

        def enter(rid: str):
            peers = ",".join(url for other, url in urls.items() if other != rid)
            env = {"PORT": str(ports[rid]), "REPLICA_ID": rid, "PEERS": peers, "GATEWAY_VALIDATE_RESPONSES": "1"}
            manager = running_server(folder / rid, env=env)
            return manager, manager.__enter__()

        with ThreadPoolExecutor(len(REPLICAS)) as pool:
            futures = {rid: pool.submit(enter, rid) for rid in REPLICAS}
        servers, failure = {}, None
        for rid, future in futures.items():
            try:
                manager, servers[rid] = future.result()
                stack.push(manager)  # stopped with the cluster
            except BaseException as exc:  # noqa: B036 - pytest.fail in a thread: re-raised once the others are kept
                failure = failure or exc
        if failure:
            raise failure
    return servers, urls


def answering_replica(router: Router, sandbox: str | None) -> str:
    """Which replica the router sends `sandbox`'s requests to (or, None, those naming no sandbox)."""
    headers = ADMIN | ({"X-Sandbox": sandbox} if sandbox else {})
    answer = requests.get(
        f"{router.base}/api/v1/admin/sandboxes", params={"scope": "replica"}, headers=headers, timeout=60
    )
    assert answer.status_code == 200, answer.text
    [own] = answer.json()["replicas"]
    return own["replica"]


def own_sandboxes(url: str) -> set[str]:
    """The sandboxes one replica has (asked directly, not through the router)."""
    answer = requests.get(f"{url}/api/v1/admin/sandboxes", params={"scope": "replica"}, headers=ADMIN, timeout=60)
    assert answer.status_code == 200, answer.text
    return {s["name"] for s in answer.json()["sandboxes"]}
