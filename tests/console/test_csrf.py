"""Cross-site request forgery, without a browser: every state-changing request to the console needs the session's
CSRF token (and, when the browser names one, an Origin of this server); one without is a 403 that changes nothing.
Sessions are HttpOnly, SameSite cookies holding only an id, renewed on sign-in."""

from __future__ import annotations

import re

import requests

from tests.console.conftest import load_scenario
from tests.console.customer_side import queue_a_conversation

CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


def csrf_of(page: requests.Response) -> str:
    found = CSRF.search(page.text)
    assert found, page.text[:500]
    return found.group(1)


def first_advisor(page: requests.Response) -> str:
    found = re.search(r'<option value="([^"]+)"', page.text)
    assert found
    return found.group(1)


def queued(base: str, sandbox: str) -> list[dict]:
    answer = requests.get(
        f"{base}/api/v1/conversations",
        params={"status": "queued"},
        headers={"Authorization": "Bearer dev-asesor", "X-Sandbox": sandbox},
        timeout=60,
    )
    return answer.json()["conversations"]


def test_state_changes_need_the_session_csrf_token_and_a_same_origin(console_server, sandbox):
    base = console_server.base
    browser = requests.Session()
    page = browser.get(f"{base}/console/signin", timeout=60)
    cookie = page.headers["set-cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and "Path=/console" in cookie
    token, advisor = csrf_of(page), first_advisor(page)
    before = browser.cookies["console_session"]
    form = {"advisor": advisor, "sandbox": sandbox}

    # Signing in: without the token, with another one, or from another site, refused and not signed in.
    for extra, headers in (
        ({}, {}),
        ({"csrf_token": "not-the-token"}, {}),
        ({"csrf_token": token}, {"Origin": "http://evil.example"}),
        ({"csrf_token": token}, {"Origin": "null"}),
    ):
        refused = browser.post(f"{base}/console/signin/dev", data=form | extra, headers=headers, timeout=60)
        assert refused.status_code == 403 and "rechazada por seguridad" in refused.text
        assert browser.get(f"{base}/console/queue", timeout=60).url.endswith("/console/signin")

    signed = browser.post(
        f"{base}/console/signin/dev", data=form | {"csrf_token": token}, headers={"Origin": base}, timeout=60
    )
    assert signed.status_code == 200 and signed.url.endswith("/console/queue")
    assert browser.cookies["console_session"] != before  # a new session id once signed in
    assert f'data-login="{advisor}"' in signed.text
    new_token = csrf_of(signed)
    assert new_token != token

    # Taking a conversation: refused without the token (or with the one from before sign-in), and nothing is sent.
    customer = load_scenario(console_server, sandbox, "modem-without-sync")["customer"]
    queue_a_conversation(base, sandbox, customer["phone"]["waId"])
    [waiting] = queued(base, sandbox)
    take = f"{base}/console/queue/{waiting['id']}/take"
    for data in ({}, {"csrf_token": token}):
        refused = browser.post(take, data=data, timeout=60)
        assert refused.status_code == 403
    assert [c["id"] for c in queued(base, sandbox)] == [waiting["id"]]  # still waiting: no welcome went out

    taken = browser.post(take, data={"csrf_token": new_token}, timeout=60)
    assert taken.status_code == 200 and taken.url.endswith(f"/console/chats/{waiting['id']}")
    assert queued(base, sandbox) == []
    again = browser.post(take, data={"csrf_token": new_token}, timeout=60)  # taken already: said in Spanish
    assert again.status_code == 409 and "ya la tomó otro asesor" in again.text

    # Signing out is a state change too; refused without the token, the session stays.
    assert browser.post(f"{base}/console/signout", timeout=60).status_code == 403
    assert browser.get(f"{base}/console/queue", timeout=60).url.endswith("/console/queue")
    out = browser.post(f"{base}/console/signout", data={"csrf_token": new_token}, timeout=60)
    assert out.url.endswith("/console/signin")
    assert browser.get(f"{base}/console/queue", timeout=60).url.endswith("/console/signin")


def test_signing_in_with_a_token_and_refusals_with_a_spanish_reason(console_server, sandbox):
    browser = requests.Session()
    token = csrf_of(browser.get(f"{console_server.base}/console/signin", timeout=60))
    answer = browser.post(
        f"{console_server.base}/console/signin",
        data={"csrf_token": token, "token": "no-such-token", "advisor": "alguien", "sandbox": sandbox},
        timeout=60,
    )
    assert answer.status_code == 422 and "El token no es válido" in answer.text
    answer = browser.post(
        f"{console_server.base}/console/signin",
        data={"csrf_token": token, "token": "dev-trainee", "advisor": "alguien", "sandbox": sandbox},
        timeout=60,
    )
    assert answer.status_code == 422 and "no sirve para este sandbox" in answer.text
    signed = browser.post(
        f"{console_server.base}/console/signin",
        data={"csrf_token": token, "token": "dev-asesor", "advisor": "alguien.asesor", "sandbox": sandbox},
        timeout=60,
    )
    assert signed.status_code == 200 and signed.url.endswith("/console/queue")
    assert 'data-login="alguien.asesor"' in signed.text and f"sandbox <strong>{sandbox}</strong>" in signed.text
