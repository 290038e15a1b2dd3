"""TMF678 customerBill (Paradigma invoices), bill delivery changes and ASCARD credits through the gateway, checked
against the world and read back from the mocks; each operation's timeout is a 504 naming the system."""

from __future__ import annotations

import functools
import json
from pathlib import Path

import pytest
from jsonschema import Draft4Validator, FormatChecker

ASESOR = "dev-asesor"
HOME = "46271064"  # CUS00000003's home account: FV0000000007..09, digital delivery, cycle 22
TMF678 = (
    Path(__file__).resolve().parents[2]
    / "claro_backoffice"
    / "openapi"
    / "tmf"
    / "TMF678-CustomerBill-v4.0.0.swagger.json"
)


@functools.cache
def _tmf678() -> dict:
    return json.loads(TMF678.read_text(encoding="utf-8"))


def tmf678_errors(bill: dict) -> list[str]:
    document = _tmf678()
    schema = {"$ref": "#/definitions/CustomerBill", "definitions": document["definitions"]}
    return [
        f"{'/'.join(map(str, e.path))}: {e.message}"
        for e in Draft4Validator(schema, format_checker=FormatChecker()).iter_errors(bill)
    ]


def invoices_of(world, account: str) -> list[dict]:
    return sorted(
        (i for i in world.tables["invoices"] if i["account_number"] == account),
        key=lambda i: i["issue_date"],
        reverse=True,
    )


def put(client, path, body, **kw):
    return client.request("PUT", path, json=body, **kw)


def _timeout(gateway_client, system: str):
    response = gateway_client.post("/admin/faults", json={"system": system, "kind": "timeout", "path": "*"})
    assert response.status_code == 201, response.text


def _problem(response, status: int, system: str) -> dict:
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["system"] == system
    return response.json()


# ---- customerBill -----------------------------------------------------------------------------------------------
def test_bills_of_an_account_are_tmf678_newest_first(gateway_client, world):
    response = gateway_client.get("/customerBill", token=ASESOR, params={"billingAccountId": HOME})
    assert response.status_code == 200, response.text
    bills = response.json()
    expected = invoices_of(world, HOME)
    assert (
        [b["id"] for b in bills]
        == [i["invoice_id"] for i in expected]
        == ["FV0000000009", "FV0000000008", "FV0000000007"]
    )
    assert response.headers["X-Total-Count"] == "3"
    for bill, invoice in zip(bills, expected, strict=True):
        assert tmf678_errors(bill) == []
        assert bill["billNo"] == invoice["invoice_id"] and bill["state"] == invoice["state"]
        assert bill["@type"] == "CustomerBill" and bill["href"] == f"http://testserver/customerBill/{bill['id']}"
        assert bill["billDate"] == f"{invoice['issue_date']}T00:00:00-05:00"
        assert bill["paymentDueDate"] == f"{invoice['due_date']}T23:59:59-05:00"
        assert bill["amountDue"] == bill["taxIncludedAmount"] == {"unit": "COP", "value": invoice["amount"]}
        assert bill["billingAccount"] == {
            "id": HOME,
            "href": f"http://testserver/billingAccounts/{HOME}",
            "@referredType": "HomeBillingAccount",
        }
        assert bill["relatedParty"][0]["id"] == invoice["customer_id"] == "CUS00000003"
    sent, settled = bills[0], bills[1]
    assert sent["state"] == "sent" and sent["remainingAmount"]["value"] == 129800 and sent["overdue"] is False
    assert settled["remainingAmount"] == {"unit": "COP", "value": 0}
    assert sent["billingPeriod"] == {
        "startDateTime": "2026-10-01T00:00:00-05:00",
        "endDateTime": "2026-10-31T23:59:59-05:00",
    }
    assert sent["billDocument"][0]["url"].endswith(f"/{HOME}/FV0000000009.pdf")
    assert sent["billDocument"][0]["mimeType"] == "application/pdf"


def test_bills_filtered_by_state_and_paged(gateway_client):
    settled = gateway_client.get("/customerBill", token=ASESOR, params={"billingAccountId": HOME, "state": "settled"})
    assert [b["id"] for b in settled.json()] == ["FV0000000008", "FV0000000007"]
    page = gateway_client.get("/customerBill", token=ASESOR, params={"billingAccountId": HOME, "limit": 1, "offset": 1})
    assert [b["id"] for b in page.json()] == ["FV0000000008"] and page.headers["X-Total-Count"] == "3"
    assert page.headers["X-Result-Count"] == "1"


def test_one_bill_with_its_lines(gateway_client):
    response = gateway_client.get("/customerBill/FV0000000009", token=ASESOR)
    assert response.status_code == 200, response.text
    bill = response.json()
    assert tmf678_errors(bill) == []
    assert [(line["description"], line["amount"]["value"]) for line in bill["billLine"]] == [
        ("Internet Fibra 300 Mbps", 89900),
        ("TV Básica", 39900),
    ]
    assert sum(line["amount"]["value"] for line in bill["billLine"]) == bill["amountDue"]["value"]
    # the @schemaLocation names a gateway schema that declares every field the bill carries
    schema = gateway_client.get("/openapi.json", token=None).json()["components"]["schemas"]["CustomerBill"]
    assert bill["@schemaLocation"].endswith("#/components/schemas/CustomerBill")
    assert set(bill) <= set(schema["properties"])


def test_unknown_bills_and_prepaid_accounts_are_a_404_naming_paradigma(gateway_client, world):
    problem = _problem(gateway_client.get("/customerBill/FV9999999999", token=ASESOR), 404, "paradigma")
    assert "FV9999999999" in problem["detail"]
    prepaid = next(a["account_number"] for a in world.tables["mobile_accounts"] if a["billing_type"] == "prepago")
    _problem(gateway_client.get("/customerBill", token=ASESOR, params={"billingAccountId": prepaid}), 404, "paradigma")


@pytest.mark.parametrize(
    "path, params", [("/customerBill", {"billingAccountId": HOME}), ("/customerBill/FV0000000009", None)]
)
def test_bill_timeouts_are_a_504_naming_paradigma(gateway_client, path, params):
    _timeout(gateway_client, "paradigma")
    _problem(gateway_client.get(path, token=ASESOR, params=params), 504, "paradigma")


# ---- billDelivery -----------------------------------------------------------------------------------------------
def test_bill_delivery_change_takes_effect_on_the_next_issue_date(gateway_client, world):
    assert next(d for d in world.tables["bill_delivery"] if d["account_number"] == HOME)["mode"] == "digital"
    response = put(gateway_client, f"/billingAccounts/{HOME}/billDelivery", {"mode": "physical"}, token=ASESOR)
    assert response.status_code == 200, response.text
    change = response.json()
    assert change["mode"] == "digital" and change["effectiveFrom"] == change["nextIssueDate"] == "2026-11-22"
    assert change["pendingChange"]["mode"] == "physical" and change["message"]
    stored = gateway_client.backoffice.client("paradigma").get(f"/accounts/{HOME}/delivery").json()
    assert stored["pending_change"]["mode"] == "physical" and stored["pending_change"]["effective_from"] == "2026-11-22"


def test_bill_delivery_same_mode_with_nothing_pending_is_paradigmas_409(gateway_client, world):
    email = next(d for d in world.tables["bill_delivery"] if d["account_number"] == HOME)["email"]
    response = put(
        gateway_client, f"/billingAccounts/{HOME}/billDelivery", {"mode": "digital", "email": email}, token=ASESOR
    )
    problem = _problem(response, 409, "paradigma")
    assert problem["detail"].startswith("paradigma:")


def test_bill_delivery_digital_needs_an_email(gateway_client):
    response = put(gateway_client, f"/billingAccounts/{HOME}/billDelivery", {"mode": "digital"}, token=ASESOR)
    assert response.status_code == 400 and gateway_client.backoffice.calls == []


def test_bill_delivery_timeout_is_a_504_naming_paradigma(gateway_client):
    _timeout(gateway_client, "paradigma")
    _problem(
        put(gateway_client, f"/billingAccounts/{HOME}/billDelivery", {"mode": "physical"}, token=ASESOR),
        504,
        "paradigma",
    )


# ---- credits ----------------------------------------------------------------------------------------------------
def test_customer_credits_with_installments_summary(gateway_client, world):
    cid = "CUS00000060"
    response = gateway_client.get(f"/customers/{cid}/credits", token=ASESOR)
    assert response.status_code == 200, response.text
    view = response.json()
    expected = [c for c in world.tables["credits"] if c["customer_id"] == cid]
    assert [c["id"] for c in view["credits"]] == [c["credit_id"] for c in expected] == ["CRD000000011"]
    credit, world_credit = view["credits"][0], expected[0]
    assert credit["principal"] == {"unit": "COP", "value": world_credit["principal"]}
    assert credit["installments"]["count"] == world_credit["installments"]
    assert credit["installments"]["paid"] == world_credit["installments_paid"]
    assert credit["installments"]["overdue"] == world_credit["installments_overdue"] == 2
    assert credit["installments"]["amount"]["value"] == world_credit["installment_amount"]
    assert credit["status"] == "en_mora" and credit["billingAccount"]["id"] == world_credit["account_number"]
    assert view["overdueAmount"]["value"] == 2 * world_credit["installment_amount"] and view["inArrears"] == 1


def test_a_customer_without_credits_and_an_unknown_one(gateway_client, world):
    cid = "CUS00000003"
    assert not [c for c in world.tables["credits"] if c["customer_id"] == cid]
    view = gateway_client.get(f"/customers/{cid}/credits", token=ASESOR).json()
    assert view["credits"] == [] and view["outstandingBalance"] == {"unit": "COP", "value": 0}
    _problem(gateway_client.get("/customers/CUS99999999/credits", token=ASESOR), 404, "ascard")


def test_credits_timeout_is_a_504_naming_ascard(gateway_client):
    _timeout(gateway_client, "ascard")
    _problem(gateway_client.get("/customers/CUS00000060/credits", token=ASESOR), 504, "ascard")
