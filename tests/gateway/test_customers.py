"""The customer 360 and billing accounts, checked against the world: RR accounts and AC lines of one customer."""

from __future__ import annotations

import pytest

from tests.gateway import expect

ASESOR = "dev-asesor"


@pytest.fixture(scope="module")
def both(world):
    """A customer with home accounts (RR) and mobile lines (AC), a fixed line and a contact mobile that is a line."""
    for p in world.tables["parties"]:
        cid = p["customer_id"]
        if (
            p["segments"] == "hogar+movil"
            and expect.fixed_line_of(world, cid)
            and p["contact_mobile"] in expect.lines(world, cid)
        ):
            return p
    raise LookupError("no such customer in the world")


def _one(response) -> dict:
    assert response.status_code == 200, response.text
    found = response.json()
    assert len(found) == 1, found
    return found[0]


def test_by_document_merges_rr_accounts_and_ac_lines(gateway_client, world, both):
    view = _one(
        gateway_client.get(
            "/customers",
            token=ASESOR,
            params={"documentType": both["document_type"], "documentNumber": both["document_number"]},
        )
    )
    cid = both["customer_id"]
    assert view["id"] == view["customerId"] == cid
    assert view["identity"] == {
        "documentType": both["document_type"],
        "documentNumber": both["document_number"],
        "givenName": both["first_name"],
        "familyName": both["last_name"],
        "tradingName": None,
        "birthDate": both["birth_date"],
    }
    assert view["premium"] is both["premium"] and view["systems"] == ["rr", "ac"] and view["degraded"] == []
    assert sorted(a["id"] for a in view["homeAccounts"]) == expect.home_accounts(world, cid)
    assert sorted(line["msisdn"] for line in view["mobileLines"]) == expect.lines(world, cid)
    assert sorted(a["id"] for a in view["account"]) == sorted(
        expect.home_accounts(world, cid) + expect.mobile_accounts(world, cid)
    )
    assert {
        "mediumType": "phone",
        "preferred": True,
        "characteristic": {"phoneNumber": both["contact_mobile"], "contactType": "mobile"},
    } in view["contactMedium"]
    line = view["mobileLines"][0]
    world_line = next(x for x in world.tables["lines"] if x["msisdn"] == line["msisdn"])
    assert line["plan"]["planCode"] == world_line["plan_code"] and line["accountId"] == world_line["account_number"]


def test_the_360_is_a_tmf629_customer_extended_by_its_own_schema(gateway_client, both):
    view = _one(gateway_client.get("/customers", token=ASESOR, params={"documentNumber": both["document_number"]}))
    assert expect.tmf_errors("Customer", view) == []
    for account in view["homeAccounts"]:
        assert expect.tmf_errors("BillingAccount", account) == []
        assert all(expect.tmf_errors("Product", s) == [] for s in account["services"])
    assert all(expect.tmf_errors("Product", line) == [] for line in view["mobileLines"])
    # Extension only through @type/@schemaLocation: every field TMF629 lacks is declared by the named schema.
    assert view["@type"] == "Customer360" and view["@baseType"] == "Customer"
    pointer = view["@schemaLocation"].split("#", 1)[1].strip("/").split("/")
    schema = gateway_client.get("/openapi.json", token=None).json()
    for key in pointer:
        schema = schema[key]
    assert set(view) - expect.tmf_properties("Customer") <= set(schema["properties"])


@pytest.mark.parametrize("form", ["{n}", "+57{n}", "57{n}", "+57 {a} {b} {c}", "{a}-{b}-{c}", "({a}) {b} {c}"])
def test_by_phone_in_any_common_form(gateway_client, world, both, form):
    n = both["contact_mobile"]
    phone = form.format(n=n, a=n[:3], b=n[3:6], c=n[6:])
    view = _one(gateway_client.get("/customers", token=ASESOR, params={"phone": phone}))
    assert view["customerId"] == both["customer_id"]
    assert sorted(line["msisdn"] for line in view["mobileLines"]) == expect.lines(world, both["customer_id"])


def test_a_fixed_line_finds_the_home_customer_with_their_mobile_lines_too(gateway_client, world, both):
    fixed = expect.fixed_line_of(world, both["customer_id"])
    view = _one(gateway_client.get("/customers", token=ASESOR, params={"phone": f"({fixed[:3]}) {fixed[3:]}"}))
    assert view["customerId"] == both["customer_id"]
    assert sorted(line["msisdn"] for line in view["mobileLines"]) == expect.lines(world, both["customer_id"])
    assert not [c for c in gateway_client.backoffice.calls_to("ac") if "/msisdns/" in c.path], "no AC msisdn"


def test_a_home_only_customer_has_no_mobile_lines(gateway_client, world):
    home = expect.customer_with(world, "hogar")
    view = _one(gateway_client.get("/customers", token=ASESOR, params={"documentNumber": home["document_number"]}))
    assert view["systems"] == ["rr"] and view["mobileLines"] == []
    assert sorted(a["id"] for a in view["homeAccounts"]) == expect.home_accounts(world, home["customer_id"])


def test_a_company_is_an_organization_with_its_trading_name(gateway_client, world):
    company = next(p for p in world.tables["parties"] if p["document_type"] == "NIT")
    view = _one(
        gateway_client.get(
            "/customers", token=ASESOR, params={"documentType": "NIT", "documentNumber": company["document_number"]}
        )
    )
    assert view["name"] == company["business_name"] == view["identity"]["tradingName"]
    assert view["engagedParty"]["@referredType"] == "Organization" and view["identity"]["givenName"] is None


def test_unknown_document_is_an_empty_list_and_wrong_type_finds_nothing(gateway_client, both):
    assert gateway_client.get("/customers", token=ASESOR, params={"documentNumber": "000001"}).json() == []
    other = "CE" if both["document_type"] != "CE" else "CC"
    found = gateway_client.get(
        "/customers", token=ASESOR, params={"documentType": other, "documentNumber": both["document_number"]}
    )
    assert found.status_code == 200 and found.json() == []


@pytest.mark.parametrize(
    "params, says",
    [
        ({}, "neither"),
        ({"documentNumber": "1025948177", "phone": "3234503674"}, "both"),
        ({"documentType": "CC"}, "neither"),
        ({"phone": "1234567"}, "not a Colombian number"),
    ],
)
def test_search_criteria_are_a_422(gateway_client, params, says):
    response = gateway_client.get("/customers", token=ASESOR, params=params)
    assert response.status_code == 422 and response.headers["content-type"] == "application/problem+json"
    assert says in response.json()["detail"]
    assert gateway_client.backoffice.calls == [], "no system is asked for a request that can't be answered"


def test_get_customer_by_id(gateway_client, world, both):
    cid = both["customer_id"]
    response = gateway_client.get(f"/customers/{cid}", token=ASESOR)
    assert response.status_code == 200
    view = response.json()
    assert view["name"] == f"{both['first_name']} {both['last_name']}"
    assert sorted(a["id"] for a in view["homeAccounts"]) == expect.home_accounts(world, cid)
    assert sorted(line["msisdn"] for line in view["mobileLines"]) == expect.lines(world, cid)
    missing = gateway_client.get("/customers/CUS99999999", token=ASESOR)
    assert missing.status_code == 404 and "neither in RR" in missing.json()["detail"]


def test_billing_accounts_both_formats(gateway_client, world, both):
    cid, name = both["customer_id"], f"{both['first_name']} {both['last_name']}"
    home_id = expect.home_accounts(world, cid)[0]
    home = gateway_client.get(f"/billingAccounts/{home_id}", token=ASESOR).json()
    world_home = next(a for a in world.tables["home_accounts"] if a["account_number"] == home_id)
    assert home["@type"] == "HomeBillingAccount" and home["system"] == "rr" and home["estrato"] == world_home["estrato"]
    assert home["relatedParty"] == [
        {
            "id": cid,
            "href": f"http://testserver/customers/{cid}",
            "name": name,
            "role": "customer",
            "@referredType": "Customer",
        }
    ]
    mobile_id = expect.mobile_accounts(world, cid)[0]
    mobile = gateway_client.get(f"/billingAccounts/{mobile_id}", token=ASESOR).json()
    assert mobile["@type"] == "MobileBillingAccount" and mobile["system"] == "ac"
    assert sorted(line["msisdn"] for line in mobile["lines"]) == sorted(
        x["msisdn"] for x in world.tables["lines"] if x["account_number"] == mobile_id
    )
    for account in (home, mobile):
        assert expect.tmf_errors("BillingAccount", account) == []
        assert account["state"] == "Active"


def test_suspended_states_use_tmf_values(gateway_client, world):
    account = next(a for a in world.tables["home_accounts"] if a["status"] == "suspendido")
    assert gateway_client.get(f"/billingAccounts/{account['account_number']}").json()["state"] == "Suspended"
    line = next(x for x in world.tables["lines"] if x["status"] == "suspendida")
    view = gateway_client.get(f"/billingAccounts/{line['account_number']}").json()
    shown = next(x for x in view["lines"] if x["msisdn"] == line["msisdn"])
    assert shown["status"] == "suspended" and shown["statusReason"] == line["suspension_reason"]


@pytest.mark.parametrize("account, system", [("12345678", "rr"), ("1234567890", "ac"), ("90000000", "rr")])
def test_unknown_billing_account_is_a_404_naming_the_system(gateway_client, account, system):
    response = gateway_client.get(f"/billingAccounts/{account}", token=ASESOR)
    assert response.status_code == 404 and response.headers["content-type"] == "application/problem+json"
    assert response.json()["system"] == system and account in response.json()["detail"]
