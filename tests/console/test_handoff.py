"""Signing in behind a router (issue 17, console/handoff.py), with the console's Flask test client acting through a
running gateway: with PEERS, a sign-in for another group's sandbox than the one the browser's cookie routes by is
answered with the `claro_sandbox` cookie and the same form to post again with a signed, single-use ticket in place of
the CSRF token; without PEERS nothing changes. A formador's session belongs to the class they signed in for."""

from __future__ import annotations

import base64
import html
import re
import uuid

import pytest
import requests

from claro_backoffice.console import handoff
from claro_backoffice.console.app import create_app
from claro_backoffice.console.settings import ConsoleSettings
from claro_backoffice.core.token_sandbox import claimed_sandbox
from tests.console.test_signin_tokens import _issued_asesor

CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')
HIDDEN = re.compile(r'<input type="hidden" name="([^"]+)" value="([^"]*)">')
SECRET = ConsoleSettings(handoff_secret="a-shared-token-secret-of-32-characters-or-more")


def _client(console_server, peers: bool):
    settings = ConsoleSettings(
        gateway_url=f"{console_server.base}/api/v1", meta_url=f"{console_server.base}/mocks/meta", peers=peers
    )
    return create_app(settings, requests.Session()).test_client()


def _csrf(client) -> str:
    found = CSRF.search(client.get("/signin").get_data(as_text=True))
    assert found
    return found.group(1)


def _cookies(response) -> list[str]:
    return [v for k, v in response.headers.items() if k == "Set-Cookie" and v.startswith("claro_sandbox=")]


def test_a_ticket_stands_for_one_sign_in_once_and_briefly():
    now = [1_000_000.0]
    used = handoff.UsedTickets(clock=lambda: now[0])
    fields = {"token": "dev-asesor", "advisor": "asesor.uno", "sandbox": "aula-3--ana-1"}
    ticket = handoff.issue(SECRET, "/signin", fields, now[0])
    other = ConsoleSettings(handoff_secret="another-secret-entirely-of-32-characters")
    assert not used.accept(other, ticket, "/signin", fields)  # another deployment's secret
    assert not used.accept(SECRET, ticket, "/signin", fields | {"sandbox": "aula-4--ana-1"})  # other fields
    assert not used.accept(SECRET, ticket, "/signin/dev", fields)  # another form
    assert not used.accept(SECRET, ticket[:-2] + "xx", "/signin", fields)  # tampered with
    assert used.accept(SECRET, ticket, "/signin", fields)
    assert not used.accept(SECRET, ticket, "/signin", fields)  # once
    late = handoff.issue(SECRET, "/signin", fields, now[0])
    now[0] += handoff.TICKET_SECONDS + 1
    assert not used.accept(SECRET, late, "/signin", fields)  # briefly


def test_an_issued_token_says_its_sandbox_for_routing_only():
    claims = b'{"sbx":"aula-3--ana-1","role":"asesor"}'
    middle = base64.urlsafe_b64encode(claims).rstrip(b"=").decode()
    assert claimed_sandbox(f"clr1.{middle}.whatever") == "aula-3--ana-1"
    assert claimed_sandbox("dev-asesor") is None and claimed_sandbox("clr1.%%%.x") is None


def test_with_peers_a_sign_in_for_another_group_is_handed_over(console_server, sandbox):
    client = _client(console_server, peers=True)
    token, login = _issued_asesor(console_server.base, sandbox)  # pinned: its sandbox said by the token alone
    form = {"token": token, "advisor": "", "sandbox": "", "clase": ""}
    first = client.post("/signin", data=form | {"csrf_token": _csrf(client)})
    page = first.get_data(as_text=True)
    assert first.status_code == 200 and 'data-testid="handoff-form"' in page and "Continuar" in page
    [cookie] = _cookies(first)
    assert cookie.startswith(f"claro_sandbox={sandbox};")
    assert all(part in cookie for part in ("HttpOnly", "SameSite=Lax", "Path=/"))
    fields = {name: html.unescape(value) for name, value in HIDDEN.findall(page)}
    assert set(fields) == {"handoff", "token", "advisor", "sandbox", "clase"} and fields["token"] == token

    # The ticket is for these fields only: another sandbox with it is refused as a forgery would be.
    forged = client.post("/signin", data=fields | {"advisor": "otra.persona"})
    assert forged.status_code == 403 and "anti-falsificación" in forged.get_data(as_text=True)
    # The re-post lands where the cookie now routes (here: the same app): the session starts, once.
    landed = client.post("/signin", data=fields)
    assert landed.status_code == 303 and landed.headers["Location"].endswith("/queue")
    queue = client.get("/queue").get_data(as_text=True)
    assert f"sandbox <strong>{sandbox}</strong>" in queue and f'data-login="{login}"' in queue
    assert client.post("/signin", data=fields).status_code == 403

    # Signed in again for the same group: already on its replica, no handoff.
    again = client.post("/signin", data=form | {"csrf_token": _csrf(client)})
    assert again.status_code == 303 and _cookies(again) == [f"claro_sandbox={sandbox}; HttpOnly; Path=/; SameSite=Lax"]


def test_without_peers_nothing_changes(console_server, sandbox):
    client = _client(console_server, peers=False)
    token, _ = _issued_asesor(console_server.base, sandbox)
    form = {"token": token, "advisor": "", "sandbox": "", "csrf_token": _csrf(client)}
    signed = client.post("/signin", data=form)
    assert signed.status_code == 303 and signed.headers["Location"].endswith("/queue") and not _cookies(signed)


@pytest.mark.parametrize("peers", [False, True])
def test_a_formadors_session_belongs_to_the_class_signed_in_for(console_server, peers):
    client = _client(console_server, peers=peers)
    klass = f"tr-{uuid.uuid4().hex[:6]}"
    client.set_cookie("claro_sandbox", klass)  # behind a router: routed by the class already (no handoff)
    signed = client.post(
        "/signin", data={"token": "dev-formador", "clase": klass, "csrf_token": _csrf(client)}, follow_redirects=True
    )
    page = signed.get_data(as_text=True)
    assert signed.request.path == "/formacion/" and f'data-testid="signed-in-class">{klass}</strong>' in page
    form = client.get("/formacion/sesiones/nueva").get_data(as_text=True)
    assert f'name="class" value="{klass}"' in form
    other = f"{klass}-b"
    body = {"class": other, "trainees": "ana", "scenarios": "digital-invoice-request", "minutes": "20"}
    refused = client.post("/formacion/sesiones/nueva", data=body | {"csrf_token": CSRF.search(form).group(1)})
    assert refused.status_code == 422
    assert (
        f"Ingresaste para la clase «{klass}» y esta sesión es de «{other}». Para crearla, cierra sesión e ingresa "
        f"indicando la clase «{other}»" in html.unescape(refused.get_data(as_text=True))
    )
    listed = requests.get(
        f"{console_server.base}/api/v1/training/sessions",
        params={"class": other},
        headers={"Authorization": "Bearer dev-formador"},
        timeout=60,
    )
    assert listed.json()["sessions"] == []


def test_with_peers_a_formador_without_a_class_is_told_to_sign_in_for_one(console_server):
    client = _client(console_server, peers=True)
    signed = client.post("/signin", data={"token": "dev-formador", "csrf_token": _csrf(client)}, follow_redirects=True)
    assert signed.request.path == "/formacion/" and "signed-in-class" not in signed.get_data(as_text=True)
    form = client.get("/formacion/sesiones/nueva").get_data(as_text=True)
    body = {"class": "aula-9", "trainees": "ana", "scenarios": "digital-invoice-request", "minutes": "20"}
    refused = client.post("/formacion/sesiones/nueva", data=body | {"csrf_token": CSRF.search(form).group(1)})
    assert refused.status_code == 422
    assert "ingresa como formador indicando la clase «aula-9»" in html.unescape(refused.get_data(as_text=True))
