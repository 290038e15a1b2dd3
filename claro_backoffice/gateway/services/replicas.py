"""The other replicas (PEERS, README "Scaling out"): each owns the sandboxes a router sends to it, so a list of
every sandbox asks each peer for its own (`GET /api/v1/admin/sandboxes?scope=replica`, with the caller's token:
replicas share their configuration) and merges the answers. A peer that does not answer is named with why, never
silently left out. Peers are not systems of the back office: no adapter, retries or breaker, one plain call each.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from concurrent.futures import Executor

import requests

LIST_PATH = "/api/v1/admin/sandboxes"


def _ask(peer: str, headers: Mapping[str, str], timeouts: tuple[float, float]) -> dict:
    """One peer's own sandboxes, or why it could not say (outcome `failed`, with the status a gateway would map
    the failure to: 504 timeout, 503 refused, 502 anything else, or the peer's own 4xx)."""
    url = peer + LIST_PATH
    try:
        answer = requests.get(url, params={"scope": "replica"}, headers=dict(headers), timeout=timeouts)
    except requests.Timeout:
        return _failed(peer, 504, f"GET {url} timed out")
    except requests.ConnectionError as exc:
        return _failed(peer, 503, f"GET {url} could not connect: {type(exc).__name__}")
    try:
        body = answer.json()
    except ValueError:
        body = None
    if answer.status_code != 200 or not isinstance(body, dict) or not isinstance(body.get("sandboxes"), list):
        detail = body.get("detail") if isinstance(body, dict) else None
        status = answer.status_code if 400 <= answer.status_code < 500 else 502
        return _failed(peer, status, f"GET {url} answered {answer.status_code}" + (f": {detail}" if detail else ""))
    own: dict = next((r for r in body.get("replicas") or [] if r.get("url") is None), {})
    return {
        "replica": own.get("replica"),
        "url": peer,
        "outcome": "listed",
        "sandboxes": body["sandboxes"],
        "degraded": body.get("degraded") or [],
    }


def _failed(peer: str, status: int, detail: str) -> dict:
    return {"replica": None, "url": peer, "outcome": "failed", "status": status, "detail": detail}


def ask_peers(
    executor: Executor, peers: Sequence[str], headers: Mapping[str, str], timeouts: tuple[float, float]
) -> list[dict]:
    """Each peer's answer, in PEERS order, asked concurrently."""
    futures = [executor.submit(_ask, peer, headers, timeouts) for peer in peers]
    return [future.result() for future in futures]


def merge(own: dict, replica_id: str | None, peers: list[dict]) -> dict:
    """This replica's list and its peers' as one: every sandbox entry says its replica; `replicas` says who
    answered (this one first, its `url` null); a peer's degraded systems are its own and stay in its entry."""
    sandboxes = [entry | {"replica": replica_id} for entry in own["sandboxes"]]
    replicas = [{"replica": replica_id, "url": None, "outcome": "listed"}]
    for answer in peers:
        sandboxes += [entry | {"replica": answer["replica"]} for entry in answer.pop("sandboxes", [])]
        replicas.append(answer)
    sandboxes.sort(key=lambda e: (e["name"], e["replica"] or ""))
    return {"sandboxes": sandboxes, "degraded": own["degraded"], "replicas": replicas}
