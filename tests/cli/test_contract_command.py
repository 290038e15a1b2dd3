"""`contract`: schemathesis against a running server in a sandbox of its own (`contract-<random>`, an admin token
pinned to it), deleted at the end with the token revoked; every other sandbox untouched. Exit 1 with schemathesis's
failures when the server breaks its contract; exit 2 naming the extra when schemathesis is not installed."""

from __future__ import annotations

import importlib
import re
import sys
from pathlib import Path

import pytest

from claro_backoffice.cli import main
from claro_backoffice.cli.contract import EXAMPLES
from tests.cli.fake import fake_server

TOKEN_ID = "TOK-0123456789abcdef"
SPEC = {
    "openapi": "3.0.3",
    "info": {"title": "a gateway that breaks its contract", "version": "1"},
    "servers": [{"url": "/api/v1"}],
    "paths": {
        "/health": {
            "get": {
                "operationId": "health",
                "responses": {
                    "200": {
                        "description": "ok",
                        "content": {
                            "application/json": {
                                "schema": {
                                    "type": "object",
                                    "required": ["status"],
                                    "properties": {"status": {"type": "string"}},
                                }
                            }
                        },
                    }
                },
            }
        }
    },
}


def _breaking_gateway(existing: bool = False):
    """Answers the admin calls the command makes, and GET /health without the `status` its spec requires."""

    def answer(method, path, headers, body):
        if (method, path) == ("GET", "/api/v1/openapi.json"):
            return 200, SPEC
        if (method, path) == ("POST", "/api/v1/admin/sandboxes"):
            return (409, {"title": "Conflict", "status": 409}) if existing else (201, {"results": []})
        if (method, path) == ("POST", "/api/v1/admin/tokens"):
            return 201, {"id": TOKEN_ID, "token": "clr1.pinned", "sandbox": body["sandbox"], "role": "admin"}
        if method == "DELETE" and path.startswith("/api/v1/admin/"):
            return 200, {"results": []}
        if (method, path) == ("GET", "/api/v1/health"):
            return 200, {}
        return 404, {"title": "Not Found", "status": 404}

    return answer


def test_a_server_breaking_its_contract_is_exit_1_with_schemathesis_failures(capfd):
    with fake_server(_breaking_gateway()) as fake:
        code = main(["contract", "--url", fake.url, "--token", "the-admin"])
    out, err = capfd.readouterr()
    assert code == 1
    assert "Response violates schema" in out and '"status" is a required property' in out, out[-3000:]
    assert err.endswith(f"contract: {fake.url} does not conform to its contract (schemathesis exit 1)\n")
    admin = [(a.method, a.path, a.body) for a in fake.asked if "/admin/" in a.path]
    sandbox = admin[0][2]["name"]
    assert re.fullmatch(r"contract-[0-9a-f]{8}", sandbox)
    assert admin == [
        ("POST", "/api/v1/admin/sandboxes", {"name": sandbox}),
        ("POST", "/api/v1/admin/tokens", {"role": "admin", "sandbox": sandbox, "expiresInMinutes": 1440}),
        ("DELETE", f"/api/v1/admin/tokens/{TOKEN_ID}", None),
        ("DELETE", f"/api/v1/admin/sandboxes/{sandbox}", None),
    ]
    assert all(a.headers["Authorization"] == "Bearer the-admin" for a in fake.asked if "/admin/" in a.path)
    checked = [a for a in fake.asked if a.path.startswith("/api/v1/health")]
    assert checked, "schemathesis called the operation"
    assert all(a.headers["Authorization"] == "Bearer clr1.pinned" for a in checked), "with the pinned token"
    assert all(a.headers["X-Sandbox"] == sandbox for a in checked), "in its own sandbox"


def test_with_a_sandbox_named_it_is_kept(capfd):
    """--sandbox: an existing sandbox (409 on creating it) is used and kept; the pinned token is still revoked."""
    with fake_server(_breaking_gateway(existing=True)) as fake:
        code = main(["contract", "--sandbox", "st", "--url", fake.url, "--token", "the-admin"])
    capfd.readouterr()
    assert code == 1
    admin = [(a.method, a.path) for a in fake.asked if "/admin/" in a.path]
    assert admin == [
        ("POST", "/api/v1/admin/sandboxes"),
        ("POST", "/api/v1/admin/tokens"),
        ("DELETE", f"/api/v1/admin/tokens/{TOKEN_ID}"),
    ]


def test_without_schemathesis_it_is_exit_2_naming_the_extra(run, refused_url, monkeypatch):
    monkeypatch.setitem(sys.modules, "schemathesis", None)  # `import schemathesis` now fails as if not installed
    ran = run("contract", "--url", refused_url)
    assert ran.code == 2 and ran.out == ""
    assert ran.err == "contract: schemathesis is not installed: pip install 'claro-backoffice[contract]'\n"


def test_the_profiles_are_the_project_budgets(monkeypatch):
    """quick and full are the examples per operation of tests/gateway/test_contract.py by CONTRACT_PROFILE."""
    from tests.gateway import test_contract

    try:
        for profile in ("quick", "full"):
            monkeypatch.setenv("CONTRACT_PROFILE", profile)
            assert importlib.reload(test_contract).GATEWAY_EXAMPLES == EXAMPLES[profile]
    finally:
        monkeypatch.undo()
        importlib.reload(test_contract)


# ---- against the real thing ----------------------------------------------------------------------------------------
def _state(api, sandbox):
    """Everything a contract run could change in a sandbox: what every system was asked, faults, clocks, data."""
    journal = api("GET", "/admin/journal", sandbox=sandbox, params={"limit": 1000}).json()
    faults = api("GET", "/admin/faults", sandbox=sandbox).json()
    clocks = api("GET", "/admin/clock", sandbox=sandbox).json()
    for clock in clocks["clocks"]:
        clock.pop("now")  # a running clock moves by itself; whether it is frozen is what a run could change
    cases, ideas = api("GET", "/cases", sandbox=sandbox).json(), api("GET", "/ideas", sandbox=sandbox).json()
    return journal, faults, clocks, cases, ideas


@pytest.fixture
def bystander(api):
    """A sandbox with a scenario loaded and a fault planted: what another user is doing meanwhile."""
    assert api("POST", "/admin/sandboxes", json={"name": "cli-bystander"}).status_code == 201
    assert api("POST", "/admin/scenarios/modem-without-sync", sandbox="cli-bystander").status_code == 200
    planted = {"system": "rr", "kind": "error", "status": 503, "path": "/accounts/*", "count": 1}
    assert api("POST", "/admin/faults", sandbox="cli-bystander", json=planted).status_code == 201
    yield "cli-bystander"
    api("DELETE", "/admin/sandboxes/cli-bystander")


def test_a_conforming_server_passes_and_every_other_sandbox_is_untouched(server, api, bystander, capfd):
    before = {name: _state(api, name) for name in (bystander, "default")}
    sandboxes_before = {s["name"] for s in api("GET", "/admin/sandboxes").json()["sandboxes"]}
    code = main(["contract", "--url", server.base, "--token", "dev-admin"])
    out, err = capfd.readouterr()
    assert code == 0, out[-5000:] + err
    assert out.endswith(f"contract: {server.base} conforms\n")
    sandbox = re.search(r"^contract: sandbox (contract-[0-9a-f]{8}) \(created\), quick profile$", out, re.M).group(1)
    assert {name: _state(api, name) for name in (bystander, "default")} == before
    assert {s["name"] for s in api("GET", "/admin/sandboxes").json()["sandboxes"]} == sandboxes_before
    assert sandbox not in sandboxes_before


def test_the_packaged_config_is_the_repository_one():
    """contract.toml travels in the package: the same rules as schemathesis.toml (statuses accepted, seed, budget)."""
    import tomllib
    from importlib.resources import files

    packaged = tomllib.loads((files("claro_backoffice.cli") / "contract.toml").read_text(encoding="utf-8"))
    repository = tomllib.loads((Path(__file__).resolve().parents[2] / "schemathesis.toml").read_text(encoding="utf-8"))
    assert packaged == repository
