"""The neutral package `core/`, where the gateway's and the mocks' copies differed before they became one: the
path guard (byte 127), the resolver (a 204), and reading the environment. The CRM pool's stale-snapshot fix is in
tests/gateway/test_crm_store.py, beside the store it protects."""

from __future__ import annotations

import connexion
import pytest

from claro_backoffice import serve
from claro_backoffice.core.resolver import JsonViewResolver
from claro_backoffice.gateway.settings import GatewaySettings
from claro_backoffice.mocks.kit.settings import MockSettings
from tests.support.backoffice import backoffice, gateway_app, gateway_client  # noqa: F401
from tests.support.inprocess_client import in_process_client

PROBLEMS = "https://claro-premium.example/problems/"
GUARD_DETAIL = "the path contains a line break or another control character (%00-%1F, %7F): no identifier{} has one"


# ---- the path guard ------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("path", ["/accounts/46271064%7F", "/accounts/%7F46271064/services"])
def test_a_delete_character_in_a_mock_path_is_a_400_that_names_the_mock(mock_client, path):
    response = mock_client("rr").get(path)
    assert response.status_code == 400 and response.headers["content-type"] == "application/problem+json"
    assert response.json() == {
        "type": PROBLEMS + "invalid-path",
        "title": "Bad Request",
        "status": 400,
        "detail": GUARD_DETAIL.format(" of rr"),
        "system": "rr",
    }


def test_the_gateway_guard_answers_as_before(gateway_client):  # noqa: F811
    response = gateway_client.get("/customers/x%7F")
    assert response.status_code == 400 and response.headers["content-type"] == "application/problem+json"
    assert response.json() == {
        "type": PROBLEMS + "invalid-path",
        "title": "Bad Request",
        "status": 400,
        "detail": GUARD_DETAIL.format(""),
    }


# ---- the resolver --------------------------------------------------------------------------------------------------
def forget(thing_id):
    return None, 204


def thing(thing_id):
    return {"id": thing_id}


def _spec() -> dict:
    problem = {"description": "a problem", "content": {"application/problem+json": {"schema": {"type": "object"}}}}
    parameters = [{"name": "thing_id", "in": "path", "required": True, "schema": {"type": "string"}}]
    return {
        "openapi": "3.0.3",
        "info": {"title": "things", "version": "1"},
        "paths": {
            "/things/{thing_id}": {
                "parameters": parameters,
                "get": {
                    "operationId": "thing",
                    "responses": {
                        "200": {
                            "description": "the thing",
                            "content": {"application/json": {"schema": {"type": "object"}}},
                        },
                        "default": problem,
                    },
                },
                "delete": {"operationId": "forget", "responses": {"204": {"description": "gone"}, "default": problem}},
            }
        },
    }


def test_a_view_without_a_body_answers_a_204_with_no_type_and_a_view_with_one_says_json():
    seen = []
    app = connexion.FlaskApp(__name__)
    app.add_api(
        _spec(),
        resolver=JsonViewResolver(__name__, before=lambda op: lambda: seen.append(op.operation_id)),
        validate_responses=True,
    )
    client = in_process_client(app)
    gone = client.delete("/things/t1")
    assert gone.status_code == 204 and gone.content == b"" and "content-type" not in gone.headers
    found = client.get("/things/t1")
    assert found.status_code == 200 and found.headers["content-type"] == "application/json"
    assert found.json() == {"id": "t1"}
    assert seen == [f"{__name__}.forget", f"{__name__}.thing"]  # `before` ran first, once per call


# ---- the environment -----------------------------------------------------------------------------------------------
EXPOSED = {"HOST": "0.0.0.0"}  # with the development tokens: refused unless ALLOW_INSECURE_DEFAULTS is on


def _flags(value: str) -> dict:
    """What each reader makes of the same value."""
    return {
        "GATEWAY_VALIDATE_RESPONSES": GatewaySettings.from_env(
            {"GATEWAY_VALIDATE_RESPONSES": value}
        ).validate_responses,
        "PQR_COUNT_SATURDAYS": GatewaySettings.from_env({"PQR_COUNT_SATURDAYS": value}).pqr_count_saturdays,
        "MOCK_CLOCK_FROZEN": MockSettings.from_env({"MOCK_CLOCK_FROZEN": value}).clock_frozen,
        "ALLOW_INSECURE_DEFAULTS": serve.startup_refusal(dict(EXPOSED, ALLOW_INSECURE_DEFAULTS=value)) is None,
        "GATEWAY_IN_PROCESS": serve.gateway_in_process({"GATEWAY_IN_PROCESS": value}),
    }


@pytest.mark.parametrize("value", ["1", "true", "Yes", " on "])
def test_every_flag_reads_on_alike(value):
    assert _flags(value) == dict.fromkeys(_flags(value), True)


@pytest.mark.parametrize("value", ["0", "false", "No", "OFF"])
def test_every_flag_reads_off_alike(value):
    assert _flags(value) == dict.fromkeys(_flags(value), False)


def test_an_unset_or_empty_flag_takes_its_default():
    for env in ({}, {"GATEWAY_IN_PROCESS": "", "GATEWAY_VALIDATE_RESPONSES": " ", "MOCK_CLOCK_FROZEN": ""}):
        assert serve.gateway_in_process(env) is True  # the one flag on by default
        assert GatewaySettings.from_env(env).validate_responses is False
        assert MockSettings.from_env(env).clock_frozen is False
    assert serve.startup_refusal(dict(EXPOSED, ALLOW_INSECURE_DEFAULTS="")) is not None


@pytest.mark.parametrize(
    "variable, read",
    [
        ("GATEWAY_VALIDATE_RESPONSES", lambda env: GatewaySettings.from_env(env)),
        ("MOCK_VALIDATE_RESPONSES", lambda env: MockSettings.from_env(env)),
        ("ALLOW_INSECURE_DEFAULTS", lambda env: serve.startup_refusal(dict(EXPOSED, **env))),
        ("GATEWAY_IN_PROCESS", lambda env: serve.gateway_in_process(env)),
    ],
)
def test_a_flag_that_is_neither_on_nor_off_is_refused_by_name(variable, read):
    """It used to mean off in the settings modules and on for GATEWAY_IN_PROCESS (and a refusal for the other)."""
    with pytest.raises(ValueError, match=f"^{variable} must be one of 1/true/yes/on or 0/false/no/off, not 'maybe'$"):
        read({variable: "maybe"})


@pytest.mark.parametrize(
    "variable, read, message",
    [
        ("GATEWAY_RETRIES", GatewaySettings.from_env, "GATEWAY_RETRIES must be a whole number, not '2.5'"),
        ("GATEWAY_READ_TIMEOUT", GatewaySettings.from_env, "GATEWAY_READ_TIMEOUT must be a number, not 'soon'"),
        ("MOCK_JOURNAL_LIMIT", MockSettings.from_env, "MOCK_JOURNAL_LIMIT must be a whole number, not 'lots'"),
    ],
)
def test_a_number_that_is_not_one_is_refused_by_name(variable, read, message):
    value = message.rpartition("'")[0].rpartition("'")[2]
    with pytest.raises(ValueError, match=f"^{message}$"):
        read({variable: value})
