"""The console's settings, and the development shortcut never offered by a server others can reach."""

from __future__ import annotations

import pytest
import requests

from claro_backoffice.console.app import create_app
from claro_backoffice.console.settings import ConsoleSettings


def test_defaults_follow_the_port_and_the_configured_urls():
    settings = ConsoleSettings.from_env({"PORT": "9000"})
    assert settings.gateway_url == "http://127.0.0.1:9000/api/v1"
    assert settings.meta_url == "http://127.0.0.1:9000/mocks/meta"
    assert settings.shortcut and settings.dev_token == "dev-asesor" and settings.session_minutes == 600
    split = ConsoleSettings.from_env(
        {"GATEWAY_URL": "http://10.0.0.5:8000/api/v1/", "BACKOFFICE_META_URL": "http://10.0.0.6:8113"}
    )
    assert split.gateway_url == "http://10.0.0.5:8000/api/v1" and split.meta_url == "http://10.0.0.6:8113"


def test_bad_values_stop_the_start_naming_the_variable():
    with pytest.raises(ValueError, match="CONSOLE_DEV_SHORTCUT"):
        ConsoleSettings.from_env({"CONSOLE_DEV_SHORTCUT": "quizas"})
    with pytest.raises(ValueError, match="CONSOLE_SESSION_MINUTES"):
        ConsoleSettings.from_env({"CONSOLE_SESSION_MINUTES": "0"})


@pytest.mark.parametrize(
    "env",
    [{"HOST": "0.0.0.0"}, {"HOST": "192.168.1.20"}, {"HOST": "127.0.0.1", "CONSOLE_DEV_SHORTCUT": "0"}],
)
def test_no_shortcut_beyond_loopback_or_when_turned_off(env):
    settings = ConsoleSettings.from_env(env)
    assert not settings.shortcut
    app = create_app(settings, requests.Session())  # nothing here reaches a gateway
    with app.test_client() as browser:
        page = browser.get("/signin")
        assert page.status_code == 200 and b"signin-form" in page.data and b"dev-signin-form" not in page.data
        token = page.data.split(b'name="csrf_token" value="')[1].split(b'"')[0].decode()
        refused = browser.post("/signin/dev", data={"csrf_token": token, "advisor": "alguien", "sandbox": "default"})
        assert refused.status_code == 404 and "no está disponible" in refused.get_data(as_text=True)


def test_the_shortcut_on_loopback():
    assert ConsoleSettings.from_env({"HOST": "localhost"}).shortcut
    assert ConsoleSettings.from_env({"HOST": "::1"}).shortcut


def test_the_shortcut_tokens_for_leaders():
    default = ConsoleSettings.from_env({})
    assert [default.dev_token_for(r) for r in ("asesor", "supervisor", "coordinador", "gerente", "admin")] == [
        "dev-asesor",
        "dev-supervisor",
        "dev-coordinador",
        "dev-gerente",
        None,
    ]
    only = ConsoleSettings.from_env({"CONSOLE_DEV_LEADER_TOKENS": "gerente:g-tok"})
    assert (only.dev_token_for("gerente"), only.dev_token_for("supervisor")) == ("g-tok", None)
    with pytest.raises(ValueError, match="CONSOLE_DEV_LEADER_TOKENS entry 'admin:x'"):
        ConsoleSettings.from_env({"CONSOLE_DEV_LEADER_TOKENS": "admin:x"})
