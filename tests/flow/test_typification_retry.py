"""A typification that fails half-way is finished by a retry with the same Idempotency-Key, without repeating
the steps that were done; the same key with another body is refused."""
from __future__ import annotations

from tests.flow.test_support_case import LONG_NOTES
from tests.support.cases import plant_case


def test_a_retry_after_a_partial_failure_finishes_without_duplicates(gateway_client):
    gw = gateway_client
    case_id = plant_case(gw.app.runtime)
    fault = {"system": "rr", "kind": "error", "status": 500, "method": "POST",
             "path": "/accounts/46271064/markings", "count": 1}
    assert gw.post("/admin/faults", json=fault).status_code == 201
    body = {"code": "SOP-INT-01", "notes": LONG_NOTES, "resolvedFirstContact": False}
    key = {"Idempotency-Key": "typ-retry-0001"}
    failed = gw.post(f"/cases/{case_id}/typification", json=body, headers=key)
    assert failed.status_code == 502 and failed.json()["system"] == "rr", failed.text
    assert gw.get(f"/cases/{case_id}").json()["status"] == "open"
    other = gw.post(f"/cases/{case_id}/typification", json=dict(body, code="SOP-INT-02"), headers=key)
    assert other.status_code == 422 and "Idempotency-Key" in other.json()["detail"]
    done = gw.post(f"/cases/{case_id}/typification", json=body, headers=key)
    assert done.status_code == 200, done.text
    steps = {s["step"] for s in done.json()["typification"]["steps"]}
    assert steps == {"rr-folder", "rr-folder-note", "rr-marking"}
    rr = gw.backoffice.client("rr")
    assert len([n for n in rr.get("/accounts/46271064/folders/ESTRATEGICOS/notes").json()["notes"]
                if n["text"] == LONG_NOTES]) == 1
    assert len([m for m in rr.get("/accounts/46271064/markings").json()["markings"]
                if m["code"] == "SOP-INT-01" and "ESTRATEGICOS" in m["notes"]]) == 1
    posts = [c for c in gw.backoffice.calls_to("rr", "POST") if c.path.endswith("/notes")]
    assert len(posts) == 1, "the folder note was written once"
    again = gw.post(f"/cases/{case_id}/typification", json=body, headers={"Idempotency-Key": "typ-retry-0002"})
    assert again.status_code == 409 and again.json()["type"].endswith("/case-state"), again.text
