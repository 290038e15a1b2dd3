"""Administration fanned out to every system's control API: sandboxes, clock, faults, journal."""

from __future__ import annotations

import pytest

from claro_backoffice.core.systems import SYSTEMS
from tests.support.cases import plant_case

ACCOUNT = "20150259"


@pytest.fixture
def sandbox(gateway_client):
    name = "admin-test"
    response = gateway_client.post("/admin/sandboxes", json={"name": name})
    assert response.status_code == 201, response.text
    yield name
    gateway_client.delete(f"/admin/sandboxes/{name}")


def _names(client) -> set:
    return {s["name"] for s in client.get("/__admin/sandboxes").json()["sandboxes"]}


def test_a_sandbox_is_created_in_every_system_and_listed(gateway_client, sandbox):
    for system in SYSTEMS:
        assert sandbox in _names(gateway_client.backoffice.client(system)), system
    listed = {s["name"]: s for s in gateway_client.get("/admin/sandboxes").json()["sandboxes"]}
    assert listed[sandbox]["systems"] == list(SYSTEMS) and listed[sandbox]["missingIn"] == []
    again = gateway_client.post("/admin/sandboxes", json={"name": sandbox})
    assert again.status_code == 409 and {r["outcome"] for r in again.json()["results"]} == {"exists"}


def test_a_sandbox_missing_in_some_systems_is_completed_and_named(gateway_client, sandbox):
    gateway_client.backoffice.client("cci").delete(f"/__admin/sandboxes/{sandbox}")
    listed = {s["name"]: s for s in gateway_client.get("/admin/sandboxes").json()["sandboxes"]}
    assert listed[sandbox]["missingIn"] == ["cci"]
    created = gateway_client.post("/admin/sandboxes", json={"name": sandbox})
    assert created.status_code == 201
    outcomes = {r["system"]: r["outcome"] for r in created.json()["results"]}
    assert outcomes["cci"] == "created" and outcomes["rr"] == "exists"


def test_data_written_in_a_sandbox_does_not_leak(gateway_client, sandbox):
    suspend = {
        "changes": [
            {"table": "accounts", "update": {"where": {"account_number": ACCOUNT}, "set": {"status": "suspendido"}}}
        ]
    }
    rr = gateway_client.backoffice.client("rr")
    assert rr.post("/__admin/fixtures", json=suspend, headers={"X-Sandbox": sandbox}).status_code == 200
    assert gateway_client.get(f"/billingAccounts/{ACCOUNT}", sandbox=sandbox).json()["state"] == "Suspended"
    assert gateway_client.get(f"/billingAccounts/{ACCOUNT}").json()["state"] == "Active"
    reset = gateway_client.post(f"/admin/sandboxes/{sandbox}/reset")
    assert reset.status_code == 200 and {r["outcome"] for r in reset.json()["results"]} == {"reset"}
    assert gateway_client.get(f"/billingAccounts/{ACCOUNT}", sandbox=sandbox).json()["state"] == "Active"


def test_x_sandbox_is_forwarded_to_every_system_touched(gateway_client, sandbox):
    unknown = gateway_client.get(
        "/customers", sandbox=sandbox, params={"documentNumber": "1025948177"}, headers={"X-Case-Id": "CAS-000099"}
    )
    assert unknown.status_code == 404 and "CAS-000099" in unknown.json()["detail"]
    case_id = plant_case(gateway_client.app.runtime, sandbox)
    gateway_client.backoffice.calls.clear()
    gateway_client.get(
        "/customers",
        sandbox=sandbox,
        params={"documentNumber": "1025948177"},
        headers={"X-Request-Id": "req-42", "X-Case-Id": case_id},
    )
    sent = [c for c in gateway_client.backoffice.calls if not c.path.startswith("/__admin")]
    assert {c.system for c in sent} == {"rr", "ac"}
    assert all(
        c.headers["X-Sandbox"] == sandbox
        and c.headers["X-Request-Id"] == "req-42"
        and c.headers["X-Case-Id"] == case_id
        for c in sent
    )
    timeline = gateway_client.get(f"/cases/{case_id}", sandbox=sandbox).json()["timeline"]
    assert {(t["system"], t["action"].split(" ")[0]) for t in timeline if t["kind"] == "call"} == {
        ("rr", "GET"),
        ("ac", "GET"),
    }
    journal = gateway_client.get("/admin/journal", sandbox=sandbox).json()["entries"]
    assert {e["system"] for e in journal if e["path"] != "/clock"} == {"rr", "ac"}
    assert {e["requestId"] for e in journal if e["requestId"]} >= {"req-42"}
    assert gateway_client.get("/admin/journal").json()["entries"] == [], "nothing reached the default sandbox"


def test_delete_rules(gateway_client, sandbox):
    assert gateway_client.delete("/admin/sandboxes/default").status_code == 409
    assert gateway_client.delete("/admin/sandboxes/never-made").status_code == 404
    deleted = gateway_client.delete(f"/admin/sandboxes/{sandbox}")
    assert deleted.status_code == 200 and {r["outcome"] for r in deleted.json()["results"]} == {"deleted"}
    assert all(sandbox not in _names(gateway_client.backoffice.client(s)) for s in SYSTEMS)
    assert gateway_client.post(f"/admin/sandboxes/{sandbox}/reset").status_code == 404


def test_a_partial_failure_is_named(gateway_client):
    gateway_client.backoffice.refuse("dime")
    response = gateway_client.post("/admin/sandboxes", json={"name": "partial"})
    try:
        assert response.status_code == 503 and response.headers["content-type"] == "application/problem+json"
        problem = response.json()
        assert problem["system"] == "dime" and "dime" in problem["detail"]
        outcomes = {r["system"]: r["outcome"] for r in problem["results"]}
        assert outcomes.pop("dime") == "failed" and set(outcomes.values()) == {"created"}
        listed = gateway_client.get("/admin/sandboxes").json()
        assert [d["system"] for d in listed["degraded"]] == ["dime"]
    finally:
        gateway_client.backoffice.accept()
        gateway_client.delete("/admin/sandboxes/partial")


def test_the_clock_is_set_in_every_system(gateway_client, sandbox):
    response = gateway_client.post(
        "/admin/clock", sandbox=sandbox, json={"set": "2026-12-24T18:00:00-05:00", "frozen": True}
    )
    assert response.status_code == 200
    results = response.json()["results"]
    assert [r["system"] for r in results] == list(SYSTEMS)
    assert {r["now"] for r in results} == {"2026-12-24T18:00:00-05:00"} and all(r["frozen"] for r in results)
    assert (
        gateway_client.backoffice.client("gestion").get("/__admin/clock", headers={"X-Sandbox": sandbox}).json()["now"]
        == "2026-12-24T18:00:00-05:00"
    )
    bad = gateway_client.post("/admin/clock", sandbox=sandbox, json={"advance": "soon"})
    assert bad.status_code == 422 and "soon" in bad.json()["detail"]


def test_each_systems_clock_is_read(gateway_client, sandbox):
    gateway_client.post("/admin/clock", sandbox=sandbox, json={"set": "2026-12-24T18:00:00-05:00", "frozen": True})
    gateway_client.backoffice.client("sara").post(
        "/__admin/clock", headers={"X-Sandbox": sandbox}, json={"advance": "PT90M"}
    )  # one system drifts: the read shows it
    response = gateway_client.get("/admin/clock", sandbox=sandbox)
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["name"] == sandbox and body["degraded"] == []
    assert [c["system"] for c in body["clocks"]] == list(SYSTEMS)
    now = {c["system"]: c["now"] for c in body["clocks"]}
    assert now.pop("sara") == "2026-12-24T19:30:00-05:00"
    assert set(now.values()) == {"2026-12-24T18:00:00-05:00"} and all(c["frozen"] for c in body["clocks"])
    gateway_client.backoffice.refuse("cmax")
    degraded = gateway_client.get("/admin/clock", sandbox=sandbox).json()
    assert [d["system"] for d in degraded["degraded"]] == ["cmax"] and "cmax" not in {
        c["system"] for c in degraded["clocks"]
    }
    assert gateway_client.get("/admin/clock", token="dev-supervisor").status_code == 403


def test_faults_are_added_listed_and_cleared(gateway_client):
    added = gateway_client.post("/admin/faults", json={"system": "sara", "kind": "delay", "delayMs": 5, "count": 3})
    assert added.status_code == 201 and added.json()["system"] == "sara" and added.json()["delayMs"] == 5
    gateway_client.post("/admin/faults", json={"system": "rr", "kind": "error", "path": "/nothing/*"})
    faults = gateway_client.get("/admin/faults").json()["faults"]
    assert sorted(f["system"] for f in faults) == ["rr", "sara"]
    assert [f["id"] for f in gateway_client.get("/admin/faults", params={"system": "sara"}).json()["faults"]] == [
        added.json()["id"]
    ]
    cleared = gateway_client.delete("/admin/faults").json()["results"]
    assert {r["system"]: r["deleted"] for r in cleared if r["deleted"]} == {"rr": 1, "sara": 1}
    assert gateway_client.get("/admin/faults").json()["faults"] == []


def test_the_journal_merges_the_systems_newest_first(gateway_client):
    gateway_client.get(f"/billingAccounts/{ACCOUNT}")
    gateway_client.get("/billingAccounts/1523884606")
    gateway_client.get(f"/billingAccounts/{ACCOUNT}")
    entries = gateway_client.get("/admin/journal").json()["entries"]
    assert [(e["system"], e["path"]) for e in entries] == [
        ("rr", "/subscribers/CUS00000006"),
        ("rr", f"/accounts/{ACCOUNT}"),
        ("ac", "/subscribers/CUS00000006"),
        ("ac", "/accounts/1523884606"),
        ("rr", "/subscribers/CUS00000006"),
        ("rr", f"/accounts/{ACCOUNT}"),
    ]
    assert [e["at"] for e in entries] == sorted((e["at"] for e in entries), reverse=True)
    assert [e["path"] for e in gateway_client.get("/admin/journal", params={"limit": 2}).json()["entries"]] == [
        "/subscribers/CUS00000006",
        f"/accounts/{ACCOUNT}",
    ]
    only_ac = gateway_client.get("/admin/journal", params={"system": "ac"}).json()["entries"]
    assert {e["system"] for e in only_ac} == {"ac"} and len(only_ac) == 2


def test_the_journal_shows_the_bodies_exactly_and_filters(gateway_client):
    gateway_client.get(f"/billingAccounts/{ACCOUNT}")  # the gateway asks RR, which answers snake_case JSON
    rr = gateway_client.backoffice.client("rr")
    markings = f"/accounts/{ACCOUNT}/markings"
    marking = {"code": "SAC-FAC-01", "notes": "Consulta", "advisor": "asesor.premium01", "resolved_first_contact": True}
    assert rr.post(markings, json=marking).status_code == 201
    assert rr.post(markings, content="hola ñandú".encode(), headers={"Content-Type": "text/plain"}).status_code == 415
    binary = b"\xff\xfe\x00binary"  # not UTF-8: base64 of ff fe 00 | 62 69 6e | 61 72 79
    assert rr.post(markings, content=binary, headers={"Content-Type": "application/octet-stream"}).status_code == 415

    posts = gateway_client.get("/admin/journal", params={"system": "rr", "method": "POST"}).json()["entries"]
    assert [(e["status"], e["requestBodyEncoding"], e["requestBody"]) for e in posts] == [
        (415, "base64", "//4AYmluYXJ5"),
        (415, "text", "hola ñandú"),
        (201, "json", marking),  # resolved_first_contact as RR was sent it, not camelCased
    ]
    assert posts[2]["responseBodyEncoding"] == "json" and posts[2]["responseBody"]["resolved_first_contact"] is True
    account = gateway_client.get("/admin/journal", params={"path": f"/accounts/{ACCOUNT}", "method": "GET"}).json()
    assert [(e["system"], e["path"]) for e in account["entries"]] == [("rr", f"/accounts/{ACCOUNT}")]
    assert account["entries"][0]["responseBody"]["account_number"] == ACCOUNT
    refused = gateway_client.get("/admin/journal", params={"status": 415}).json()["entries"]
    assert [(e["system"], e["requestBodyEncoding"]) for e in refused] == [("rr", "base64"), ("rr", "text")]


def test_the_journal_lists_a_failing_system_as_degraded(gateway_client):
    gateway_client.backoffice.refuse("cmax")
    body = gateway_client.get("/admin/journal").json()
    assert [d["system"] for d in body["degraded"]] == ["cmax"] and body["degraded"][0]["status"] == 503


def test_an_admin_token_pinned_to_a_sandbox_administers_that_one_only(gateway_client):
    pinned = "dev-admin-st"  # admin pinned to `st`
    assert gateway_client.post("/admin/sandboxes", token=pinned, json={"name": "st"}).status_code == 201
    try:
        refused = [
            gateway_client.delete("/admin/sandboxes/default", token=pinned),
            gateway_client.post("/admin/sandboxes/default/reset", token=pinned),
            gateway_client.post("/admin/sandboxes", token=pinned, json={"name": "elsewhere"}),
            gateway_client.post("/admin/clock", token=pinned, sandbox="default", json={"advance": "P1D"}),
            gateway_client.post(
                "/admin/scenarios/modem-without-sync", token=pinned, sandbox="default", json={"reset": True}
            ),
        ]
        for response in refused:
            assert response.status_code == 403 and response.json()["type"].endswith("/forbidden-sandbox")
        assert "elsewhere" not in _names(gateway_client.backoffice.client("rr"))
        assert [s["name"] for s in gateway_client.get("/admin/sandboxes", token=pinned).json()["sandboxes"]] == ["st"]
        # Without X-Sandbox it acts on its own sandbox.
        gateway_client.post("/admin/faults", token=pinned, json={"system": "rr", "kind": "delay", "delayMs": 1})
        assert [f["system"] for f in gateway_client.get("/admin/faults", sandbox="st").json()["faults"]] == ["rr"]
        assert gateway_client.get("/admin/faults").json()["faults"] == []
        reset = gateway_client.post("/admin/sandboxes/st/reset", token=pinned)
        assert reset.status_code == 200 and {r["outcome"] for r in reset.json()["results"]} == {"reset"}
        assert gateway_client.get("/admin/faults", sandbox="st").json()["faults"] == []
        # Nor may it delete its own sandbox: a run with it would pull the ground from under its own requests.
        kept = gateway_client.delete("/admin/sandboxes/st", token=pinned)
        assert kept.status_code == 403 and "can't delete it" in kept.json()["detail"]
        assert "st" in _names(gateway_client.backoffice.client("rr"))
    finally:
        assert gateway_client.delete("/admin/sandboxes/st").status_code == 200
