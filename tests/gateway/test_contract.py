"""Schemathesis over openapi/gateway.yaml, in-process: the gateway (response validation on) in front of the whole
back office served by the mocks through `responses`. Stateless, with the admin token; every operation must answer
2xx at least once, and no request the adapters sent may break a system's own spec."""

from __future__ import annotations

import os
import re

import pytest
import schemathesis
from hypothesis import HealthCheck, settings

from claro_backoffice.core.systems import SYSTEMS
from claro_backoffice.world.channel import business_number
from tests.support.backoffice import GatewayClient, InProcessBackoffice
from tests.support.cases import plant_contract_state
from tests.support.mocks import TEST_GATEWAY_URL

AUTH = GatewayClient.auth("dev-admin")
ADMIN_SANDBOX = "contract-admin"  # admin operations act here, so their faults and clock never touch `default`
# Per operation: the gateway has ~110 operations, each a round of downstream calls; `make contract-full` runs 150.
GATEWAY_EXAMPLES = 150 if os.environ.get("CONTRACT_PROFILE") == "full" else 6
# Against hanging only: schemathesis's default of 10 s per in-process call was exceeded on a loaded machine.
CALL_TIMEOUT = 300
WORLD_SEED = 20220207  # the configured world: a generated seed would build (and seed) a whole new world per example


@pytest.fixture(scope="module")
def office(backoffice_apps, backoffice_checks, gateway_app):
    with InProcessBackoffice(backoffice_apps, checks=backoffice_checks) as office:
        for system in SYSTEMS:
            office.client(system).post("/__admin/sandboxes", json={"name": ADMIN_SANDBOX})
        plant_contract_state(gateway_app.runtime)
        yield office
        for system in SYSTEMS:
            office.client(system).delete(f"/__admin/sandboxes/{ADMIN_SANDBOX}")
        office.reset()
        gateway_app.runtime.crm.reset("default")


@pytest.fixture(scope="module")
def gateway_schema(gateway_app, office):
    return schemathesis.openapi.from_asgi("/openapi.json", gateway_app)


@pytest.fixture(scope="module")
def answered_2xx():
    return set()


gateway = schemathesis.pytest.from_fixture("gateway_schema")


@gateway.parametrize()
@settings(
    max_examples=GATEWAY_EXAMPLES,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=list(HealthCheck),
)
def test_gateway_operations(case, gateway_app, office, answered_2xx):
    operation = f"{case.operation.method.upper()} {case.operation.path}"
    seed = case.body.get("seed") if operation == "POST /admin/sandboxes" and isinstance(case.body, dict) else None
    if type(seed) is int and 0 <= seed <= 2147483647:  # a valid seed stays valid; an invalid one is left to fail
        case.body["seed"] = WORLD_SEED
    headers = dict(AUTH)
    if case.headers and "X-Case-Id" in case.headers:  # a generated case id names no case: a 404 by design
        del case.headers["X-Case-Id"]
    if case.operation.path.startswith("/admin"):  # never `default`: a scenario's reset would wipe the planted state
        if case.headers:
            case.headers.pop("X-Sandbox", None)
        headers["X-Sandbox"] = ADMIN_SANDBOX
        name = case.body.get("name") if operation == "POST /admin/sandboxes" and isinstance(case.body, dict) else None
        if isinstance(name, str) and re.fullmatch(r"[a-z0-9-]{1,40}", name):  # as a router's client: its name in
            # X-Sandbox too (else a 422); an invalid name is left to the body's validation
            headers["X-Sandbox"] = name
    try:
        response = case.call_and_validate(headers=headers, timeout=CALL_TIMEOUT)
    finally:
        if operation == "POST /admin/faults":  # a generated delay of a minute would stall every later call
            sandbox = (case.headers or {}).get("X-Sandbox", ADMIN_SANDBOX)
            named = case.body.get("system") if isinstance(case.body, dict) else None
            for system in [named] if named in SYSTEMS else SYSTEMS:
                office.client(system).delete("/__admin/faults", headers={"X-Sandbox": sandbox})
        gateway_app.runtime.backoffice.reset_breakers()
    if 200 <= response.status_code < 300:
        answered_2xx.add(operation)


def test_a_signed_delivery_from_meta_is_taken(gateway_app, office, answered_2xx):
    """Meta's webhook can't be called with a generated body (it must be signed): Meta's simulator delivers one."""
    with gateway_app.test_client() as client:
        office.attach_gateway(client)
        try:
            sent = office.client("meta").post("/simulator/customers/573001234567/messages", json={"text": "Hola"})
        finally:
            office.detach_gateway()
    assert sent.status_code == 201 and sent.json()["delivery"]["status_code"] == 200, sent.text
    answered_2xx.add("POST /whatsapp/webhook")


def test_a_signed_delivery_to_the_sandbox_path_is_taken(gateway_app, office, answered_2xx):
    """The same, Meta's number in the admin sandbox delivering to the webhook URL that names that sandbox."""
    meta, in_sandbox = office.client("meta"), {"X-Sandbox": ADMIN_SANDBOX}
    number = business_number(ADMIN_SANDBOX)["phone_number_id"]
    url = f"{TEST_GATEWAY_URL}/whatsapp/webhook/{ADMIN_SANDBOX}"
    changed = meta.patch(
        f"/simulator/business-numbers/{number}/settings", json={"webhook_url": url}, headers=in_sandbox
    )
    assert changed.status_code == 200, changed.text
    with gateway_app.test_client() as client:
        office.attach_gateway(client)
        try:
            sent = meta.post("/simulator/customers/573001234569/messages", json={"text": "Hola"}, headers=in_sandbox)
        finally:
            office.detach_gateway()
    assert sent.status_code == 201 and sent.json()["delivery"]["url"] == url, sent.text
    assert sent.json()["delivery"]["status_code"] == 200, sent.text
    answered_2xx.add("POST /whatsapp/webhook/{sandbox}")


def test_every_operation_answered_2xx(gateway_schema, answered_2xx):
    operations = {f"{op.method.upper()} {op.path}" for op in (r.ok() for r in gateway_schema.get_all_operations())}
    missing = sorted(operations - answered_2xx)
    assert not missing, f"gateway operations that never answered 2xx in the contract run: {missing}"


def test_the_adapters_kept_every_system_contract(office):
    assert office.violations == []
