"""Contract of the control API (openapi/mocks/admin.yaml), run against RR: the same kit serves every mock."""

from __future__ import annotations

import pytest
import schemathesis

from claro_backoffice.mocks.kit.worlds import WorldCache
from tests.support.mocks import create_mock

# The example patch names a table only some systems have, and a fault id is random: both are covered by
# tests/kit/test_control_api.py instead.
NOT_2XX_BY_EXAMPLE = {"POST /fixtures", "DELETE /faults/{fault_id}"}


@pytest.fixture(scope="module")
def admin_app(tmp_path_factory):
    # Generated faults must not stall the run: a timeout fault holds 10 ms here.
    return create_mock("rr", tmp_path_factory.mktemp("contract-admin"), WorldCache(), timeout_fault_seconds=0.01)


@pytest.fixture(scope="module")
def admin_schema(admin_app):
    return schemathesis.openapi.from_asgi("/__admin/openapi.json", admin_app)


@pytest.fixture(scope="module")
def admin_answered_2xx():
    return set()


admin = schemathesis.pytest.from_fixture("admin_schema")


@admin.parametrize()
def test_admin_operations(case, admin_app, admin_answered_2xx):
    response = case.call_and_validate()
    if 200 <= response.status_code < 300:
        admin_answered_2xx.add(f"{case.operation.method.upper()} {case.operation.path}")
    # Generated delays (up to a minute) would slow every later call: clear faults everywhere.
    with admin_app.test_client() as client:
        for sandbox in client.get("/__admin/sandboxes").json()["sandboxes"]:
            client.delete("/__admin/faults", headers={"X-Sandbox": sandbox["name"]})


def test_every_admin_operation_answered_2xx(admin_schema, admin_answered_2xx):
    operations = {f"{op.method.upper()} {op.path}" for op in (r.ok() for r in admin_schema.get_all_operations())}
    missing = sorted(operations - admin_answered_2xx - NOT_2XX_BY_EXAMPLE)
    assert not missing, f"control API operations that never answered 2xx: {missing}"
