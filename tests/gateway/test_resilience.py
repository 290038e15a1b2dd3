"""Retries (idempotent calls only, counted in the system's journal), backoff without waiting, the circuit breaker
per (system, sandbox), and the 360's concurrency proved without timing."""

from __future__ import annotations

import datetime as dt

import pytest

from claro_backoffice.gateway.backoffice.base import CallContext
from claro_backoffice.gateway.errors import DownstreamError

ACCOUNT = "20150259"  # a home account of CUS00000006 (document 1025948177), who also has mobile lines
DEFAULT = CallContext("default")


def _fault(gateway_client, **rule):
    assert gateway_client.post("/admin/faults", json=rule).status_code == 201


def _journal(gateway_client, system, method=None):
    """Oldest first (the journal lists newest first)."""
    entries = gateway_client.get("/admin/journal", params={"system": system}).json()["entries"][::-1]
    return [e for e in entries if method is None or e["method"] == method]


def test_an_idempotent_call_is_retried_with_backoff_and_then_succeeds(gateway_client):
    _fault(gateway_client, system="rr", method="GET", path="/accounts/*", kind="error", status=503, count=2)
    response = gateway_client.get(f"/billingAccounts/{ACCOUNT}")
    assert response.status_code == 200
    assert [e["status"] for e in _journal(gateway_client, "rr", "GET") if e["path"].startswith("/accounts/")] == [
        503,
        503,
        200,
    ]
    # Equal jitter with the fixture's draw of 0.5: 0.1 × (1/2 + 1/2 × 0.5), then 0.2 × 3/4; never really slept.
    assert gateway_client.sleeps == pytest.approx([0.075, 0.15])


def test_retries_give_up_after_the_configured_count(gateway_client):
    _fault(gateway_client, system="rr", method="GET", path="/accounts/*", kind="timeout")
    assert gateway_client.get(f"/billingAccounts/{ACCOUNT}").status_code == 504
    settings = gateway_client.app.runtime.settings
    assert len(gateway_client.backoffice.calls_to("rr", "GET")) == 1 + settings.retries


def test_a_post_is_never_retried(gateway_client):
    rr = gateway_client.app.runtime.backoffice.rr
    _fault(gateway_client, system="rr", method="POST", path="/accounts/*/markings", kind="error", status=503)
    with pytest.raises(DownstreamError) as failed:
        rr.create_marking(DEFAULT, ACCOUNT, code="SOP-INT-01", advisor="asesor.premium01", notes="Sin señal")
    assert failed.value.status == 502 and failed.value.system == "rr"
    assert len(_journal(gateway_client, "rr", "POST")) == 1
    assert gateway_client.sleeps == []
    gateway_client.delete("/admin/faults", params={"system": "rr"})
    marking = rr.create_marking(DEFAULT, ACCOUNT, code="SOP-INT-01", advisor="asesor.premium01", notes="Sin señal")
    assert marking["accountNumber"] == ACCOUNT and marking["code"] == "SOP-INT-01"


def test_the_breaker_opens_after_n_failures_then_half_opens_and_closes(gateway_client):
    runtime = gateway_client.app.runtime
    threshold, rr = runtime.settings.breaker_threshold, runtime.backoffice.rr
    _fault(gateway_client, system="rr", method="GET", path="/accounts/*", kind="error", status=500)
    for _ in range(threshold):
        assert gateway_client.get(f"/billingAccounts/{ACCOUNT}").status_code == 502
    assert rr.breaker.state("default") == "open"
    calls = len(gateway_client.backoffice.calls_to("rr"))
    fast = gateway_client.get(f"/billingAccounts/{ACCOUNT}")
    assert fast.status_code == 503 and fast.json()["type"].endswith("/circuit-open") and fast.json()["system"] == "rr"
    assert len(gateway_client.backoffice.calls_to("rr")) == calls, "an open circuit makes no call"
    # Another sandbox has its own circuit: training is not affected by default's failures.
    assert gateway_client.post("/admin/sandboxes", json={"name": "breaker-iso"}).status_code == 201
    assert gateway_client.get(f"/billingAccounts/{ACCOUNT}", sandbox="breaker-iso").status_code == 200
    # After open_seconds one trial goes through: still failing -> open again; healed -> closed.
    gateway_client.clock.advance(runtime.settings.breaker_open_seconds + 1)
    assert rr.breaker.state("default") == "half-open"
    assert gateway_client.get(f"/billingAccounts/{ACCOUNT}").status_code == 502
    assert rr.breaker.state("default") == "open"
    gateway_client.delete("/admin/faults", params={"system": "rr"})
    gateway_client.clock.advance(runtime.settings.breaker_open_seconds + 1)
    assert gateway_client.get(f"/billingAccounts/{ACCOUNT}").status_code == 200
    assert rr.breaker.state("default") == "closed"
    gateway_client.delete("/admin/sandboxes/breaker-iso")


def test_breakers_can_be_reset(gateway_client):
    runtime = gateway_client.app.runtime
    _fault(gateway_client, system="ac", method="GET", kind="error", status=500)
    for _ in range(runtime.settings.breaker_threshold):
        gateway_client.get("/billingAccounts/1523884606")
    assert runtime.backoffice.ac.breaker.state("default") == "open"
    gateway_client.delete("/admin/faults", params={"system": "ac"})
    runtime.backoffice.reset_breakers()
    assert runtime.backoffice.ac.breaker.state("default") == "closed"
    assert gateway_client.get("/billingAccounts/1523884606").status_code == 200


def _interval(entry):
    end = dt.datetime.fromisoformat(entry["at"])
    return end - dt.timedelta(milliseconds=entry["durationMs"]), end


def test_the_360_calls_rr_and_ac_concurrently(gateway_client):
    """Each system holds its calls 300 ms: called one after the other they could never overlap."""
    for system in ("rr", "ac"):
        _fault(gateway_client, system=system, method="GET", kind="delay", delayMs=300)
    gateway_client.backoffice.meet(2)
    response = gateway_client.get("/customers", params={"documentNumber": "1025948177"})
    assert response.status_code == 200 and response.json()[0]["systems"] == ["rr", "ac"]
    assert gateway_client.backoffice.max_in_flight >= 2
    first = {s: min(_journal(gateway_client, s, "GET"), key=lambda e: e["at"]) for s in ("rr", "ac")}
    (rr_start, rr_end), (ac_start, ac_end) = _interval(first["rr"]), _interval(first["ac"])
    assert rr_start < ac_end and ac_start < rr_end, "the RR and AC searches overlap in time"
