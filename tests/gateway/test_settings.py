"""GatewaySettings.from_env: every knob from the environment, read once."""

from __future__ import annotations

import pytest

from claro_backoffice.core.systems import SYSTEMS
from claro_backoffice.gateway.settings import DEV_TOKENS, GatewaySettings, Token, parse_tokens


def test_defaults_point_at_the_composed_server():
    settings = GatewaySettings.from_env({})
    assert settings.backoffice_urls == {s: f"http://127.0.0.1:8000/mocks/{s}" for s in SYSTEMS}
    assert (settings.connect_timeout, settings.read_timeout, settings.retries) == (2.0, 5.0, 2)
    assert settings.tokens["dev-trainee"] == Token("dev-trainee", "asesor", "training")
    assert settings.tokens["dev-admin-st"] == Token("dev-admin-st", "admin", "st")
    assert {t.role for t in settings.tokens.values()} == {
        "asesor",
        "supervisor",
        "coordinador",
        "gerente",
        "admin",
        "formador",
    }
    assert len(DEV_TOKENS) == 8 and settings.validate_responses is False
    assert settings.training_silence_minutes == 3
    assert GatewaySettings.from_env({"TRAINING_SILENCE_MINUTES": "5"}).training_silence_minutes == 5
    with pytest.raises(ValueError, match="TRAINING_SILENCE_MINUTES"):
        GatewaySettings.from_env({"TRAINING_SILENCE_MINUTES": "0"})


def test_environment_overrides():
    settings = GatewaySettings.from_env(
        {
            "PORT": "9000",
            "BACKOFFICE_RR_URL": "http://rr.internal:8080/",
            "GATEWAY_CONNECT_TIMEOUT": "0.5",
            "GATEWAY_READ_TIMEOUT": "3",
            "GATEWAY_RETRIES": "0",
            "GATEWAY_BACKOFF_BASE": "0.2",
            "GATEWAY_BREAKER_THRESHOLD": "2",
            "GATEWAY_BREAKER_OPEN_SECONDS": "5",
            "GATEWAY_WORKERS": "4",
            "GATEWAY_TOKENS": "abc:gerente",
            "GATEWAY_VALIDATE_RESPONSES": "1",
        }
    )
    assert settings.backoffice_urls["rr"] == "http://rr.internal:8080"
    assert settings.backoffice_urls["ac"] == "http://127.0.0.1:9000/mocks/ac"
    assert (settings.connect_timeout, settings.read_timeout, settings.retries, settings.backoff_base) == (
        0.5,
        3,
        0,
        0.2,
    )
    assert (settings.breaker_threshold, settings.breaker_open_seconds, settings.workers) == (2, 5, 4)
    assert settings.tokens == {"abc": Token("abc", "gerente")} and settings.validate_responses


@pytest.mark.parametrize(
    "text, says",
    [
        ("abc", "token:role"),
        ("abc:boss", "role 'boss'"),
        ("abc:asesor:Bad Box", "sandbox name"),
        ("abc:asesor:user=no spaces", "is not a login"),
        ("clr1.abc:admin", "can't start with 'clr1.'"),
        ("abc:asesor:training:x:user=laura", "token:role[:sandbox][:user=<login>]"),
        (":asesor", "token:role"),
    ],
)
def test_bad_tokens_are_refused_without_echoing_the_secret(text, says):
    with pytest.raises(ValueError) as error:
        parse_tokens(text)
    assert says in str(error.value) and "abc" not in str(error.value)


def test_a_configured_token_may_carry_its_user_and_keeps_its_old_meaning_without():
    tokens = parse_tokens("t1:asesor:user=laura.gomez, t2:supervisor:training:user=sup.x, t3:asesor:training, t4:admin")
    assert tokens == {
        "t1": Token("t1", "asesor", None, "laura.gomez"),
        "t2": Token("t2", "supervisor", "training", "sup.x"),
        "t3": Token("t3", "asesor", "training"),
        "t4": Token("t4", "admin"),
    }


def test_the_token_secret_is_configured_and_long_enough():
    secret = "s" * 32
    assert GatewaySettings.from_env({"TOKEN_SECRET": secret}).token_secret == secret
    with pytest.raises(ValueError, match="TOKEN_SECRET must be at least 32 characters"):
        GatewaySettings.from_env({"TOKEN_SECRET": "short"})
