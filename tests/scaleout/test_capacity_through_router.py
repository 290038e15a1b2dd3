"""`python -m benchmarks.capacity --replicas N` measures a class through nginx in front of N servers: its simulated
trainees sign in to the console as a browser does behind the router (README "Scaling out"), handed over to their
sandbox's replica when it is not `default`'s, or every poll would land on the wrong replica and be sent to sign in.
A module of its own: the other scale-out modules stop the cluster's router or a replica at their end."""

from __future__ import annotations

import pytest
import requests

from tests.scaleout.cluster import answering_replica, own_sandboxes

pytestmark = pytest.mark.scaleout


def test_the_capacity_benchmark_signs_its_trainees_in_through_the_router(cluster):
    """`python -m benchmarks.capacity --replicas N`: a trainee whose sandbox hashes to another replica than
    `default`'s follows the handoff as a browser does, and its console's polls reach the sandbox's replica."""
    from benchmarks import capacity

    router, base = cluster.router, cluster.router.base
    default_owner = answering_replica(router, None)
    stamp = next(s for s in (f"t{n}" for n in range(60)) if answering_replica(router, f"cap-{s}-0") != default_owner)
    owner = answering_replica(router, f"cap-{stamp}-0")
    trainee = capacity.enrol(base, 0, stamp)
    try:
        assert trainee.sandbox in own_sandboxes(cluster.urls[owner])
        assert f"claro_sandbox={trainee.sandbox}" in trainee.cookie.split("; ")
        polled = requests.get(
            f"{base}/console/queue/rows",
            headers={"Cookie": trainee.cookie, "Accept": "text/html"},
            allow_redirects=False,
            timeout=120,
        )
        assert polled.status_code == 200 and 'data-testid="queue-row"' not in polled.text, polled.text[:500]
    finally:
        capacity.delete(base, trainee)
