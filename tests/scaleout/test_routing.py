"""Three replicas of `serve` behind nginx (deploy/nginx/claro-backoffice.conf), on loopback: 30 sandboxes in ten
training classes (`aula-N--trainee`) are created and each plays a short case through the router (a customer lookup,
a case opened, a PQR filed: a CUN written). Every request of a sandbox reached one replica, the one its class hashes
to; no CUN repeats; with one replica stopped only its sandboxes fail (502 from the router, never a 404 from another
replica), the others keep 0 errors, and the list of sandboxes shows every live one and names the dead replica.

Which replica a class lands on depends on the replicas' addresses (random ports), so the classes are chosen by
asking the router (GET /admin/sandboxes?scope=replica says which replica answered) until every replica has some.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import pytest
import requests

from tests.flow.driver import OverHttp
from tests.flow.flows import new_sandbox, start
from tests.scaleout.cluster import ADMIN, REPLICAS, own_sandboxes
from tests.scaleout.cluster import answering_replica as _answering_replica
from tests.scaleout.router import Router

pytestmark = pytest.mark.scaleout

TRAINEES = ("ana", "luis", "sofia")
CLASSES = 10  # x 3 trainees: 30 sandboxes
SCENARIO = "unrecognised-charge"  # a billing claim: its case gets a PQR, so a CUN


def _classes(router: Router) -> dict[str, str]:
    """CLASSES class names -> the replica each lands on, every replica with at least one."""
    landed = {f"aula-{n}": _answering_replica(router, f"aula-{n}") for n in range(1, 61)}
    chosen = {}
    for rid in REPLICAS:
        first = next((name for name, where in landed.items() if where == rid), None)
        assert first, f"none of 60 class names lands on {rid}: {landed}"
        chosen[first] = rid
    for name, where in landed.items():
        if len(chosen) < CLASSES:
            chosen.setdefault(name, where)
    return chosen


def _play(base: str, sandbox: str) -> str:
    """Create the sandbox through the router and play a short case in it: the CUN its PQR got."""
    with requests.Session() as session:
        d = new_sandbox(OverHttp(base, session=session), sandbox)
        run = start(d, SCENARIO)  # the customer writes, an asesor takes the chat, validates them, opens the case
        document = run.customer["document"]["number"]
        [found] = d.ok("GET", "/customers", params={"documentNumber": document})
        assert found["id"] == run.customer["customerId"]
        pqr = run.gw("POST", f"/cases/{run.case}/pqr", 201, json={"description": "Cobro no reconocido en la factura"})
        return pqr["externalId"]


def test_sandboxes_stay_on_their_replica_and_a_dead_replica_fails_only_its_own(cluster):
    router = cluster.router
    default_owner = _answering_replica(router, None)
    classes = _classes(router)
    owner = {f"{c}--{t}": rid for c, rid in classes.items() for t in TRAINEES}
    assert len(owner) == 30

    with ThreadPoolExecutor(4) as pool:
        cuns = dict(zip(owner, pool.map(lambda name: _play(router.base, name), owner), strict=True))

    # Each sandbox exists on the replica its class hashes to, and only there.
    own = {rid: own_sandboxes(url) for rid, url in cluster.urls.items()}
    for sandbox, rid in owner.items():
        assert [r for r in REPLICAS if sandbox in own[r]] == [rid], sandbox
    # No CUN repeats, and each carries its replica's number (r2: sequence 02xxxxxxxx)
    assert len(set(cuns.values())) == 30
    assert all(cun[8:10] == f"{int(owner[s][1:]):02d}" for s, cun in cuns.items()), cuns

    # One replica stops (not the one that owns `default`, which answers the list): only its sandboxes fail.
    dead = next(rid for rid in REPLICAS if rid != default_owner and rid in classes.values())
    assert cluster.servers[dead].stop() == 0
    errors: dict[str, list] = {"dead": [], "live": []}
    for sandbox, rid in owner.items():
        answer = requests.get(f"{router.base}/api/v1/conversations", headers=ADMIN | {"X-Sandbox": sandbox}, timeout=60)
        if rid == dead:
            assert answer.status_code == 502 and answer.headers["content-type"] == "application/problem+json"
            assert answer.json()["type"].endswith("/replica-unavailable")
            assert f"sandbox group {sandbox.split('--')[0]} did not answer" in answer.json()["detail"]
            errors["dead"].append(sandbox)
        elif answer.status_code != 200 or answer.json()["total"] != 1:
            errors["live"].append((sandbox, answer.status_code, answer.text[:200]))
    assert errors["live"] == [] and sorted(errors["dead"]) == sorted(s for s, r in owner.items() if r == dead)

    listed = requests.get(f"{router.base}/api/v1/admin/sandboxes", headers=ADMIN, timeout=60).json()
    shown = {(s["name"], s["replica"]) for s in listed["sandboxes"]}
    assert {(s, r) for s, r in owner.items() if r != dead} <= shown
    assert not {s for s, r in shown if r == dead}
    [named] = [r for r in listed["replicas"] if r["url"] == cluster.urls[dead]]
    assert (named["outcome"], named["status"], named["replica"]) == ("failed", 503, None)
    assert {r["replica"] for r in listed["replicas"] if r["outcome"] == "listed"} == set(REPLICAS) - {dead}

    # Every request of a sandbox, the failed ones included, went to one replica: its owner.
    router.stop()
    address = {rid: url.removeprefix("http://") for rid, url in cluster.urls.items()}
    went: dict[str, set[str]] = {}
    for sandbox, upstream, _status, _request in router.routed():
        went.setdefault(sandbox, set()).add(upstream)
    assert {s: went.get(s) for s in owner} == {s: {address[rid]} for s, rid in owner.items()}
