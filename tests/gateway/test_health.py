"""GET /health: each system's reachability and latency, probed concurrently."""
from __future__ import annotations

from gateway.settings import SYSTEMS


def test_all_up_is_a_pass_with_a_latency_per_system(gateway_client):
    body = gateway_client.get("/health", token=None).json()
    assert body["status"] == "pass"
    assert [s["system"] for s in body["systems"]] == list(SYSTEMS)
    assert all(s["status"] == "up" and s["latencyMs"] >= 0 for s in body["systems"])
    assert gateway_client.backoffice.max_in_flight >= 2, "the systems are probed concurrently"


def test_a_system_down_is_a_warn_naming_it(gateway_client):
    gateway_client.backoffice.refuse("paradigma")
    body = gateway_client.get("/health", token=None).json()
    assert body["status"] == "warn"
    down = [s for s in body["systems"] if s["status"] == "down"]
    assert [s["system"] for s in down] == ["paradigma"] and "paradigma" in down[0]["detail"]
    assert len(gateway_client.backoffice.calls_to("paradigma")) == 1, "a probe is never retried"


def test_all_down_is_a_fail(gateway_client):
    gateway_client.backoffice.refuse(*SYSTEMS)
    body = gateway_client.get("/health", token=None).json()
    assert body["status"] == "fail" and {s["status"] for s in body["systems"]} == {"down"}
