"""An unknown X-Sandbox: every operation that acts in a sandbox answers the documented 404 (how to create it) and
nothing is written for it, in the gateway's own files or in any system. Each operation's request is built from
gateway.yaml (path and query examples, the example body)."""

from __future__ import annotations

from pathlib import Path

import pytest

from claro_backoffice.core.systems import SYSTEMS
from claro_backoffice.core.yamlload import safe_load
from claro_backoffice.gateway.runtime import spec_path

UNKNOWN = "never-created"
# Operations that don't take X-Sandbox, and what they answer while it names an unknown sandbox (the header is
# not theirs, so it is ignored): Meta's webhook finds its sandbox in the body; the catalogues are the same in
# every sandbox; the sandbox operations name theirs in the path (here the unknown one: 404) or the body.
NOT_IN_A_SANDBOX = {
    "GET /whatsapp/webhook": 403,  # no verify token
    "POST /whatsapp/webhook": 401,  # unsigned
    "GET /whatsapp/webhook/{sandbox}": 403,  # the path's sandbox (the example, default): no verify token
    "POST /whatsapp/webhook/{sandbox}": 401,  # unsigned: checked before the path's sandbox
    "GET /typifications": 200,
    "GET /guides": 200,
    "GET /guides/{symptom}": 200,
    "GET /admin/sandboxes": 200,
    "DELETE /admin/sandboxes/{name}": 404,
    "POST /admin/sandboxes/{name}/reset": 404,
    "GET /health/ready": 200,
    "GET /me": 200,  # who the token is, in no sandbox
    # an issued token is named by its id, whatever the sandbox: the example's record exists once the contract
    # test (same session) planted it, and not before
    "GET /admin/tokens/{tokenId}": (200, 404),
    "DELETE /admin/tokens/{tokenId}": (200, 404),
    # training sessions name their own sandboxes (<class>--<trainee>-<n>); the example session exists once the
    # contract test planted it, and the contract run moves it along its states
    "GET /training/rubric": 200,
    "GET /training/sessions": 200,
    "GET /training/sessions/{sessionId}": (200, 404),
    "POST /training/sessions/{sessionId}/start": (200, 404, 409),
    "POST /training/sessions/{sessionId}/finish": (200, 404, 409),
    "GET /training/sessions/{sessionId}/trainees/{trainee}/report": (200, 404),
    "GET /training/sessions/{sessionId}/attempts/{attemptId}": (200, 404),
    "GET /training/sessions/{sessionId}/attempts/{attemptId}/live": (200, 404),
    "PUT /training/sessions/{sessionId}/attempts/{attemptId}/marks/{itemId}": (200, 404, 409),
    "POST /training/sessions/{sessionId}/attempts/{attemptId}/disputes": (201, 404, 409),
    "POST /training/sessions/{sessionId}/attempts/{attemptId}/disputes/{disputeId}/answer": (200, 404, 409),
    "POST /training/sessions/{sessionId}/attempts/{attemptId}/token": (201, 404, 409),
    "GET /training/classes/{className}/cohort": (200, 404),
}
# POST /admin/sandboxes is how a sandbox comes to exist: not walked.
# POST /training/sessions creates its class's sandboxes (named in its body): not walked either.
SKIPPED = {"POST /admin/sandboxes", "POST /training/sessions"}


def _spec() -> dict:
    return safe_load(spec_path().read_text(encoding="utf-8"))


def _resolve(spec: dict, value: dict) -> dict:
    while "$ref" in value:
        node = spec
        for part in value["$ref"].lstrip("#/").split("/"):
            node = node[part]
        value = node
    return value


def _example(spec: dict, parameter: dict):
    if "example" in parameter:
        return parameter["example"]
    schema = _resolve(spec, parameter.get("schema", {}))
    return schema.get("example", schema.get("default"))


def _operations():
    spec = _spec()
    for route, item in spec["paths"].items():
        for method, operation in item.items():
            if method in ("get", "post", "put", "patch", "delete") and f"{method.upper()} {route}" not in SKIPPED:
                yield spec, route, method.upper(), item, operation


def _request(spec, route, item, operation) -> dict:
    path, params, headers = route, {}, {"X-Sandbox": UNKNOWN}
    for parameter in (_resolve(spec, p) for p in item.get("parameters", []) + operation.get("parameters", [])):
        if parameter["in"] == "path":
            value = UNKNOWN if route.startswith("/admin/sandboxes/") else _example(spec, parameter)
            assert value is not None, f"{route}: path parameter {parameter['name']} has no example"
            path = path.replace("{" + parameter["name"] + "}", str(value))
        elif parameter["in"] == "query" and parameter.get("required"):
            params[parameter["name"]] = _example(spec, parameter)
        elif parameter["in"] == "header" and parameter.get("required"):
            headers[parameter["name"]] = str(_example(spec, parameter))
    request = {"path": path, "params": params, "headers": headers}
    body = operation.get("requestBody", {}).get("content", {}).get("application/json")
    if body is not None:
        examples = body.get("examples")
        request["json"] = next(iter(examples.values()))["value"] if examples else body.get("example", {})
    roles = operation.get("x-roles") or []
    request["token"] = ("dev-admin" if "admin" in roles else f"dev-{roles[0]}") if roles else None
    return request


def _files(folder: Path) -> set[str]:
    return {str(p.relative_to(folder)) for p in folder.rglob("*")}


def test_every_operation_in_a_sandbox_is_a_404_for_an_unknown_one_and_writes_nothing(gateway_client):
    var = Path(gateway_client.app.runtime.settings.var_dir)
    before = _files(var)
    walked = set()
    for spec, route, method, item, operation in _operations():
        name = f"{method} {route}"
        request = _request(spec, route, item, operation)
        response = gateway_client.request(method, request.pop("path"), **request)
        expected = NOT_IN_A_SANDBOX.get(name, 404)
        allowed = expected if isinstance(expected, tuple) else (expected,)
        assert response.status_code in allowed, f"{name}: {response.status_code} {response.text[:300]}"
        if name not in NOT_IN_A_SANDBOX:
            problem = response.json()
            assert response.headers["content-type"] == "application/problem+json", name
            assert problem["type"].endswith("/unknown-sandbox"), f"{name}: {problem}"
            assert f'POST /admin/sandboxes {{"name": "{UNKNOWN}"}}' in problem["detail"], name
            assert "404" in operation["responses"], f"{name} does not document its 404"
        walked.add(name)
    assert len(walked) > 80 and set(NOT_IN_A_SANDBOX) <= walked
    assert not {f for f in _files(var) - before if UNKNOWN in f}, "a file was written for the unknown sandbox"
    assert not any(UNKNOWN in f for f in _files(var))
    # Nothing but questions (does it exist? its faults? the list) and the refused sandbox operations reached a
    # system for it, and no system has it now.
    asked = {(c.method, c.path) for c in gateway_client.backoffice.calls if c.headers.get("X-Sandbox") == UNKNOWN}
    assert asked <= {
        ("GET", "/__admin/clock"),
        ("GET", "/__admin/sandboxes"),
        ("GET", "/__admin/faults"),
        ("DELETE", f"/__admin/sandboxes/{UNKNOWN}"),
        ("POST", "/__admin/reset"),
    }, asked
    for system in SYSTEMS:
        listed = gateway_client.backoffice.client(system).get("/__admin/sandboxes").json()["sandboxes"]
        assert UNKNOWN not in {s["name"] for s in listed}, system


@pytest.mark.parametrize("path", ["/cases", "/ideas", "/conversations", "/pqrs"])
def test_reads_of_the_gateways_own_records_create_no_file(gateway_client, path):
    """The reported case: these answered 200 from the gateway's own SQLite and left a file per name behind."""
    sandboxes = Path(gateway_client.app.runtime.settings.var_dir) / "sandboxes"
    for n in range(5):
        response = gateway_client.get(path, sandbox=f"junk-{n}")
        assert response.status_code == 404 and response.json()["type"].endswith("/unknown-sandbox")
    assert not list(sandboxes.glob("junk-*")) if sandboxes.exists() else True


def test_a_sandbox_created_after_a_404_is_found_at_once(gateway_client):
    assert gateway_client.get("/cases", sandbox="late-comer").status_code == 404
    assert gateway_client.post("/admin/sandboxes", json={"name": "late-comer"}).status_code == 201
    try:
        assert gateway_client.get("/cases", sandbox="late-comer").json() == {"cases": [], "total": 0}
    finally:
        gateway_client.delete("/admin/sandboxes/late-comer")
    assert gateway_client.get("/cases", sandbox="late-comer").status_code == 404, "deleted: unknown again"
