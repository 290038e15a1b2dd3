"""Downstream failures, set through the mocks' control API (or a refused connection): the 360 degrades, a
billing account maps each failure to 504/503/502 naming the system, never a 500."""

from __future__ import annotations

import pytest

from tests.gateway import expect

ASESOR = "dev-asesor"
# kind of fault -> (gateway status, reason)
FAILURES = {
    "timeout": (504, "timeout"),
    "refused": (503, "refused"),
    "error": (502, "bad-status"),
    "malformed": (502, "malformed"),
    "drop": (502, "dropped"),
}


@pytest.fixture(scope="module")
def both(world):
    return expect.customer_with(world, "hogar+movil")


def _break(gateway_client, system: str, failure: str, path: str = "*"):
    """Make `system` fail every call in `default`: through the gateway's admin API, or by refusing connections."""
    if failure == "refused":
        gateway_client.backoffice.refuse(system)
        return
    rule = {"system": system, "kind": failure, "path": path} | ({"status": 500} if failure == "error" else {})
    response = gateway_client.post("/admin/faults", json=rule)
    assert response.status_code == 201, response.text


@pytest.mark.parametrize("failure", FAILURES)
@pytest.mark.parametrize("down, up", [("rr", "ac"), ("ac", "rr")])
def test_the_360_degrades_when_one_system_fails(gateway_client, world, both, failure, down, up):
    _break(gateway_client, down, failure)
    response = gateway_client.get("/customers", token=ASESOR, params={"documentNumber": both["document_number"]})
    assert response.status_code == 200, response.text
    status, reason = FAILURES[failure]
    [view] = response.json()
    [degraded] = view["degraded"]
    assert degraded["system"] == down and degraded["status"] == status and degraded["reason"] == reason
    assert down in degraded["detail"]
    assert response.headers["X-Degraded-Systems"] == down
    assert view["systems"] == [up]
    if up == "rr":
        assert sorted(a["id"] for a in view["homeAccounts"]) == expect.home_accounts(world, both["customer_id"])
        assert view["mobileLines"] == []
    else:
        assert sorted(x["msisdn"] for x in view["mobileLines"]) == expect.lines(world, both["customer_id"])
        assert view["homeAccounts"] == []


def test_no_match_with_a_system_down_is_an_empty_list_that_names_it(gateway_client):
    _break(gateway_client, "rr", "refused")
    response = gateway_client.get("/customers", token=ASESOR, params={"documentNumber": "000001"})
    assert response.status_code == 200 and response.json() == []
    assert response.headers["X-Degraded-Systems"] == "rr"


def test_get_customer_degrades_too(gateway_client, world, both):
    _break(gateway_client, "ac", "timeout")
    response = gateway_client.get(f"/customers/{both['customer_id']}", token=ASESOR)
    assert response.status_code == 200
    assert [d["system"] for d in response.json()["degraded"]] == ["ac"]
    assert response.headers["X-Degraded-Systems"] == "ac"  # as the README promises for every 360
    assert sorted(a["id"] for a in response.json()["homeAccounts"]) == expect.home_accounts(world, both["customer_id"])


def test_a_customer_only_in_the_failing_system_is_not_a_404(gateway_client, world):
    """RR is down and AC does not know the customer: the gateway can't say the customer does not exist."""
    home = expect.customer_with(world, "hogar")
    _break(gateway_client, "rr", "timeout")
    response = gateway_client.get(f"/customers/{home['customer_id']}", token=ASESOR)
    assert response.status_code == 504 and response.json()["system"] == "rr"


def test_a_failure_in_the_second_round_degrades_that_system(gateway_client, both):
    """The search answers but the accounts call fails: the customer is shown, the system is degraded."""
    _break(gateway_client, "rr", "error", path="/subscribers/*/accounts")
    [view] = gateway_client.get("/customers", token=ASESOR, params={"documentNumber": both["document_number"]}).json()
    assert [d["system"] for d in view["degraded"]] == ["rr"] and view["homeAccounts"] == []
    assert view["identity"]["documentNumber"] == both["document_number"]


@pytest.mark.parametrize("failure", FAILURES)
def test_both_systems_failing_is_the_mapped_problem(gateway_client, both, failure):
    _break(gateway_client, "rr", failure)
    _break(gateway_client, "ac", failure)
    response = gateway_client.get("/customers", token=ASESOR, params={"documentNumber": both["document_number"]})
    status, reason = FAILURES[failure]
    assert response.status_code == status and response.headers["content-type"] == "application/problem+json"
    problem = response.json()
    assert problem["system"] == "rr" and problem["type"].endswith("/" + reason)
    assert "rr" in problem["detail"] and "ac" in problem["detail"]
    assert [d["system"] for d in problem["degraded"]] == ["rr", "ac"]


@pytest.mark.parametrize("failure", FAILURES)
@pytest.mark.parametrize("account, system", [("20150259", "rr"), ("1523884606", "ac")])
def test_billing_account_failures_map_to_50x_naming_the_system(gateway_client, failure, account, system):
    _break(gateway_client, system, failure)
    response = gateway_client.get(f"/billingAccounts/{account}", token=ASESOR)
    status, reason = FAILURES[failure]
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["system"] == system and response.json()["type"].endswith("/" + reason)


def test_an_unknown_sandbox_is_a_404_that_says_how_to_create_it(gateway_client, both):
    response = gateway_client.get(
        "/customers", token=ASESOR, sandbox="nowhere", params={"documentNumber": both["document_number"]}
    )
    assert response.status_code == 404
    assert "POST /admin/sandboxes" in response.json()["detail"]
    assert response.json()["type"].endswith("/unknown-sandbox")
    account = gateway_client.get("/billingAccounts/20150259", token=ASESOR, sandbox="nowhere")
    assert account.status_code == 404 and "nowhere" in account.json()["detail"]


def test_a_delay_under_the_read_timeout_is_no_failure(gateway_client):
    gateway_client.post("/admin/faults", json={"system": "rr", "kind": "delay", "delayMs": 50})
    assert gateway_client.get("/billingAccounts/20150259", token=ASESOR).status_code == 200
