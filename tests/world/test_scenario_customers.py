"""Every scenario's customer is the default world's, fact by fact: what the file says (name, premium, document,
contact phone, accounts with their kind and billing type, lines with their account and type) is what the gateway
answers for that document, and what the world built for that customer."""

from __future__ import annotations

import pytest

from claro_backoffice.gateway.services import scenarios

ASESOR = "dev-asesor"


def _billing_type(gateway_client, account_id: str) -> str:
    answer = gateway_client.get(f"/billingAccounts/{account_id}", token=ASESOR)
    assert answer.status_code == 200, answer.text
    return answer.json()["accountType"]


def _facts_from_the_gateway(gateway_client, view: dict) -> dict:
    phones = [m["characteristic"]["phoneNumber"] for m in view["contactMedium"] if m["mediumType"] == "phone"]
    accounts = [{"id": a["id"], "kind": "home"} for a in view["homeAccounts"]]
    accounts += [
        {"id": a["id"], "kind": "mobile", "billingType": _billing_type(gateway_client, a["id"])}
        for a in view["account"]
        if a["@referredType"] == "MobileBillingAccount"
    ]
    return {
        "customerId": view["customerId"],
        "name": view["name"],
        "premium": view["premium"],
        "document": {"type": view["identity"]["documentType"], "number": view["identity"]["documentNumber"]},
        "phone": phones[0] if phones else None,
        "accounts": sorted(accounts, key=lambda a: a["id"]),
        "lines": sorted(
            (
                {"msisdn": ln["msisdn"], "accountId": ln["accountId"], "lineType": ln["lineType"]}
                for ln in view["mobileLines"]
            ),
            key=lambda ln: ln["msisdn"],
        ),
    }


def _facts_from_the_world(world, customer_id: str) -> dict:
    party = world.index("parties", "customer_id")[customer_id]
    homes = [a for a in world.tables["home_accounts"] if a["customer_id"] == customer_id]
    mobiles = [a for a in world.tables["mobile_accounts"] if a["customer_id"] == customer_id]
    lines = [ln for ln in world.tables["lines"] if ln["customer_id"] == customer_id]
    return {
        "customerId": customer_id,
        "name": party["business_name"] or f"{party['first_name']} {party['last_name']}",
        "premium": party["premium"],
        "document": {"type": party["document_type"], "number": party["document_number"]},
        "phone": party["contact_mobile"],
        "accounts": sorted(
            [{"id": a["account_number"], "kind": "home"} for a in homes]
            + [{"id": a["account_number"], "kind": "mobile", "billingType": a["billing_type"]} for a in mobiles],
            key=lambda a: a["id"],
        ),
        "lines": sorted(
            ({"msisdn": ln["msisdn"], "accountId": ln["account_number"], "lineType": ln["line_type"]} for ln in lines),
            key=lambda ln: ln["msisdn"],
        ),
    }


def _facts_in_the_file(customer: dict) -> dict:
    facts = {k: customer.get(k) for k in ("customerId", "name", "premium", "document", "phone")}
    facts["accounts"] = sorted(customer["accounts"], key=lambda a: a["id"])
    facts["lines"] = sorted(customer["lines"], key=lambda ln: ln["msisdn"])
    return facts


@pytest.mark.parametrize("name", scenarios.names())
def test_the_scenarios_customer_facts_are_the_worlds(name, world, gateway_client):
    customer = scenarios.read(name)["customer"]
    stated = _facts_in_the_file(customer)
    assert stated == _facts_from_the_world(world, customer["customerId"])
    found = gateway_client.get(
        "/customers",
        token=ASESOR,
        params={"documentType": customer["document"]["type"], "documentNumber": customer["document"]["number"]},
    )
    assert found.status_code == 200, found.text
    assert [_facts_from_the_gateway(gateway_client, view) for view in found.json()] == [stated]
    # The account and line a scenario points at are the customer's own.
    assert customer.get("accountId") in {a["id"] for a in stated["accounts"]} | {None}
    assert customer.get("msisdn") in {ln["msisdn"] for ln in stated["lines"]} | {None}
    assert set(customer) - set(stated) <= {"accountId", "msisdn"}
