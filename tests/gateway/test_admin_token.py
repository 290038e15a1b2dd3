"""MOCK_ADMIN_TOKEN: every mock's control API needs it as a bearer token once it is set (401 problem otherwise),
the business APIs and the specs stay open, and the gateway's admin fan-out sends it."""

from __future__ import annotations

import pytest

from claro_backoffice.core.systems import SYSTEMS
from claro_backoffice.core.yamlload import safe_load
from claro_backoffice.gateway.app import create_app
from claro_backoffice.gateway.backoffice import BackofficeHttp
from claro_backoffice.gateway.settings import GatewaySettings
from claro_backoffice.mocks.kit.paths import mock_specs_dir
from tests.support.backoffice import FakeClock, InProcessBackoffice
from tests.support.inprocess_client import in_process_client
from tests.support.mocks import create_mock

TOKEN = "s3cret-admin-token"
ADMIN = {"Authorization": "Bearer dev-admin"}


@pytest.fixture(scope="module")
def guarded_apps(tmp_path_factory, worlds):
    """Every mock started with MOCK_ADMIN_TOKEN."""
    var = tmp_path_factory.mktemp("guarded")
    return {system: create_mock(system, var, worlds, admin_token=TOKEN) for system in SYSTEMS}


@pytest.fixture
def rr(guarded_apps):
    with in_process_client(guarded_apps["rr"]) as client:
        yield client


def _admin_operations():
    spec = safe_load((mock_specs_dir() / "admin.yaml").read_text(encoding="utf-8"))
    return [
        (method.upper(), "/__admin" + path.replace("{name}", "training-x").replace("{fault_id}", "1"))
        for path, item in spec["paths"].items()
        for method in item
        if method != "parameters"
    ]


@pytest.mark.parametrize("method, path", _admin_operations())
def test_every_control_operation_needs_the_token(rr, method, path):
    for headers in ({}, {"Authorization": "Bearer wrong"}, {"Authorization": TOKEN}):
        response = rr.request(method, path, headers=headers, json={} if method == "POST" else None)
        assert response.status_code == 401, (method, path, headers, response.text)
        assert response.headers["content-type"] == "application/problem+json"
        assert response.headers["www-authenticate"].startswith("Bearer")
        assert "MOCK_ADMIN_TOKEN" in response.json()["detail"]


def test_with_the_token_the_control_api_answers(rr):
    auth = {"Authorization": f"Bearer {TOKEN}"}
    assert rr.get("/__admin/sandboxes", headers=auth).status_code == 200
    added = rr.post("/__admin/faults", headers=auth, json={"kind": "error", "status": 500, "path": "/nothing"})
    assert added.status_code == 201
    assert rr.delete("/__admin/faults", headers=auth).json() == {"deleted": 1}
    unknown = rr.get("/__admin/clock", headers={"X-Sandbox": "nowhere"})
    assert unknown.status_code == 401, "no token, no hint that a sandbox exists or not"


def test_the_business_api_and_the_specs_stay_open(rr):
    assert rr.get("/accounts/20150259").status_code == 200
    spec = rr.get("/__admin/openapi.json")
    assert spec.status_code == 200
    assert spec.json()["components"]["securitySchemes"]["adminToken"] == {
        "type": "http",
        "scheme": "bearer",
        "x-bearerInfoFunc": "claro_backoffice.mocks.kit.admin_auth.bearer_info",
        "description": "MOCK_ADMIN_TOKEN, required by every operation when the server was started with it",
    }


def test_without_the_setting_the_control_api_is_open(mock_client):
    assert mock_client("rr").get("/__admin/sandboxes").status_code == 200


def _gateway(tmp_path, token):
    settings = GatewaySettings(validate_responses=True, var_dir=tmp_path, mock_admin_token=token)
    return create_app(settings, BackofficeHttp(sleep=lambda _s: None, clock=FakeClock()))


def test_the_gateway_fan_out_sends_the_token(guarded_apps, tmp_path):
    app = _gateway(tmp_path, TOKEN)
    with InProcessBackoffice(guarded_apps) as office, in_process_client(app) as gateway:
        created = gateway.post("/admin/sandboxes", headers=ADMIN, json={"name": "token-ok"})
        assert created.status_code == 201, created.text
        assert {r["outcome"] for r in created.json()["results"]} == {"created"}
        assert gateway.get("/admin/journal", headers=ADMIN, params={"system": "rr"}).status_code == 200
        assert gateway.delete("/admin/sandboxes/token-ok", headers=ADMIN).status_code == 200
        admin_calls = [c for c in office.calls if c.path.startswith("/__admin")]
        assert {c.system for c in admin_calls} == set(SYSTEMS)
        assert {c.headers.get("Authorization") for c in admin_calls} == {f"Bearer {TOKEN}"}
    app.runtime.close()


def test_a_gateway_without_the_token_gets_a_502_naming_the_setting(guarded_apps, tmp_path):
    app = _gateway(tmp_path, None)
    with InProcessBackoffice(guarded_apps), in_process_client(app) as gateway:
        refused = gateway.post("/admin/faults", headers=ADMIN, json={"system": "rr", "kind": "timeout"})
    app.runtime.close()
    assert refused.status_code == 502, refused.text
    problem = refused.json()
    assert problem["system"] == "rr" and "MOCK_ADMIN_TOKEN" in problem["detail"]
