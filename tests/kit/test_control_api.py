"""The control API every mock shares, exercised through RR: sandboxes, reset, fixtures, journal, faults, clock."""

from __future__ import annotations

import sqlite3

import pytest

ACCOUNT = "46271064"  # a home account of the default world (CUS00000003, in cuenta matriz 90444884)
MARKING = {"code": "SOP-INT-01", "notes": "Módem sin sincronía", "advisor": "asesor.01"}


@pytest.fixture
def rr(mock_client):
    return mock_client("rr")


@pytest.fixture
def sandbox(rr):
    """A throwaway sandbox, deleted afterwards."""
    name = "iso-test"
    assert rr.post("/__admin/sandboxes", json={"name": name}).status_code == 201
    yield name
    rr.delete(f"/__admin/sandboxes/{name}")


def test_sandboxes_are_isolated(rr, sandbox):
    assert rr.post(f"/accounts/{ACCOUNT}/markings", json=MARKING, headers={"X-Sandbox": sandbox}).status_code == 201
    assert len(rr.get(f"/accounts/{ACCOUNT}/markings", headers={"X-Sandbox": sandbox}).json()["markings"]) == 1
    assert rr.get(f"/accounts/{ACCOUNT}/markings").json()["markings"] == []
    rr.post("/__admin/faults", json={"kind": "error", "status": 500}, headers={"X-Sandbox": sandbox})
    assert rr.get(f"/accounts/{ACCOUNT}").status_code == 200
    assert rr.get(f"/accounts/{ACCOUNT}", headers={"X-Sandbox": sandbox}).status_code == 500
    assert rr.get("/__admin/requests", headers={"X-Sandbox": sandbox}).json()["requests"][0]["status"] == 500
    assert all(e["status"] != 500 for e in rr.get("/__admin/requests").json()["requests"])


def test_sandbox_listing_creation_and_deletion_rules(rr, sandbox):
    names = [s["name"] for s in rr.get("/__admin/sandboxes").json()["sandboxes"]]
    assert {"default", sandbox} <= set(names)
    again = rr.post("/__admin/sandboxes", json={"name": sandbox})
    assert again.status_code == 409 and again.headers["content-type"] == "application/problem+json"
    assert rr.delete("/__admin/sandboxes/default").status_code == 409
    assert rr.delete("/__admin/sandboxes/never-made").status_code == 404
    bad = rr.post("/__admin/sandboxes", json={"name": "Not Valid!"})
    assert bad.status_code == 400


def test_a_request_scoped_to_a_sandbox_cant_create_or_delete_another(rr, sandbox):
    scoped = {"X-Sandbox": sandbox}
    for response in (
        rr.delete("/__admin/sandboxes/default", headers=scoped),
        rr.delete("/__admin/sandboxes/never-made", headers=scoped),
        rr.post("/__admin/sandboxes", json={"name": "sneaked-in"}, headers=scoped),
    ):
        assert response.status_code == 403 and response.headers["content-type"] == "application/problem+json"
        assert response.json()["type"].endswith("/out-of-scope") and f"'{sandbox}'" in response.json()["detail"]
    names = {s["name"] for s in rr.get("/__admin/sandboxes", headers=scoped).json()["sandboxes"]}
    assert {"default", sandbox} <= names and "sneaked-in" not in names, "the list still shows every sandbox"
    # Its own sandbox: reset acts on it alone, and it may delete and create it again.
    rr.post(f"/accounts/{ACCOUNT}/markings", json=MARKING)
    rr.post(f"/accounts/{ACCOUNT}/markings", json=MARKING, headers=scoped)
    assert rr.post("/__admin/reset", headers=scoped).json()["name"] == sandbox
    assert rr.get(f"/accounts/{ACCOUNT}/markings", headers=scoped).json()["markings"] == []
    assert len(rr.get(f"/accounts/{ACCOUNT}/markings").json()["markings"]) == 1, "default was not reset"
    assert rr.delete(f"/__admin/sandboxes/{sandbox}", headers=scoped).status_code == 204
    assert rr.post("/__admin/sandboxes", json={"name": sandbox}, headers=scoped).status_code == 201


def test_unknown_and_invalid_sandbox_headers(rr):
    unknown = rr.get(f"/accounts/{ACCOUNT}", headers={"X-Sandbox": "ghost"})
    assert unknown.status_code == 404
    assert "POST" in unknown.json()["detail"] and "/__admin/sandboxes" in unknown.json()["detail"]
    invalid = rr.get(f"/accounts/{ACCOUNT}", headers={"X-Sandbox": "UPPER_case"})
    assert invalid.status_code == 400 and invalid.headers["content-type"] == "application/problem+json"
    too_long = rr.get(f"/accounts/{ACCOUNT}", headers={"X-Sandbox": "a" * 41})
    assert too_long.status_code == 400


def test_a_sandbox_with_another_seed_is_another_world(rr):
    assert rr.post("/__admin/sandboxes", json={"name": "seed-7", "seed": 7}).status_code == 201
    try:
        mine = rr.get("/subscribers/CUS00000003").json()
        other = rr.get("/subscribers/CUS00000003", headers={"X-Sandbox": "seed-7"})
        assert other.status_code == 404 or other.json()["document_number"] != mine["document_number"]
    finally:
        rr.delete("/__admin/sandboxes/seed-7")


def test_reset_restores_the_seed_while_a_connection_is_open(rr, var_dir):
    assert rr.post(f"/accounts/{ACCOUNT}/markings", json=MARKING).status_code == 201
    reader = sqlite3.connect(var_dir / "rr" / "sandboxes" / "default.sqlite")
    try:
        assert reader.execute("SELECT COUNT(*) FROM markings").fetchone()[0] == 1
        reader.execute("BEGIN")  # an open read transaction on the same file
        reader.execute("SELECT COUNT(*) FROM subscribers").fetchone()
        reader.execute("COMMIT")
        assert rr.post("/__admin/reset").status_code == 200
        assert reader.execute("SELECT COUNT(*) FROM markings").fetchone()[0] == 0
    finally:
        reader.close()
    assert rr.get(f"/accounts/{ACCOUNT}/markings").json()["markings"] == []


def test_reset_clears_faults_clock_and_journal(rr):
    rr.post("/__admin/faults", json={"kind": "delay", "delay_ms": 1})
    rr.post("/__admin/clock", json={"advance": "P3D"})
    rr.get(f"/accounts/{ACCOUNT}")
    rr.post("/__admin/reset")
    assert rr.get("/__admin/faults").json()["faults"] == []
    assert rr.get("/__admin/requests").json()["requests"] == []
    assert rr.get("/__admin/clock").json()["now"].startswith("2026-11-04T08:00")


def test_fixtures_patch_rows_atomically(rr):
    schema = rr.get("/__admin/fixtures").json()
    assert "accounts" in {t["table"] for t in schema["tables"]}
    ok = rr.post(
        "/__admin/fixtures",
        json={
            "description": "suspend the account",
            "changes": [
                {"table": "accounts", "update": {"where": {"account_number": ACCOUNT}, "set": {"status": "suspendido"}}}
            ],
        },
    )
    assert ok.status_code == 200 and ok.json()["applied"] == [{"table": "accounts", "operation": "update", "rows": 1}]
    assert rr.get(f"/accounts/{ACCOUNT}").json()["status"] == "suspendido"
    bad = rr.post(
        "/__admin/fixtures",
        json={
            "changes": [
                {"table": "accounts", "update": {"where": {"account_number": ACCOUNT}, "set": {"status": "activo"}}},
                {"table": "accounts", "update": {"where": {"account_number": ACCOUNT}, "set": {"colour": "blue"}}},
            ]
        },
    )
    assert bad.status_code == 422 and "colour" in bad.json()["detail"]
    assert rr.get(f"/accounts/{ACCOUNT}").json()["status"] == "suspendido", "a failed patch changes nothing"
    unknown = rr.post("/__admin/fixtures", json={"changes": [{"table": "nope", "insert": [{"a": 1}]}]})
    assert unknown.status_code == 422 and "unknown table" in unknown.json()["detail"]
    hidden = rr.post(
        "/__admin/fixtures", json={"changes": [{"table": "_admin_faults", "delete": {"where": {"id": "x"}}}]}
    )
    assert hidden.status_code in (400, 422)


def test_fixture_insert_adds_a_row_the_api_serves(rr):
    lls = {
        "lls_id": "LLS-FIXTURE-1",
        "account_number": ACCOUNT,
        "reason": "Revisión de acometida",
        "state": "confirmed",
        "source": "rr",
        "slot_start": "2026-11-05T09:00:00-05:00",
        "slot_end": "2026-11-05T11:00:00-05:00",
        "technician": "TEC-1234",
        "created_at": "2026-11-04T08:00:00-05:00",
    }
    assert rr.post("/__admin/fixtures", json={"changes": [{"table": "lls", "insert": [lls]}]}).status_code == 200
    assert rr.get(f"/accounts/{ACCOUNT}/lls").json()["lls"][0]["lls_id"] == "LLS-FIXTURE-1"


def test_journal_records_newest_first_and_filters(rr):
    rr.delete("/__admin/requests")
    rr.get(f"/accounts/{ACCOUNT}")
    rr.post(f"/accounts/{ACCOUNT}/markings", json=MARKING, headers={"X-Case-Id": "case-1"})
    rr.get("/accounts/12345678")
    entries = rr.get("/__admin/requests").json()["requests"]
    assert [(e["method"], e["status"]) for e in entries] == [("GET", 404), ("POST", 201), ("GET", 200)]
    post = entries[1]
    assert post["request_body"]["code"] == "SOP-INT-01" and post["response_body"]["code"] == "SOP-INT-01"
    assert post["case_id"] == "case-1" and post["virtual_at"].startswith("2026-11-04")
    only_posts = rr.get("/__admin/requests", params={"method": "POST"}).json()["requests"]
    assert [e["method"] for e in only_posts] == ["POST"]
    by_path = rr.get("/__admin/requests", params={"path": f"/accounts/{ACCOUNT}/markings"}).json()["requests"]
    assert len(by_path) == 1
    assert rr.delete("/__admin/requests").json()["deleted"] == 3


def test_journal_records_validation_errors(rr):
    rr.delete("/__admin/requests")
    rr.post(f"/accounts/{ACCOUNT}/markings", json={"code": 5})
    entry = rr.get("/__admin/requests").json()["requests"][0]
    assert entry["status"] == 400


def test_journal_is_bounded(mock_apps, worlds, tmp_path):
    from tests.support.mocks import create_mock

    app = create_mock("rr", tmp_path, worlds, journal_limit=3)
    with app.test_client() as client:
        for _ in range(5):
            client.get(f"/accounts/{ACCOUNT}")
        client.get("/accounts/12345678")
        entries = client.get("/__admin/requests").json()["requests"]
    assert len(entries) == 3 and entries[0]["status"] == 404


def test_error_fault_with_count_fires_then_goes(rr):
    fault = rr.post(
        "/__admin/faults", json={"method": "GET", "path": "/accounts/*", "kind": "error", "status": 503, "count": 2}
    ).json()
    assert [rr.get(f"/accounts/{ACCOUNT}").status_code for _ in range(3)] == [503, 503, 200]
    assert rr.get("/__admin/faults").json()["faults"] == []
    body = rr.post("/__admin/faults", json={"kind": "error", "status": 502, "path": "/accounts/*"}).json()
    failed = rr.get(f"/accounts/{ACCOUNT}")
    assert failed.headers["content-type"] == "application/problem+json" and failed.json()["system"] == "rr"
    assert body["id"] in failed.json()["detail"] and fault["id"] != body["id"]
    assert rr.get("/subscribers/CUS00000003").status_code == 200, "other paths are untouched"
    assert rr.post(f"/accounts/{ACCOUNT}/markings", json=MARKING).status_code == 502, (
        "method * matches POST, and * spans path segments"
    )


def test_fault_probability_is_seeded_and_repeatable(rr):
    def run():
        rr.post("/__admin/reset")
        rr.post("/__admin/faults", json={"kind": "error", "status": 500, "probability": 0.5, "seed": 3})
        return [rr.get(f"/accounts/{ACCOUNT}").status_code for _ in range(12)]

    first, second = run(), run()
    assert first == second and 500 in first and 200 in first


def test_malformed_drop_and_timeout_faults(rr):
    rr.post("/__admin/faults", json={"kind": "malformed", "count": 1})
    garbled = rr.get(f"/accounts/{ACCOUNT}")
    assert garbled.status_code == 200
    with pytest.raises(ValueError):
        garbled.json()
    for kind in ("drop", "timeout"):
        rr.post("/__admin/faults", json={"kind": kind, "count": 1})
        signalled = rr.get(f"/accounts/{ACCOUNT}", headers={"X-Kit-Fault-Signal": "1"})
        assert signalled.status_code == 599 and signalled.headers["x-kit-fault"] == kind
    assert rr.get(f"/accounts/{ACCOUNT}").status_code == 200


def test_delay_fault_and_deleting_one_fault(rr):
    fault = rr.post("/__admin/faults", json={"kind": "delay", "delay_ms": 5, "delay_max_ms": 20, "seed": 1}).json()
    assert rr.get(f"/accounts/{ACCOUNT}").status_code == 200
    listed = rr.get("/__admin/faults").json()["faults"]
    assert listed[0]["id"] == fault["id"] and listed[0]["matched"] == 1 and listed[0]["fired"] == 1
    assert rr.delete(f"/__admin/faults/{fault['id']}").status_code == 204
    assert rr.delete(f"/__admin/faults/{fault['id']}").status_code == 404
    assert rr.post("/__admin/faults", json={"kind": "error", "status": 200}).status_code == 400


def test_clock_set_advance_and_freeze(rr):
    frozen = rr.post("/__admin/clock", json={"set": "2026-12-24T18:30:00-05:00", "frozen": True}).json()
    assert frozen["now"] == "2026-12-24T18:30:00-05:00" and frozen["frozen"] is True
    assert rr.get("/__admin/clock").json()["now"] == "2026-12-24T18:30:00-05:00"
    advanced = rr.post("/__admin/clock", json={"advance": "PT5H45M"}).json()
    assert advanced["now"] == "2026-12-25T00:15:00-05:00"
    created = rr.post(f"/accounts/{ACCOUNT}/markings", json=MARKING).json()
    assert created["created_at"] == "2026-12-25T00:15:00-05:00", "mocks stamp writes with the virtual clock"
    assert rr.post("/__admin/clock", json={"advance": "P1M"}).status_code == 422, "months have no fixed length"
    assert rr.post("/__admin/clock", json={"set": "next tuesday"}).status_code == 400
    assert rr.post("/__admin/clock", json={}).status_code == 400
    both = rr.post("/__admin/clock", json={"set": "2026-11-09T07:00:00-05:00", "advance": "PT1H"}).json()
    assert both["now"] == "2026-11-09T08:00:00-05:00", "set, then advance"


def test_control_state_survives_a_restart(worlds, tmp_path):
    from tests.support.mocks import create_mock

    with create_mock("rr", tmp_path, worlds).test_client() as client:
        client.post("/__admin/sandboxes", json={"name": "keep"})
        client.post(
            "/__admin/faults",
            json={"kind": "error", "status": 418, "path": "/accounts/*"},
            headers={"X-Sandbox": "keep"},
        )
        client.post(
            "/__admin/clock", json={"set": "2027-01-04T10:00:00-05:00", "frozen": True}, headers={"X-Sandbox": "keep"}
        )
    with create_mock("rr", tmp_path, worlds).test_client() as client:
        assert client.get(f"/accounts/{ACCOUNT}", headers={"X-Sandbox": "keep"}).status_code == 418
        assert client.get("/__admin/clock", headers={"X-Sandbox": "keep"}).json()["now"].startswith("2027-01-04T10:00")
        assert len(client.get("/__admin/requests", headers={"X-Sandbox": "keep"}).json()["requests"]) == 1


def test_non_utf8_and_invalid_json_are_400(rr):
    for body in (b'{"code": "\xff\xfe"}', b'{"code": '):
        response = rr.post(f"/accounts/{ACCOUNT}/markings", content=body, headers={"Content-Type": "application/json"})
        assert response.status_code == 400 and response.headers["content-type"] == "application/problem+json"
    wrong_type = rr.post(
        f"/accounts/{ACCOUNT}/markings",
        content=b"code=1",
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )
    assert wrong_type.status_code == 415


def test_unknown_method_lists_every_allowed_method(rr):
    response = rr.request("PATCH", f"/accounts/{ACCOUNT}/markings")
    assert response.status_code == 405
    assert set(response.headers["allow"].split(", ")) == {"GET", "POST"}


def test_a_line_break_in_the_path_is_a_400(rr):
    response = rr.get("/accounts/%0A46271064")
    assert response.status_code == 400 and "line break" in response.json()["detail"]
