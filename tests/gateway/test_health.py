"""GET /health: each system's reachability and latency, probed concurrently, and what stands in the way in a
sandbox (X-Sandbox); GET /health/ready: whether every system has started."""

from __future__ import annotations

import pytest

from claro_backoffice.core.systems import SYSTEMS
from tests.support.inprocess_client import in_process_client


def test_all_up_is_a_pass_with_a_latency_per_system(gateway_client):
    gateway_client.backoffice.meet(2)
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


# ---- a sandbox's health: circuits and faults (X-Sandbox) ----------------------------------------------------------
def test_a_fault_planted_in_the_sandbox_is_a_warn_with_its_reason(gateway_client):
    added = gateway_client.post(
        "/admin/faults", json={"system": "rr", "kind": "error", "status": 503, "path": "/accounts/*", "count": 2}
    ).json()
    body = gateway_client.get("/health", token=None).json()
    assert body["status"] == "warn" and body["sandbox"] == "default"
    warned = {s["system"]: s for s in body["systems"] if s["status"] == "warn"}
    assert list(warned) == ["rr"]
    assert warned["rr"]["reasons"] == [
        f"fault {added['id']} planted in sandbox: error 503 on * /accounts/*, 2 more time(s)"
    ]
    assert all(s["status"] == "up" for s in body["systems"] if s["system"] != "rr")


def test_faults_of_another_sandbox_dont_show(gateway_client):
    assert gateway_client.post("/admin/sandboxes", json={"name": "health-other"}).status_code == 201
    try:
        gateway_client.post("/admin/faults", sandbox="health-other", json={"system": "ac", "kind": "timeout"})
        assert gateway_client.get("/health", token=None).json()["status"] == "pass"
        other = gateway_client.get("/health", token=None, sandbox="health-other").json()
        assert other["sandbox"] == "health-other" and other["status"] == "warn"
        assert [s["system"] for s in other["systems"] if s["status"] == "warn"] == ["ac"]
    finally:
        gateway_client.delete("/admin/sandboxes/health-other")


def test_an_open_circuit_is_a_warn_with_its_reason(gateway_client):
    gateway_client.post("/admin/faults", json={"system": "rr", "kind": "error", "status": 500, "path": "/accounts/*"})
    for _ in range(5):  # GATEWAY_BREAKER_THRESHOLD: five failed calls open rr's circuit for `default`
        assert gateway_client.get("/billingAccounts/20150259", token="dev-asesor").status_code == 502
    assert gateway_client.get("/billingAccounts/20150259", token="dev-asesor").json()["type"].endswith("/circuit-open")
    gateway_client.delete("/admin/faults")
    body = gateway_client.get("/health", token=None).json()
    rr = next(s for s in body["systems"] if s["system"] == "rr")
    assert body["status"] == "warn" and rr["status"] == "warn"
    assert len(rr["reasons"]) == 1 and rr["reasons"][0].startswith("circuit open for sandbox 'default'")
    gateway_client.clock.advance(31)  # GATEWAY_BREAKER_OPEN_SECONDS (30) later the next call is a trial
    rr = next(s for s in gateway_client.get("/health", token=None).json()["systems"] if s["system"] == "rr")
    assert rr["status"] == "warn" and rr["reasons"][0].startswith("circuit half-open for sandbox 'default'")
    assert gateway_client.get("/billingAccounts/20150259", token="dev-asesor").status_code == 200
    assert gateway_client.get("/health", token=None).json()["status"] == "pass", "the trial closed it"


def test_the_health_of_an_unknown_sandbox_is_a_404_that_creates_nothing(gateway_client):
    response = gateway_client.get("/health", token=None, sandbox="no-such-place")
    assert response.status_code == 404 and response.json()["type"].endswith("/unknown-sandbox")
    assert "POST /admin/sandboxes" in response.json()["detail"]
    assert not any("no-such-place" in str(p) for p in gateway_client.app.runtime.settings.var_dir.rglob("*"))


# ---- readiness ---------------------------------------------------------------------------------------------------
@pytest.fixture
def fresh_gateway(backoffice, tmp_path):
    """A gateway that has never been asked whether it is ready (readiness is remembered per app)."""
    from claro_backoffice.gateway.app import create_app
    from claro_backoffice.gateway.settings import GatewaySettings

    app = create_app(GatewaySettings(validate_responses=True, var_dir=tmp_path))
    with in_process_client(app) as client:
        yield client
    app.runtime.close()


def test_ready_is_503_until_every_system_has_started_then_200_whatever_happens(fresh_gateway, backoffice):
    backoffice.refuse("almabi", "dime")
    starting = fresh_gateway.get("/health/ready")
    assert starting.status_code == 503 and starting.json()["status"] == "starting"
    assert [s["system"] for s in starting.json()["systems"] if not s["started"]] == ["dime", "almabi"]
    backoffice.accept("dime")
    assert [s["system"] for s in fresh_gateway.get("/health/ready").json()["systems"] if not s["started"]] == ["almabi"]
    backoffice.accept()
    backoffice.calls.clear()
    ready = fresh_gateway.get("/health/ready")
    assert ready.status_code == 200 and ready.json()["status"] == "ready"
    assert [c.system for c in backoffice.calls] == ["almabi"], "systems seen started are not asked again"
    backoffice.client("rr").post("/__admin/faults", json={"kind": "error", "status": 503})
    backoffice.refuse("ac")
    assert fresh_gateway.get("/health/ready").status_code == 200, "faults and failures later don't un-ready it"
    assert fresh_gateway.get("/health").json()["status"] == "warn"
