"""Adjustment requests through the gateway: registered in RR or AC for a case, a supervisor's decision, the
credit on the next Paradigma invoice, every step in the case's timeline."""

from __future__ import annotations

from tests.support.advisors import active_leader
from tests.support.cases import plant_case


def _case(gateway_client, **kw) -> str:
    return plant_case(gateway_client.app.runtime, **kw)


def test_a_home_adjustment_is_approved_by_a_supervisor_and_credited_on_the_next_invoice(gateway_client):
    gw = gateway_client
    case_id = _case(gw)
    body = {"amount": 99900, "reason": "Cobro duplicado del internet", "invoiceId": "FV0000000009"}
    made = gw.post(f"/cases/{case_id}/adjustments", json=body, token="dev-asesor")
    assert made.status_code == 201, made.text
    adjustment = made.json()
    assert adjustment["id"].startswith("AJR") and adjustment["status"] == "pending" and not adjustment["autoApproved"]
    assert adjustment["caseId"] == case_id and adjustment["accountId"] == "46271064"
    rr = gw.backoffice.client("rr").get(f"/adjustments/{adjustment['id']}").json()
    assert rr["case_id"] == case_id and rr["invoice_id"] == "FV0000000009" and rr["amount"] == 99900
    # Only a supervisor (or above) decides.
    supervisor = active_leader(gw)["username"]
    approve = {"supervisor": supervisor, "notes": "Cobro duplicado confirmado"}
    assert gw.post(f"/adjustments/{adjustment['id']}/approve", json=approve, token="dev-asesor").status_code == 403
    approved = gw.post(f"/adjustments/{adjustment['id']}/approve", json=approve, token="dev-supervisor")
    assert approved.status_code == 200, approved.text
    assert approved.json()["status"] == "approved" and approved.json()["decidedBy"] == supervisor
    again = gw.post(f"/adjustments/{adjustment['id']}/reject", json={"supervisor": supervisor, "reason": "No procede"})
    assert again.status_code == 409 and again.json()["system"] == "rr" and "already approved" in again.json()["detail"]
    preview = gw.backoffice.client("paradigma").get("/accounts/46271064/next-invoice").json()
    assert [(ln["adjustment_id"], ln["amount"]) for ln in preview["lines"] if ln["kind"] == "credit"] == [
        (adjustment["id"], -99900)
    ]
    listed = gw.get(f"/cases/{case_id}/adjustments").json()
    assert listed["total"] == 1 and listed["adjustments"][0]["status"] == "approved"
    timeline = gw.get(f"/cases/{case_id}").json()["timeline"]
    steps = [(t["action"], t["outcome"]) for t in timeline if t["kind"] == "step"]
    assert ("adjustmentRequested", "pending") in steps and ("adjustmentApproved", "approved") in steps
    assert any(
        t["kind"] == "call"
        and t.get("system") == "rr"
        and t["action"].startswith("POST /adjustments/")
        and t["action"].endswith("/approve")
        for t in timeline
    )  # the call itself (ids masked)


def test_a_small_mobile_adjustment_is_approved_at_once_in_ac(gateway_client):
    case_id = _case(gateway_client, customer_id="CUS00000032", account_id="7264934899", system="ac")
    made = gateway_client.post(f"/cases/{case_id}/adjustments", json={"amount": 12000, "reason": "Roaming no usado"})
    assert made.status_code == 201, made.text
    assert made.json()["id"].startswith("AJC") and made.json()["status"] == "approved" and made.json()["autoApproved"]
    credits = gateway_client.backoffice.client("paradigma").get("/accounts/7264934899/invoices").json()
    assert [c["adjustment_id"] for c in credits["pending_credits"]] == [made.json()["id"]]


def test_a_rejection_says_why_and_nothing_reaches_the_invoice(gateway_client):
    gw = gateway_client
    case_id = _case(gw)
    made = gw.post(f"/cases/{case_id}/adjustments", json={"amount": 80000, "reason": "Cobro de visita"}).json()
    rejected = gw.post(
        f"/adjustments/{made['id']}/reject",
        json={"supervisor": active_leader(gw, index=1)["username"], "reason": "La visita sí se realizó"},
    )
    assert rejected.status_code == 200 and rejected.json()["decisionNotes"] == "La visita sí se realizó"
    assert gw.backoffice.client("paradigma").get("/accounts/46271064/invoices").json()["pending_credits"] == []
    assert gw.get(f"/adjustments/{made['id']}").json()["status"] == "rejected"


def test_the_invoice_must_be_the_accounts_and_cover_the_amount(gateway_client):
    case_id = _case(gateway_client)
    other = gateway_client.post(
        f"/cases/{case_id}/adjustments", json={"amount": 1000, "reason": "Cobro errado", "invoiceId": "FV0000000003"}
    )
    assert other.status_code == 422 and "64429105" in other.json()["detail"]
    too_much = gateway_client.post(
        f"/cases/{case_id}/adjustments", json={"amount": 500000, "reason": "Cobro errado", "invoiceId": "FV0000000009"}
    )
    assert too_much.status_code == 422 and "129800" in too_much.json()["detail"]


def test_a_closed_case_takes_no_adjustment_and_an_unknown_one_is_a_404(gateway_client):
    case_id = _case(gateway_client, status="closed")
    closed = gateway_client.post(f"/cases/{case_id}/adjustments", json={"amount": 1000, "reason": "Cobro errado"})
    assert closed.status_code == 409 and "closed" in closed.json()["detail"]
    assert gateway_client.get("/adjustments/AJR00009999").status_code == 404
    assert (
        gateway_client.post(
            "/cases/CAS-000999/adjustments", json={"amount": 1000, "reason": "Cobro errado"}
        ).status_code
        == 404
    )


def test_a_timeout_in_rr_is_a_504_naming_it(gateway_client):
    case_id = _case(gateway_client)
    fault = {"system": "rr", "kind": "timeout", "method": "POST", "path": "/accounts/*/adjustments"}
    assert gateway_client.post("/admin/faults", json=fault).status_code == 201
    answer = gateway_client.post(f"/cases/{case_id}/adjustments", json={"amount": 1000, "reason": "Cobro errado"})
    assert answer.status_code == 504 and answer.json()["system"] == "rr"
    assert gateway_client.get(f"/cases/{case_id}/adjustments").json()["total"] == 0


def test_a_supervisors_queue_lists_every_pending_request_of_rr_and_ac(gateway_client):
    gw = gateway_client
    case_id = _case(gw)
    made = gw.post(f"/cases/{case_id}/adjustments", json={"amount": 70000, "reason": "Cobro de una visita no hecha"})
    assert made.status_code == 201, made.text
    pending = gw.get("/adjustments", params={"status": "pending"}, token="dev-supervisor")
    assert pending.status_code == 200, pending.text
    listed = pending.json()["adjustments"]
    # the seeded requests of a fresh sandbox (README), made in the systems directly, and the one of the case
    assert {a["id"] for a in listed} == {"AJR00000001", "AJR00000002", "AJC00000001", "AJC00000002", made.json()["id"]}
    assert pending.json()["total"] == 5 and all(a["status"] == "pending" for a in listed)
    assert [a["caseId"] for a in listed if a["id"] == made.json()["id"]] == [case_id]
    assert [a["requestedAt"] for a in listed] == sorted(a["requestedAt"] for a in listed)
    decided = gw.post(
        "/adjustments/AJC00000001/reject",
        json={"supervisor": active_leader(gw)["username"], "reason": "No procede el ajuste"},
    )
    assert decided.status_code == 200, decided.text
    after = gw.get("/adjustments", params={"status": "pending"}, token="dev-supervisor").json()["adjustments"]
    assert "AJC00000001" not in {a["id"] for a in after} and len(after) == 4
    rejected = gw.get("/adjustments", params={"status": "rejected"}, token="dev-supervisor").json()["adjustments"]
    assert [a["id"] for a in rejected] == ["AJC00000001"]
    assert gw.get("/adjustments", token="dev-asesor").status_code == 403
