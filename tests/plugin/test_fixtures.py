"""The plugin's fixtures (claro_backoffice/testing/plugin.py) as a user's test meets them, in-process: a sandbox of
the test's own, scenarios, a customer on Meta's simulator, faults, the clock and journal assertions, all through the
gateway's URL with plain `requests`."""

from __future__ import annotations

import pytest
import requests

from claro_backoffice.gateway.services import scenarios

SCENARIO = "modem-without-sync"


def _auth(backoffice) -> dict:
    return {"Authorization": f"Bearer {backoffice.token}", "X-Sandbox": backoffice.sandbox}


def test_the_test_has_a_sandbox_of_its_own(backoffice, backoffice_sandbox, backoffice_gateway, worker_id):
    run = "main" if worker_id == "master" else worker_id  # named after the xdist worker (gw0...) under `make test`
    assert backoffice.sandbox == backoffice_sandbox and backoffice_sandbox.startswith(f"pytest-{run}-")
    listed = backoffice_gateway.get("/admin/sandboxes").json()["sandboxes"]
    assert {s["name"]: s["missingIn"] for s in listed}[backoffice_sandbox] == []


def test_a_scenario_is_loaded_into_the_tests_sandbox_only(backoffice, backoffice_scenario, backoffice_url):
    facts = backoffice_scenario(SCENARIO)
    written = scenarios.read(SCENARIO)["customer"]
    assert facts["sandbox"] == backoffice.sandbox and facts["customer"]["customerId"] == written["customerId"]
    assert facts["customer"]["phone"]["national"] == written["phone"]
    assert facts["expected"]["typificationCode"] == scenarios.read(SCENARIO)["expected"]["typificationCode"]
    account = facts["customer"]["accountId"]
    # the fixture (this modem offline) is in the test's sandbox, not in `default`
    check = {"accountId": account}
    here = requests.post(f"{backoffice_url}/homeDiagnostics", json=check, headers=_auth(backoffice))
    default = requests.post(
        f"{backoffice_url}/homeDiagnostics", json=check, headers={**_auth(backoffice), "X-Sandbox": "default"}
    )
    assert here.status_code == default.status_code == 200, (here.text, default.text)
    assert here.json()["modem"]["status"] == "offline" and default.json()["modem"]["status"] != "offline"
    backoffice.assert_called(
        "diagnosticador", "GET", f"/accounts/{account}/modem-check", times=1
    )  # default's: not here


def test_a_customer_writes_through_metas_simulator(backoffice, backoffice_customer):
    facts = backoffice.scenario(SCENARIO)
    phone = backoffice_customer(facts["customer"]["phone"]["waId"])
    phone.say(facts["chat"][0])
    assert "autorizas a tratar tus datos" in phone.received()[-1]
    assert backoffice.customer(facts).received() == phone.received()  # the same phone, from the facts


def test_a_fault_reaches_the_users_client_as_the_gateway_names_it(backoffice):
    account = backoffice.scenario(SCENARIO)["customer"]["accountId"]  # a home account: RR's
    rule = backoffice.fault("rr", "error", status=503, path="/accounts/*")
    assert rule["system"] == "rr"
    failed = requests.get(f"{backoffice.url}/billingAccounts/{account}", headers=_auth(backoffice))
    assert failed.status_code == 502 and failed.json()["system"] == "rr", failed.text
    elsewhere = requests.get(
        f"{backoffice.url}/billingAccounts/{account}", headers={**_auth(backoffice), "X-Sandbox": "default"}
    )
    assert elsewhere.status_code == 200, elsewhere.text  # faults belong to the sandbox
    backoffice.clear_faults()
    assert requests.get(f"{backoffice.url}/billingAccounts/{account}", headers=_auth(backoffice)).status_code == 200


def test_the_clock_is_set_and_advanced_in_every_system(backoffice):
    backoffice.set_clock("2026-12-24T18:00:00-05:00", frozen=True)
    backoffice.advance_clock("PT90M")
    clocks = backoffice.clock()["clocks"]
    assert len(clocks) == 13 and {c["now"] for c in clocks} == {"2026-12-24T19:30:00-05:00"}


def test_assert_called_matches_a_glob_and_lists_what_was_called_when_it_fails(backoffice):
    account = backoffice.scenario(SCENARIO)["customer"]["accountId"]
    assert backoffice.gateway.get(f"/billingAccounts/{account}").status_code == 200
    [asked] = backoffice.assert_called("rr", "GET", f"/accounts/{account[:3]}*")
    assert asked["path"] == f"/accounts/{account}" and asked["status"] == 200
    with pytest.raises(AssertionError) as failure:
        backoffice.assert_called("rr", "POST", "/accounts/*/markings")
    message = str(failure.value)
    assert message.startswith(
        f"rr was asked POST /accounts/*/markings 0 time(s) in sandbox {backoffice.sandbox}, expected at least once;"
    )
    assert f"\n  GET /accounts/{account} -> 200" in message
    backoffice.assert_not_called("rr", "POST", "/accounts/*/markings")
    with pytest.raises(AssertionError, match=r"asked GET /accounts/\* 1 time\(s\).*expected 2 time\(s\)"):
        backoffice.assert_called("rr", "GET", "/accounts/*", times=2)


def test_a_helper_that_fails_says_what_the_gateway_answered(backoffice):
    with pytest.raises(
        AssertionError, match="loading scenario no-such-thing: POST .* answered 404: .*modem-without-sync"
    ):
        backoffice.scenario("no-such-thing")
