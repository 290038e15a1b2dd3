"""Issue 12, item 5: NaN and Infinity passed `minimum`/`maximum` (every comparison with NaN is false) and came back
as `"lat": NaN`, which is not JSON. They are a 400 wherever a number is taken (query, path and header parameters,
JSON bodies, whose parser took the NaN literal), in the gateway and every mock; and the JSON encoders refuse them,
so no answer can carry one."""

from __future__ import annotations

import json

import flask
import pytest

from claro_backoffice.core.validators import StrictParameterValidator
from tests.hardening.specs import all_specs, operations, request_schemas

JSON = {"Content-Type": "application/json"}

# Every number a request can send, and the test below that sends NaN there.
NUMBER_INPUTS = {
    "gateway: GET /coverage query lat",
    "gateway: GET /coverage query lon",
    "gateway: POST /barometer body.questions[items].score",
    "gateway: POST /admin/faults body.probability",
    "admin: POST /faults body.probability",
    "sara: GET /cells query latitude",
    "sara: GET /cells query longitude",
    "meta: PATCH /simulator/business-numbers/{phone_number_id}/settings body.webhook_timeout_seconds",
}


def test_every_number_input_of_every_spec_is_tested_here():
    found = {
        f"{name}: {method} {path} {where}"
        for name, spec in all_specs().items()
        for method, path, op in operations(spec)
        for where, schema in request_schemas(spec, path, op)
        if schema.get("type") == "number"
    }
    assert found == NUMBER_INPUTS


@pytest.mark.parametrize("lat, lon", [("NaN", "-74.08"), ("4.6", "Infinity"), ("-inf", "-74.08"), ("nan", "nan")])
def test_coverage_at_a_point_that_is_not_a_number_is_a_400(gateway_client, lat, lon):
    answer = gateway_client.get("/coverage", params={"lat": lat, "lon": lon}, token="dev-asesor")
    assert answer.status_code == 400, answer.text
    assert answer.headers["content-type"] == "application/problem+json"
    assert "must be a finite number" in answer.json()["detail"]


@pytest.mark.parametrize("latitude, longitude", [("NaN", "-74.08"), ("4.6", "-Infinity")])
def test_sara_cells_near_a_point_that_is_not_a_number_is_a_400(mock_client, latitude, longitude):
    answer = mock_client("sara").get("/cells", params={"latitude": latitude, "longitude": longitude})
    assert answer.status_code == 400, answer.text
    assert "must be a finite number" in answer.json()["detail"]


@pytest.mark.parametrize("literal", [b"NaN", b"Infinity", b"-Infinity", b"1e999"])
def test_a_fault_with_a_probability_that_is_not_a_number_is_a_400_and_not_set(mock_client, literal):
    rr = mock_client("rr")
    body = b'{"kind": "error", "status": 500, "path": "/accounts/*", "probability": ' + literal + b"}"
    answer = rr.post("/__admin/faults", content=body, headers=JSON)
    assert answer.status_code == 400, answer.text
    assert answer.json()["detail"].startswith(f"the body holds {literal.decode()}"), answer.text
    assert rr.get("/__admin/faults").json() == {"faults": []}


def test_the_gateway_sets_no_fault_with_a_nan_probability(gateway_client):
    body = b'{"system": "rr", "kind": "error", "status": 500, "path": "/accounts/*", "probability": NaN}'
    answer = gateway_client.post("/admin/faults", content=body, headers=JSON)
    assert answer.status_code == 400, answer.text
    assert gateway_client.backoffice.client("rr").get("/__admin/faults").json() == {"faults": []}


def test_a_barometer_with_a_nan_score_is_a_400_and_not_recorded(gateway_client):
    barometer = {
        "teamId": "TEAM02",
        "period": "2026-S2",
        "respondents": 11,
        "recordedBy": "sup.premium02",
        "questions": [{"code": "Q1", "text": "Conozco los objetivos de mi equipo", "score": 4.5}],
    }
    raw = json.dumps(barometer).replace("4.5", "NaN").encode()
    answer = gateway_client.post("/barometer", content=raw, headers=JSON, token="dev-supervisor")
    assert answer.status_code == 400, answer.text
    # One per team and period: the same one, well formed, is still the first.
    again = gateway_client.post("/barometer", json=barometer, token="dev-supervisor")
    assert again.status_code == 201, again.text


def test_meta_keeps_its_webhook_timeout_when_sent_nan(mock_client):
    meta = mock_client("meta")
    [number] = [n for n in meta.get("/simulator/business-numbers").json()["business_numbers"] if n["is_default"]]
    answer = meta.patch(
        f"/simulator/business-numbers/{number['phone_number_id']}/settings",
        content=b'{"webhook_timeout_seconds": NaN}',
        headers=JSON,
    )
    assert answer.status_code == 400, answer.text
    [after] = [n for n in meta.get("/simulator/business-numbers").json()["business_numbers"] if n["is_default"]]
    assert after["webhook_timeout_seconds"] == number["webhook_timeout_seconds"]


@pytest.mark.parametrize("where", ["path", "header", "query"])
def test_a_number_parameter_anywhere_refuses_nan(where):
    # No operation has a number path or header parameter yet: the validator every app uses is the same for all.
    parameter = {"name": "n", "in": where, "schema": {"type": "number", "minimum": 0, "maximum": 10}}
    validator = StrictParameterValidator([parameter], uri_parser=None)
    for value in (float("nan"), float("inf"), float("-inf")):
        assert validator.validate_parameter(where, value, parameter) == (
            f"{where} parameter 'n' must be a finite number, not {value}"
        )
    assert validator.validate_parameter(where, 5.5, parameter) is None


def test_the_json_encoders_refuse_nan(gateway_app, mock_apps):
    for app in (gateway_app, mock_apps("sara")):
        with app.app.app_context():
            assert flask.json.dumps({"lat": 4.6}) == '{"lat": 4.6}'
            for value in (float("nan"), float("inf")):
                with pytest.raises(ValueError):
                    flask.json.dumps({"lat": value})
