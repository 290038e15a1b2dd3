"""Adjustment requests in RR and AC (mocks/kit/adjustments.py): pending or approved at once by amount, a supervisor's
decision, and the credit an approval puts on the account's next Paradigma invoice through the event log."""

from __future__ import annotations

import pytest

from claro_backoffice.mocks.kit.adjustments import AUTO_APPROVE_LIMIT

ACCOUNTS = {"rr": "46271064", "ac": "7264934899"}
PREFIX = {"rr": "AJR", "ac": "AJC"}


def _request(client, account, amount, **extra):
    body = {"amount": amount, "reason": "Cobro duplicado del plan", "advisor": "asesor.premium01", **extra}
    return client.post(f"/accounts/{account}/adjustments", json=body)


@pytest.mark.parametrize("system", sorted(ACCOUNTS))
def test_a_large_amount_waits_for_a_supervisor_and_a_small_one_is_approved_at_once(mock_client, system):
    client, account = mock_client(system), ACCOUNTS[system]
    big = _request(client, account, AUTO_APPROVE_LIMIT + 1, case_id="CAS-000007")
    assert big.status_code == 201, big.text
    assert big.json()["status"] == "pending" and not big.json()["auto_approved"]
    assert big.json()["adjustment_id"] == f"{PREFIX[system]}00000003" and big.json()["case_id"] == "CAS-000007"
    small = _request(client, account, AUTO_APPROVE_LIMIT).json()
    assert small["status"] == "approved" and small["auto_approved"] and small["decided_by"] == "automatic"
    listed = client.get(f"/accounts/{account}/adjustments", params={"status": "pending"}).json()["adjustments"]
    assert listed[0]["adjustment_id"] == big.json()["adjustment_id"] and {a["status"] for a in listed} == {"pending"}
    assert small["adjustment_id"] not in [a["adjustment_id"] for a in listed]


@pytest.mark.parametrize("system", sorted(ACCOUNTS))
def test_a_decision_is_taken_once(mock_client, system):
    client = mock_client(system)
    adjustment = f"{PREFIX[system]}00000001"
    assert client.get(f"/adjustments/{adjustment}").json()["status"] == "pending"
    approved = client.post(f"/adjustments/{adjustment}/approve", json={"supervisor": "supervisor.premium01"})
    assert approved.status_code == 200 and approved.json()["decided_by"] == "supervisor.premium01"
    again = client.post(
        f"/adjustments/{adjustment}/reject",
        json={"supervisor": "supervisor.premium02", "reason": "No procede el ajuste"},
    )
    assert again.status_code == 409 and "already approved" in again.json()["detail"]
    missing = client.post(f"/adjustments/{PREFIX[system]}00000999/approve", json={"supervisor": "supervisor.x"})
    assert missing.status_code == 404 and "does not exist" in missing.json()["detail"]


def test_an_approved_adjustment_is_a_credit_on_the_next_paradigma_invoice(mock_client):
    rr, paradigma = mock_client("rr"), mock_client("paradigma")
    pending = _request(rr, "46271064", 99900, invoice_id="FV0000000001").json()
    preview = paradigma.get("/accounts/46271064/next-invoice").json()
    assert all(line["kind"] != "credit" for line in preview["lines"])  # not before approval
    rr.post(f"/adjustments/{pending['adjustment_id']}/approve", json={"supervisor": "supervisor.premium01"})
    preview = paradigma.get("/accounts/46271064/next-invoice").json()
    credits = [line for line in preview["lines"] if line["kind"] == "credit"]
    assert [(c["adjustment_id"], c["amount"]) for c in credits] == [(pending["adjustment_id"], -99900)]
    rejected = _request(rr, "46271064", 90000).json()
    rr.post(f"/adjustments/{rejected['adjustment_id']}/reject", json={"supervisor": "s.p", "reason": "No procede"})
    listed = paradigma.get("/accounts/46271064/invoices").json()["pending_credits"]
    assert [c["adjustment_id"] for c in listed] == [pending["adjustment_id"]]


def test_a_prepaid_account_has_no_invoice_to_credit(mock_client):
    answer = _request(mock_client("ac"), "1523884606", 10000)
    assert answer.status_code == 422 and "prepaid" in answer.json()["detail"]


def test_an_unknown_account_is_a_404_and_reset_withdraws_the_requests(mock_client):
    rr = mock_client("rr")
    assert _request(rr, "12345678", 1000).status_code == 404
    _request(rr, "46271064", 1000)
    rr.post("/__admin/reset")
    assert [a["adjustment_id"] for a in rr.get("/accounts/46271064/adjustments").json()["adjustments"]] == [
        "AJR00000002"
    ]
