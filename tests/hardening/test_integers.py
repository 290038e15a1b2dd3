"""Issue 12, item 2: an integer beyond SQLite's 64-bit range reached it (OverflowError, a 500). Every integer a
request sends, parameter or body property, has bounds in its spec, so connexion answers 400 before any query."""

from __future__ import annotations

import pytest

from tests.hardening.specs import all_specs, operations, request_schemas

SQLITE_MAX = 2**63 - 1


def _unbounded_integers():
    found = []
    for name, spec in all_specs().items():
        for method, path, op in operations(spec):
            for where, schema in request_schemas(spec, path, op):
                if schema.get("type") != "integer" or "enum" in schema:
                    continue
                low, high = schema.get("minimum"), schema.get("maximum")
                if low is None or high is None or not -SQLITE_MAX <= low <= high <= SQLITE_MAX:
                    found.append(f"{name}: {method} {path} {where} (minimum {low}, maximum {high})")
    return found


def test_no_integer_a_request_sends_is_unbounded():
    assert _unbounded_integers() == []


@pytest.mark.parametrize(
    "path, offset",
    [
        ("/conversations", "9223372036854775808"),
        ("/cases", "40464011633536473799084852459339776"),
        ("/cases", "-9223372036854775809"),
    ],
)
def test_an_offset_beyond_range_is_a_400(gateway_client, path, offset):
    answer = gateway_client.get(path, params={"offset": offset})
    assert answer.status_code == 400, answer.text
    assert answer.headers["content-type"] == "application/problem+json"
    detail = answer.json()["detail"]
    assert "offset" in detail and ("maximum of 100000" in detail or "minimum of 0" in detail), detail


def test_the_largest_offset_allowed_still_pages(gateway_client):
    answer = gateway_client.get("/cases", params={"offset": "100000"})
    assert answer.status_code == 200, answer.text
    assert answer.json()["cases"] == []
