"""Issue 12, item 3: JSON nested 1,000 levels deep made the parser recurse past the interpreter's limit
(RecursionError, a 500; 900 levels was already a 400). Any depth is a 400 now, in the gateway and the mocks."""

from __future__ import annotations

import pytest

from claro_backoffice.core.json_input import MAX_DEPTH, nesting_depth

JSON = {"Content-Type": "application/json"}


def _arrays(depth: int) -> bytes:
    return b"[" * depth + b"]" * depth


def _objects(depth: int) -> bytes:
    return b'{"a": ' * depth + b"1" + b"}" * depth


@pytest.mark.parametrize(
    "body",
    [_arrays(900), _arrays(1000), _arrays(100_000), b"[" * 1_000_000, _objects(1000), _objects(MAX_DEPTH + 1)],
    ids=["900", "1000", "100000", "1000000-unclosed", "objects-1000", "objects-65"],
)
def test_a_deep_body_is_a_400_in_the_gateway(gateway_client, body):
    answer = gateway_client.post("/cases", content=body, headers=JSON, token="dev-asesor")
    assert answer.status_code == 400, answer.text
    assert answer.headers["content-type"] == "application/problem+json"
    assert answer.json()["detail"] == f"the body nests arrays and objects more than {MAX_DEPTH} levels deep"
    assert gateway_client.get("/cases").json()["total"] == 0


def test_a_deep_body_is_a_400_in_a_mock_and_stores_no_fault(mock_client):
    rr = mock_client("rr")
    body = b'{"kind": "error", "status": 500, "path": "/x", "note": ' + _arrays(5000) + b"}"
    answer = rr.post("/__admin/faults", content=body, headers=JSON)
    assert answer.status_code == 400, answer.text
    assert "levels deep" in answer.json()["detail"]
    assert rr.get("/__admin/faults").json() == {"faults": []}


def test_depth_counts_brackets_outside_strings_only():
    assert nesting_depth(b'{"a": [1, {"b": "[[[[{{{{"}], "c": "\\"[["}') == 3
    assert nesting_depth(_objects(MAX_DEPTH)) == MAX_DEPTH
    assert nesting_depth(b'"only a string"') == 0
