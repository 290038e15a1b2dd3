"""Bearer tokens mapped to roles, optionally pinned to a sandbox; every operation declares its security."""

from __future__ import annotations

import pytest

from claro_backoffice.core.yamlload import safe_load
from claro_backoffice.gateway.runtime import spec_path
from claro_backoffice.gateway.settings import ROLES

SEARCH = ("/customers", {"documentNumber": "1025948177"})


def _operations():
    spec = safe_load(spec_path().read_text(encoding="utf-8"))
    for route, item in spec["paths"].items():
        for method, operation in item.items():
            yield method.upper(), route, operation, spec["security"]


def test_every_operation_declares_its_security_and_roles():
    for method, route, operation, default in _operations():
        security = operation.get("security", default)
        if security:
            assert set(operation["x-roles"]) <= set(ROLES), f"{method} {route}"
            for status in ("401", "403"):
                assert status in operation["responses"], f"{method} {route} documents no {status}"
        elif route == "/whatsapp/webhook":  # Meta's: its signature or verify token authenticates it
            assert "401" in operation["responses"] or method == "GET", f"{method} {route} documents no 401"
            assert "403" in operation["responses"] or method == "POST", f"{method} {route} documents no 403"
        else:
            assert route in ("/health", "/health/ready"), (
                f"{method} {route} is open: only the health checks and Meta's webhook may be"
            )


@pytest.mark.parametrize("headers", [{}, {"Authorization": "Bearer not-a-token"}, {"Authorization": "Basic eDp5"}])
def test_no_or_an_unknown_token_is_a_401(gateway_client, headers):
    response = gateway_client.get(SEARCH[0], token=None, params=SEARCH[1], headers=headers)
    assert response.status_code == 401 and response.headers["content-type"] == "application/problem+json"
    assert gateway_client.backoffice.calls == []


@pytest.mark.parametrize("role", [r for r in ROLES if r != "formador"])
def test_every_role_reads_customers_but_only_admin_administers(gateway_client, role):
    assert gateway_client.get(SEARCH[0], token=f"dev-{role}", params=SEARCH[1]).status_code == 200
    admin = gateway_client.get("/admin/sandboxes", token=f"dev-{role}")
    if role == "admin":
        assert admin.status_code == 200
    else:
        assert admin.status_code == 403 and "admin" in admin.json()["detail"]
        assert admin.json()["type"].endswith("/forbidden-role")


def test_a_trainer_runs_training_but_reads_no_customer_and_administers_nothing(gateway_client):
    assert gateway_client.get("/training/sessions", token="dev-formador").status_code == 200
    for path, params in (SEARCH, ("/admin/sandboxes", None)):
        refused = gateway_client.get(path, token="dev-formador", params=params)
        assert refused.status_code == 403 and refused.json()["type"].endswith("/forbidden-role")


def test_a_pinned_token_reaches_only_its_sandbox(gateway_client):
    assert gateway_client.post("/admin/sandboxes", json={"name": "training"}).status_code in (201, 409)
    try:
        other = gateway_client.get(SEARCH[0], token="dev-trainee", sandbox="default", params=SEARCH[1])
        assert other.status_code == 403 and other.json()["type"].endswith("/forbidden-sandbox")
        own = gateway_client.get(SEARCH[0], token="dev-trainee", sandbox="training", params=SEARCH[1])
        assert own.status_code == 200
        implicit = gateway_client.get(SEARCH[0], token="dev-trainee", params=SEARCH[1])
        assert implicit.status_code == 200
        sent = [c.headers["X-Sandbox"] for c in gateway_client.backoffice.calls if not c.path.startswith("/__admin")]
        assert set(sent) == {"training"}, "a pinned token without X-Sandbox acts on its own sandbox"
    finally:
        gateway_client.delete("/admin/sandboxes/training")


def test_health_needs_no_token(gateway_client):
    assert gateway_client.get("/health", token=None).status_code == 200


def test_tokens_come_from_the_environment(gateway_app):
    from claro_backoffice.gateway.app import create_app
    from claro_backoffice.gateway.settings import GatewaySettings

    app = create_app(GatewaySettings.from_env({"GATEWAY_TOKENS": "s3cret:supervisor,t1:asesor:class-1"}))
    with app.test_client() as client:
        assert client.get("/admin/sandboxes", headers={"Authorization": "Bearer dev-admin"}).status_code == 401
        assert client.get("/admin/sandboxes", headers={"Authorization": "Bearer s3cret"}).status_code == 403
        pinned = client.get(
            "/customers", params={"phone": "3234503674"}, headers={"Authorization": "Bearer t1", "X-Sandbox": "class-2"}
        )
        assert pinned.status_code == 403
    app.runtime.close()
