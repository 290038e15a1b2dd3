"""The contract suite every mock shares: schemathesis over a mock's own spec (stateless and stateful), with a
record of which operations answered 2xx so a run full of 404s can't pass.

A test module calls `mock_contract(globals(), "rr")` to get the same tests for its system.
"""

from __future__ import annotations

import os

import pytest
import schemathesis
from hypothesis import HealthCheck, settings

from claro_backoffice.mocks.kit.worlds import WorldCache
from tests.support.mocks import create_mock

# `make contract-full` raises the number of examples per operation.
FULL = os.environ.get("CONTRACT_PROFILE") == "full"
EXAMPLES = 150 if FULL else 12  # per operation and phase; schemathesis.toml keeps the same budget for the CLI
STATEFUL_SETTINGS = settings(
    max_examples=40 if FULL else 4,
    stateful_step_count=12 if FULL else 6,
    deadline=None,
    derandomize=True,
    suppress_health_check=list(HealthCheck),
    database=None,
)


def mock_contract(namespace: dict, system: str) -> None:
    @pytest.fixture(scope="module")
    def contract_app(tmp_path_factory):
        return create_mock(system, tmp_path_factory.mktemp(f"contract-{system}"), WorldCache())

    @pytest.fixture(scope="module")
    def business_schema(contract_app):
        return schemathesis.openapi.from_asgi("/openapi.json", contract_app)

    @pytest.fixture(scope="module")
    def admin_schema(contract_app):
        return schemathesis.openapi.from_asgi("/__admin/openapi.json", contract_app)

    @pytest.fixture(scope="module")
    def answered_2xx():
        return set()

    business = schemathesis.pytest.from_fixture("business_schema")

    @business.parametrize()
    @settings(
        max_examples=EXAMPLES, deadline=None, derandomize=True, database=None, suppress_health_check=list(HealthCheck)
    )
    def test_business_operations(case, answered_2xx):
        response = case.call_and_validate()
        if 200 <= response.status_code < 300:
            answered_2xx.add(f"{case.operation.method.upper()} {case.operation.path}")

    def test_every_operation_answered_2xx(business_schema, answered_2xx):
        operations = {
            f"{op.method.upper()} {op.path}" for op in (result.ok() for result in business_schema.get_all_operations())
        }
        missing = sorted(operations - answered_2xx)
        assert not missing, f"{system}: these operations never answered 2xx in the contract run: {missing}"

    def test_stateful(business_schema, contract_app):
        machine = business_schema.as_state_machine()

        class Machine(machine):
            def setup(self):
                with contract_app.test_client() as client:
                    client.post("/__admin/reset")

        Machine.TestCase.settings = STATEFUL_SETTINGS
        Machine.TestCase().runTest()

    namespace.update(
        {
            "contract_app": contract_app,
            "business_schema": business_schema,
            "admin_schema": admin_schema,
            "answered_2xx": answered_2xx,
            "test_business_operations": test_business_operations,
            "test_every_operation_answered_2xx": test_every_operation_answered_2xx,
            "test_stateful": test_stateful,
        }
    )
