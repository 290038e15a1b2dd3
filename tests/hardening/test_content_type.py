"""Issue 12, item 1: a body with no Content-Type (curl -H 'Content-Type:' --data-binary ...) or a foreign one, on
an operation that takes a body, is a 415 naming the type it takes, on every operation of every spec; nothing is
stored. (Before: with no Content-Type connexion validated the body as JSON, then gave the view bytes: a 500.)"""

from __future__ import annotations

import re

import pytest

from tests.hardening.specs import all_specs, operations, resolve

BODY = b'{"name": "hardening"}'
SPECS = all_specs()


def _url(spec: dict, path: str, op: dict) -> str:
    """Any value routes (the Content-Type is checked before the parameters), but an integer one must be digits."""
    parameters = [resolve(spec, p) for p in spec["paths"][path].get("parameters", []) + op.get("parameters", [])]
    integers = {p["name"] for p in parameters if resolve(spec, p.get("schema", {})).get("type") == "integer"}
    return re.sub(r"\{([^}]+)\}", lambda m: "1" if m.group(1) in integers else "x1", path)


def _body_operations(spec_name: str):
    spec = SPECS[spec_name]
    return [(method, path, _url(spec, path, op), op) for method, path, op in operations(spec) if "requestBody" in op]


def _check_415(answer, method: str, path: str, missing: bool):
    where = f"{method} {path}"
    assert answer.status_code == 415, f"{where}: {answer.status_code} {answer.text[:300]}"
    assert answer.headers["content-type"] == "application/problem+json", where
    detail = answer.json()["detail"]
    assert "application/json" in detail, f"{where}: {detail}"
    assert ("no Content-Type" in detail) if missing else ("'text/plain' is not accepted" in detail), detail


def test_the_walk_covers_the_gateway_and_every_mock():
    counts = {name: len(_body_operations(name)) for name in SPECS}
    assert counts["gateway"] >= 37 and counts["admin"] >= 4 and sum(counts.values()) >= 76, counts


def test_every_gateway_operation_with_a_body_wants_a_content_type(gateway_client):
    for method, path, url, op in _body_operations("gateway"):
        token = f"dev-{op['x-roles'][0]}" if "x-roles" in op else None
        for content_type, missing in ((None, True), ("text/plain", False)):
            headers = {"Content-Type": content_type} if content_type else {}
            answer = gateway_client.request(method, url, content=BODY, headers=headers, token=token)
            _check_415(answer, method, path, missing)


@pytest.mark.parametrize("system", [name for name in SPECS if name not in ("gateway", "admin")])
def test_every_mock_operation_with_a_body_wants_a_content_type(mock_client, system):
    client = mock_client(system)
    walk = [(m, p, url) for m, p, url, _ in _body_operations(system)]
    walk += [(m, "/__admin" + p, "/__admin" + url) for m, p, url, _ in _body_operations("admin")]
    for method, path, url in walk:
        for content_type, missing in ((None, True), ("text/plain", False)):
            headers = {"Content-Type": content_type} if content_type else {}
            answer = client.request(method, url, content=BODY, headers=headers)
            _check_415(answer, method, path, missing)


def test_a_sandbox_posted_without_content_type_is_not_created(gateway_client):
    answer = gateway_client.post("/admin/sandboxes", content=b'{"name": "sin-tipo"}')
    assert answer.status_code == 415, answer.text
    assert answer.json()["detail"] == ("the request has a body but no Content-Type header: send it as application/json")
    names = [s["name"] for s in gateway_client.get("/admin/sandboxes").json()["sandboxes"]]
    assert "sin-tipo" not in names


def test_a_home_diagnostic_without_content_type_calls_no_system(gateway_client):
    answer = gateway_client.post("/homeDiagnostics", content=b'{"accountId": "46271064"}', token="dev-asesor")
    assert answer.status_code == 415, answer.text
    assert gateway_client.backoffice.calls_to("diagnosticador") == []
    assert gateway_client.backoffice.calls_to("rr") == []


def test_a_body_with_its_content_type_still_goes_through(gateway_client):
    answer = gateway_client.post(
        "/homeDiagnostics",
        content=b'{"accountId": "46271064"}',
        token="dev-asesor",
        headers={"Content-Type": "application/json; charset=utf-8"},
    )
    assert answer.status_code == 200, answer.text
