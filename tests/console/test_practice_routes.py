"""The Práctica page without a browser: it acts with the signed-in token, so a trainee (the shortcut's asesor token)
gets the gateway's refusal in Spanish and starts nothing; a sandbox name that breaks the format is a 422 that says
so; an admin token starts the practice in the sandbox it names."""

from __future__ import annotations

import html

import requests

from claro_backoffice.console.practice import why
from tests.console.conftest import ADMIN
from tests.console.test_csrf import csrf_of, first_advisor

NAME = "modem-without-sync"


def signed_in(base: str, sandbox: str, token: str | None = None) -> tuple[requests.Session, str]:
    browser = requests.Session()
    page = browser.get(f"{base}/console/signin", timeout=60)
    if token:
        form = {"token": token, "advisor": "formador.aula", "sandbox": sandbox, "csrf_token": csrf_of(page)}
        signed = browser.post(f"{base}/console/signin", data=form, timeout=60)
    else:
        form = {"advisor": first_advisor(page), "sandbox": sandbox, "csrf_token": csrf_of(page)}
        signed = browser.post(f"{base}/console/signin/dev", data=form, timeout=60)
    assert signed.status_code == 200, signed.text[:500]
    return browser, csrf_of(signed)


def practice_state(base: str, sandbox: str) -> dict:
    answer = requests.get(f"{base}/api/v1/admin/practice", headers={**ADMIN, "X-Sandbox": sandbox}, timeout=60)
    assert answer.status_code == 200, answer.text
    return answer.json()


def test_a_trainee_token_cannot_start_a_practice(console_server, sandbox):
    base = console_server.base
    browser, csrf = signed_in(base, sandbox)
    page = browser.get(f"{base}/console/practice", timeout=60)
    assert page.status_code == 200
    assert 'data-testid="practice-form"' not in page.text
    assert "Tu acceso no puede manejar prácticas" in html.unescape(page.text)
    tried = browser.post(
        f"{base}/console/practice", data={"scenario": NAME, "sandbox": sandbox, "csrf_token": csrf}, timeout=60
    )
    assert tried.status_code == 422
    assert "Tu acceso no puede manejar prácticas" in html.unescape(tried.text)
    assert practice_state(base, sandbox)["active"] is False


def test_an_admin_starts_a_practice_in_the_sandbox_it_names(console_server, sandbox):
    base = console_server.base
    browser, csrf = signed_in(base, sandbox, token=ADMIN["Authorization"].removeprefix("Bearer "))
    bad = browser.post(
        f"{base}/console/practice", data={"scenario": NAME, "sandbox": "Aula 1", "csrf_token": csrf}, timeout=60
    )
    assert bad.status_code == 422
    assert "El sandbox lleva de 1 a 40 letras minúsculas" in html.unescape(bad.text)
    assert practice_state(base, sandbox)["active"] is False

    started = browser.post(
        f"{base}/console/practice", data={"scenario": NAME, "sandbox": sandbox, "csrf_token": csrf}, timeout=60
    )
    assert started.status_code == 200 and started.url.endswith(f"/console/practice?sandbox={sandbox}")
    assert f"Práctica «{NAME}» iniciada en el sandbox {sandbox}" in html.unescape(started.text)
    state = practice_state(base, sandbox)
    assert (state["active"], state["scenario"]) == (True, NAME)
    assert [(line["rule"], line["state"]) for line in state["lines"]][0] == ("opening", "said")
    wa_id = state["waId"]  # 57 and ten digits: told as a Colombian number
    assert f"el cliente (+57 {wa_id[2:5]} {wa_id[5:8]} {wa_id[8:]}) ya escribió" in html.unescape(started.text)


def test_terminar_practica_needs_a_confirmation_and_stops_the_customer(console_server, sandbox):
    base = console_server.base
    browser, csrf = signed_in(base, sandbox, token=ADMIN["Authorization"].removeprefix("Bearer "))
    started = browser.post(
        f"{base}/console/practice", data={"scenario": NAME, "sandbox": sandbox, "csrf_token": csrf}, timeout=60
    )
    assert 'data-testid="practice-end-form"' in started.text
    assert f'<option value="{NAME}" selected>' in started.text  # the running scenario, not the list's first
    before = practice_state(base, sandbox)
    said = sum(1 for line in before["lines"] if line["state"] == "said")
    waiting = sum(1 for line in before["lines"] if line["state"] in ("pending", "sending"))

    unconfirmed = browser.post(
        f"{base}/console/practice/end", data={"sandbox": sandbox, "csrf_token": csrf}, timeout=60
    )
    assert unconfirmed.status_code == 422
    assert "Marca la casilla para confirmar" in html.unescape(unconfirmed.text)
    assert practice_state(base, sandbox)["active"] is True

    ended = browser.post(
        f"{base}/console/practice/end", data={"sandbox": sandbox, "confirm": "yes", "csrf_token": csrf}, timeout=60
    )
    assert ended.status_code == 200 and ended.url.endswith(f"/console/practice?sandbox={sandbox}")
    page = html.unescape(ended.text)
    messages = "mensaje" if said == 1 else "mensajes"
    assert (
        f"Práctica «{NAME}» terminada en el sandbox {sandbox}: el cliente simulado ya no responde "
        f"(dijo {said} {messages}; {waiting} pendientes no se enviarán)."
    ) in page
    assert f"Sandbox {sandbox}: sin práctica en curso" in page and 'data-testid="practice-end-form"' not in page
    assert practice_state(base, sandbox)["active"] is False


def test_a_trainee_token_cannot_end_a_practice(console_server, sandbox):
    base = console_server.base
    admin, csrf = signed_in(base, sandbox, token=ADMIN["Authorization"].removeprefix("Bearer "))
    admin.post(f"{base}/console/practice", data={"scenario": NAME, "sandbox": sandbox, "csrf_token": csrf}, timeout=60)
    trainee, csrf = signed_in(base, sandbox)
    tried = trainee.post(
        f"{base}/console/practice/end", data={"sandbox": sandbox, "confirm": "yes", "csrf_token": csrf}, timeout=60
    )
    assert tried.status_code == 422
    assert "solo un administrador puede iniciarlas o terminarlas" in html.unescape(tried.text)
    assert practice_state(base, sandbox)["active"] is True


def test_each_line_says_in_spanish_what_it_answers():
    assert why({"rule": "opening", "answering": None}) == "Primer mensaje del cliente"
    said = {"rule": "problem", "answering": "advisor: ¿En qué te puedo ayudar?"}
    assert why(said) == "El asesor escribió: «¿En qué te puedo ayudar?»"
    assert why({"rule": "consent", "answering": "bot: responde ACEPTO"}) == "El bot escribió: «responde ACEPTO»"
    long = {"rule": "consent", "answering": "bot: " + "¿nos autorizas a tratar tus datos personales? " * 3}
    assert (
        why(long) == "El bot escribió: «¿nos autorizas a tratar tus datos personales? ¿nos autoriza…»"
    )  # 59 characters and the ellipsis
    called = {"rule": "diagnosis", "answering": "call diagnosticador: POST /modems/123/check"}
    assert why(called) == "Consulta a DIAGNOSTICADOR"
    assert why({"rule": "typified", "answering": "typification: SOP-INT-02"}) == "Tipificación: SOP-INT-02"
