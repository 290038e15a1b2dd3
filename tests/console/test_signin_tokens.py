"""Signing in with a token that says who it is (issue 15): the console asks the gateway's GET /me, so an issued
asesor token pinned to a sandbox signs in with no login and no sandbox typed, as its user, in its sandbox; another
sandbox or another login typed is refused in Spanish, so a trainee never sees another sandbox."""

from __future__ import annotations

import requests

from tests.console.conftest import ADMIN
from tests.console.test_csrf import csrf_of


def _issued_asesor(base: str, sandbox: str) -> tuple[str, str]:
    """A token for an active asesor of the sandbox, pinned to it: (token, login)."""
    api = f"{base}/api/v1"
    agents = requests.get(
        f"{api}/workforce/agents", params={"status": "active"}, headers={**ADMIN, "X-Sandbox": sandbox}, timeout=60
    )
    assert agents.status_code == 200, agents.text
    login = next(a["username"] for a in agents.json() if a["role"] == "asesor")
    issued = requests.post(
        f"{api}/admin/tokens", json={"role": "asesor", "user": login, "sandbox": sandbox}, headers=ADMIN, timeout=60
    )
    assert issued.status_code == 201, issued.text
    return issued.json()["token"], login


def _sign_in(base: str, form: dict) -> requests.Response:
    browser = requests.Session()
    csrf = csrf_of(browser.get(f"{base}/console/signin", timeout=60))
    return browser.post(f"{base}/console/signin", data=form | {"csrf_token": csrf}, timeout=60)


def test_a_pinned_issued_token_signs_in_as_its_user_in_its_sandbox(console_server, sandbox):
    base = console_server.base
    token, login = _issued_asesor(base, sandbox)
    signed = _sign_in(base, {"token": token, "advisor": "", "sandbox": ""})
    assert signed.status_code == 200 and signed.url.endswith("/console/queue"), signed.text[:500]
    assert f'data-login="{login}"' in signed.text and f"sandbox <strong>{sandbox}</strong>" in signed.text


def test_another_sandbox_or_login_typed_is_refused(console_server, sandbox):
    base = console_server.base
    token, login = _issued_asesor(base, sandbox)
    other = _sign_in(base, {"token": token, "advisor": "", "sandbox": "default"})
    assert other.status_code == 422 and not other.url.endswith("/console/queue")
    assert f"es del sandbox «{sandbox}» y escribiste «default»" in other.text
    someone = _sign_in(base, {"token": token, "advisor": "otra.persona", "sandbox": sandbox})
    assert someone.status_code == 422
    assert f"Ese token es del usuario «{login}»: no puedes ingresar como «otra.persona»" in someone.text
