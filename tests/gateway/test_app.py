"""How the gateway is composed: mounted at /api/v1 (spec, Swagger UI, hrefs follow the mount), every operation
resolved, no work at import time."""
from __future__ import annotations

import importlib
import sys

from starlette.applications import Starlette
from starlette.routing import Mount
from starlette.testclient import TestClient

from gateway.runtime import spec_path
from world.yamlload import safe_load


def test_mounted_at_api_v1(gateway_app, backoffice):
    root = Starlette(routes=[Mount("/api/v1", app=gateway_app)])
    with TestClient(root) as client:
        spec = client.get("/api/v1/openapi.json")
        assert spec.status_code == 200 and spec.json()["servers"] == [{"url": "/api/v1"}]
        assert client.get("/api/v1/ui/").status_code == 200
        account = client.get("/api/v1/billingAccounts/20150259", headers={"Authorization": "Bearer dev-asesor"}).json()
        assert account["href"] == "http://testserver/api/v1/billingAccounts/20150259"
        assert account["@schemaLocation"] == "http://testserver/api/v1/openapi.json#/components/schemas/HomeBillingAccount"


def test_every_operation_resolves_to_a_handler():
    raw = safe_load(spec_path().read_text(encoding="utf-8"))
    resolved = set()
    for item in raw["paths"].values():
        for operation in item.values():
            module, function = operation["operationId"].rsplit(".", 1)
            handler = getattr(importlib.import_module(f"gateway.api.{module}"), function)
            assert callable(handler) and handler not in resolved, operation["operationId"]
            resolved.add(handler)


def test_importing_the_gateway_does_no_work(monkeypatch):
    """No env read, no session, no thread at import: importing every module touches nothing."""
    for name in [m for m in sys.modules if m == "gateway" or m.startswith("gateway.")]:
        monkeypatch.delitem(sys.modules, name)
    monkeypatch.setattr("os.environ", {"GATEWAY_TOKENS": "this:is:not valid at all"})
    for module in ("gateway.app", "gateway.api.customers", "gateway.api.admin", "gateway.api.billing_accounts",
                   "gateway.api.health", "gateway.security", "gateway.backoffice"):
        importlib.import_module(module)
