"""Formación without a browser (issue 16), with the console's Flask test client acting through a running gateway: a
formador (token or the development shortcut) lands on the sessions list, an asesor gets a 403 page in Spanish; the
create form lists the catalogue's scenarios by title and refuses bad fields in Spanish next to each (the gateway's
409 and 422 too); a created session's cards show each trainee's token once; the session starts and finishes only
when confirmed, and every POST needs the session's CSRF token; the live view shows the customer's messages."""

from __future__ import annotations

import html
import re
import uuid

import pytest
import requests

from claro_backoffice.console.app import create_app
from claro_backoffice.console.settings import ConsoleSettings
from claro_backoffice.gateway.services import scenarios
from tests.console.conftest import ADMIN
from tests.flow.driver import OverHttp
from tests.flow.flows import START
from tests.training.trainee import Trainee

SCENARIO = "digital-invoice-request"
TRAINER = {"Authorization": "Bearer dev-formador"}
CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


@pytest.fixture
def console(console_server):
    """A console app of its own (Flask's test client), acting through the running server's gateway."""
    settings = ConsoleSettings(
        gateway_url=f"{console_server.base}/api/v1", meta_url=f"{console_server.base}/mocks/meta"
    )
    app = create_app(settings, requests.Session())
    with app.test_client() as client:
        yield client


def csrf(client) -> str:
    found = CSRF.search(client.get("/signin").get_data(as_text=True))
    assert found
    return found.group(1)


def page_csrf(text: str) -> str:
    found = CSRF.search(text)
    assert found, text[:300]
    return found.group(1)


def text_of(response) -> str:
    return html.unescape(response.get_data(as_text=True))


def sign_in(client, token: str, advisor: str = "", sandbox: str = ""):
    form = {"token": token, "advisor": advisor, "sandbox": sandbox, "csrf_token": csrf(client)}
    return client.post("/signin", data=form, follow_redirects=True)


def api(console_server, method: str, path: str, headers: dict = TRAINER, **kw) -> requests.Response:
    return requests.request(method, f"{console_server.base}/api/v1{path}", headers=headers, timeout=120, **kw)


PAGES = (
    "/formacion/",
    "/formacion/sesiones/nueva",
    "/formacion/sesiones/TRS-000001",
    "/formacion/sesiones/TRS-000001/en-vivo/TRA-000001",
    "/formacion/sesiones/TRS-000001/en-vivo/TRA-000001/parcial",
)


def test_a_formador_lands_on_formacion_and_an_asesor_is_refused(console, console_server):
    signed = sign_in(console, "dev-formador")
    assert signed.status_code == 200 and signed.request.path == "/formacion/", signed.request.path
    page = text_of(signed)
    assert 'data-testid="nav-training"' in page and 'data-testid="nav-queue"' not in page
    assert "Sesiones de formación" in page
    console.post("/signout", data={"csrf_token": page_csrf(page)})

    # The development shortcut offers the development trainer beside Almabi's people.
    form = text_of(console.get("/signin"))
    assert '<option value="formador" data-role="formador"' in form and "Formador de desarrollo" in form
    shortcut = console.post(
        "/signin/dev",
        data={"advisor": "formador", "sandbox": "default", "csrf_token": page_csrf(form)},
        follow_redirects=True,
    )
    assert shortcut.request.path == "/formacion/" and "nav-training" in text_of(shortcut)
    console.post("/signout", data={"csrf_token": page_csrf(text_of(shortcut))})

    # An admin not pinned to a sandbox trains too, from its usual desk.
    admin = sign_in(console, "dev-admin", "formador.aula", "default")
    assert admin.request.path == "/queue" and 'data-testid="nav-training"' in text_of(admin)
    assert console.get("/formacion/").status_code == 200
    console.post("/signout", data={"csrf_token": page_csrf(text_of(admin))})

    asesor = sign_in(console, "dev-asesor", "asesor.premium.prueba", "default")
    assert asesor.request.path == "/queue" and 'data-testid="nav-training"' not in text_of(asesor)
    for path in PAGES:
        refused = console.get(path)
        assert refused.status_code == 403, path
        assert "solo la ven los formadores" in text_of(refused)
    klass = f"tr-{uuid.uuid4().hex[:6]}"
    tried = console.post(
        "/formacion/sesiones/nueva",
        data={
            "class": klass,
            "trainees": "ana",
            "scenarios": SCENARIO,
            "minutes": "30",
            "csrf_token": page_csrf(text_of(asesor)),
        },
    )
    assert tried.status_code == 403
    assert api(console_server, "GET", "/training/sessions", params={"class": klass}).json()["sessions"] == []


def test_a_session_is_planned_its_cards_shown_once_started_watched_and_finished(console, console_server):
    klass = f"tr-{uuid.uuid4().hex[:6]}"
    token = page_csrf(text_of(sign_in(console, "dev-formador")))
    title = scenarios.read(SCENARIO)["title"]

    form = text_of(console.get("/formacion/sesiones/nueva"))
    assert title in form and scenarios.read(SCENARIO)["description"] in form
    assert f'value="{SCENARIO}"' in form

    # Each field's mistake, in Spanish, next to it; nothing reaches the gateway.
    bad = console.post(
        "/formacion/sesiones/nueva",
        data={"class": "Aula 1", "trainees": "ana, ana", "minutes": "0", "csrf_token": token},
    )
    assert bad.status_code == 422
    page = text_of(bad)
    assert "El nombre de la clase lleva hasta 30 letras minúsculas" in page
    assert "Aprendices repetidos: ana." in page
    assert "Elige al menos un escenario." in page
    assert "El tiempo límite es un número entero de 1 a 480 minutos virtuales." in page
    assert api(console_server, "GET", "/training/sessions", params={"class": "aula-1"}).json()["sessions"] == []

    # The gateway's 422 (a scenario it does not know) is shown next to the scenarios.
    unknown = console.post(
        "/formacion/sesiones/nueva",
        data={"class": klass, "trainees": "ana", "scenarios": "no-such-scenario", "minutes": "20", "csrf_token": token},
    )
    assert unknown.status_code == 422
    assert 'data-testid="training-error-scenarios"' in text_of(unknown)
    assert "El gateway no conoce alguno de los escenarios elegidos" in text_of(unknown)

    # Without the CSRF token nothing is created.
    forged = console.post(
        "/formacion/sesiones/nueva", data={"class": klass, "trainees": "ana", "scenarios": SCENARIO, "minutes": "20"}
    )
    assert forged.status_code == 403
    assert api(console_server, "GET", "/training/sessions", params={"class": klass}).json()["sessions"] == []

    created = console.post(
        "/formacion/sesiones/nueva",
        data={"class": klass, "trainees": "ana\nbeto", "scenarios": SCENARIO, "minutes": "20", "csrf_token": token},
    )
    sandboxes = [f"{klass}--ana-1", f"{klass}--beto-1"]
    try:
        assert created.status_code == 201, text_of(created)[:2000]
        cards = text_of(created)
        assert "Los tokens se muestran solo esta vez." in cards
        tokens = re.findall(r'data-testid="training-card-token">([^<]+)<', cards)
        assert len(tokens) == 2 and re.findall(r'data-testid="training-card-sandbox">([^<]+)<', cards) == sandboxes
        assert cards.count(title) == 2 and cards.count("http://localhost/signin") == 2
        for sandbox, issued in zip(sandboxes, tokens, strict=True):
            me = api(console_server, "GET", "/me", headers={"Authorization": f"Bearer {issued}"}).json()
            assert (me["role"], me["sandbox"]) == ("asesor", sandbox)
        [planned] = api(console_server, "GET", "/training/sessions", params={"class": klass}).json()["sessions"]
        session_id = planned["id"]

        # The list, filtered by class and state, in Spanish.
        listed = text_of(console.get(f"/formacion/?clase={klass}&estado=planned"))
        assert f'data-session-id="{session_id}"' in listed and "planificada" in listed and title in listed
        assert "20 min" in listed and "ana, beto" in listed
        assert session_id not in text_of(console.get(f"/formacion/?clase={klass}&estado=running"))
        wrong = console.get("/formacion/?estado=otro")
        assert wrong.status_code == 422 and "Elige un estado de la lista." in text_of(wrong)
        wrong = console.get("/formacion/?clase=Aula 1")
        assert wrong.status_code == 422 and "La clase lleva letras minúsculas" in text_of(wrong)

        # The session page: never a token again; the report and cohort links h/trreport's pages answer.
        shown = text_of(console.get(f"/formacion/sesiones/{session_id}"))
        assert all(t not in shown for t in tokens)
        assert 'data-state="planned"' in shown and shown.count('data-testid="training-attempt"') == 2
        assert f'href="/formacion/sesiones/{session_id}/informe/ana"' in shown
        assert f'href="/formacion/clases/{klass}/cohorte"' in shown

        # A second session of the class while this one is not finished: the gateway's 409, next to the class.
        busy = console.post(
            "/formacion/sesiones/nueva",
            data={"class": klass, "trainees": "carla", "scenarios": SCENARIO, "minutes": "20", "csrf_token": token},
        )
        assert busy.status_code == 409 and 'data-testid="training-error-class"' in text_of(busy)
        assert "Esta clase tiene una sesión sin terminar" in text_of(busy)

        for sandbox in sandboxes:  # frozen: the customer replies when the test moves the clock
            clock = {"set": START, "frozen": True}
            api(console_server, "POST", "/admin/clock", headers={**ADMIN, "X-Sandbox": sandbox}, json=clock)

        # Starting: not without the CSRF token, not without confirming.
        start = f"/formacion/sesiones/{session_id}/iniciar"
        assert console.post(start, data={"confirm": "si"}).status_code == 403
        unconfirmed = console.post(start, data={"csrf_token": token})
        assert unconfirmed.status_code == 422 and "Confirma que quieres iniciar la sesión" in text_of(unconfirmed)
        assert api(console_server, "GET", f"/training/sessions/{session_id}").json()["state"] == "planned"
        started = console.post(start, data={"csrf_token": token, "confirm": "si"}, follow_redirects=True)
        assert started.request.path == f"/formacion/sesiones/{session_id}"
        assert f"Sesión {session_id} iniciada" in text_of(started) and 'data-state="running"' in text_of(started)
        again = console.post(start, data={"csrf_token": token, "confirm": "si"})
        assert again.status_code == 409 and "solo una planificada se inicia" in text_of(again)

        # The live view: the customer's first message, as the attempt stands; its polled part too.
        attempt = api(console_server, "GET", f"/training/sessions/{session_id}").json()["attempts"][0]
        first = scenarios.read(SCENARIO)["chat"][0]
        live = console.get(f"/formacion/sesiones/{session_id}/en-vivo/{attempt['id']}")
        assert live.status_code == 200 and first in text_of(live)
        assert "El aprendiz aún no abre un caso." in text_of(live) and "en curso" in text_of(live)
        part = console.get(f"/formacion/sesiones/{session_id}/en-vivo/{attempt['id']}/parcial")
        assert part.status_code == 200 and first in text_of(part) and "<html" not in text_of(part)
        assert console.get(f"/formacion/sesiones/{session_id}/en-vivo/TRA-999999").status_code == 404

        # ana handles the customer well with her card's token: the live view shows her case as it goes.
        ana = next(
            a
            for a in api(console_server, "GET", f"/training/sessions/{session_id}").json()["attempts"]
            if a["trainee"] == "ana"
        )
        handling = Trainee(
            OverHttp(console_server.base, ana["sandbox"], tokens[0]),
            OverHttp(console_server.base, ana["sandbox"], "dev-admin"),
            ana,
        )
        handling.take()
        handling.validate()
        opened = text_of(console.get(f"/formacion/sesiones/{session_id}/en-vivo/{ana['id']}"))
        assert f"<dd>{handling.run.case}</dd>" in opened and 'data-status="open"' in opened
        assert "sin tipificar" in opened and "sin PQR" in opened and "Caso abierto" in opened
        handling.handle()
        handling.close()
        expected = scenarios.read(SCENARIO)["expected"]
        closed = text_of(console.get(f"/formacion/sesiones/{session_id}/en-vivo/{ana['id']}/parcial"))
        assert 'data-status="closed"' in closed and expected["typificationCode"] in closed
        assert "Cerrado con el cliente" in closed and "Consulta a RR" in closed

        # Finishing: CSRF and confirmation again; then each attempt is scored.
        finish = f"/formacion/sesiones/{session_id}/terminar"
        assert console.post(finish, data={"confirm": "si"}).status_code == 403
        assert api(console_server, "GET", f"/training/sessions/{session_id}").json()["state"] == "running"
        done = console.post(finish, data={"csrf_token": token, "confirm": "si"}, follow_redirects=True)
        page = text_of(done)
        assert 'data-state="finished"' in page and "terminada" in page
        assert page.count('data-testid="training-attempt-score"') == 2
        rows = dict(re.findall(r'data-trainee="(\w+)">(.*?)</tr>', page, re.S))
        assert "100,00 / 100 · aprobado" in rows["ana"] and "no aprobado" in rows["beto"]
    finally:
        for sandbox in sandboxes:
            api(console_server, "DELETE", f"/admin/sandboxes/{sandbox}", headers=ADMIN)


def test_a_lost_card_is_reissued_once_confirmed_and_shown_once(console, console_server):
    klass = f"tr-{uuid.uuid4().hex[:6]}"
    token = page_csrf(text_of(sign_in(console, "dev-formador")))
    made = api(
        console_server,
        "POST",
        "/training/sessions",
        json={"class": klass, "trainees": ["ana"], "scenarios": [SCENARIO]},
    )
    assert made.status_code == 201, made.text
    session_id, [attempt] = made.json()["id"], made.json()["attempts"]
    path = f"/formacion/sesiones/{session_id}/intentos/{attempt['id']}/tarjeta"

    def me(bearer: str) -> requests.Response:
        return api(console_server, "GET", "/me", headers={"Authorization": f"Bearer {bearer}"})

    try:
        shown = text_of(console.get(f"/formacion/sesiones/{session_id}"))
        assert f'data-testid="training-reissue-attempt" data-attempt-id="{attempt["id"]}"' in shown
        assert "Reemitir tarjeta · ana" in shown and f'action="{path}"' in shown

        # Not without the CSRF token, not without confirming: the card still works.
        assert console.post(path, data={"confirm": "si"}).status_code == 403
        unconfirmed = console.post(path, data={"csrf_token": token})
        assert unconfirmed.status_code == 422 and "Confirma que quieres reemitir la tarjeta" in text_of(unconfirmed)
        assert me(attempt["token"]).status_code == 200

        reissued = console.post(path, data={"csrf_token": token, "confirm": "si"})
        assert reissued.status_code == 201, text_of(reissued)[:2000]
        card = text_of(reissued)
        assert (
            "El token se muestra solo esta vez." in card and "La tarjeta anterior de este intento ya no sirve." in card
        )
        [new] = re.findall(r'data-testid="training-card-token">([^<]+)<', card)
        assert re.findall(r'data-testid="training-card-sandbox">([^<]+)<', card) == [attempt["sandbox"]]
        assert me(attempt["token"]).status_code == 401
        identity = me(new).json()
        assert (identity["role"], identity["user"], identity["sandbox"]) == (
            "asesor",
            attempt["advisor"],
            attempt["sandbox"],
        )
        assert new not in text_of(console.get(f"/formacion/sesiones/{session_id}"))  # shown once

        missing = console.post(
            f"/formacion/sesiones/{session_id}/intentos/TRA-999999/tarjeta", data={"csrf_token": token, "confirm": "si"}
        )
        assert missing.status_code == 404 and "ese intento no es de esta sesión" in text_of(missing)
    finally:
        api(console_server, "POST", f"/training/sessions/{session_id}/finish")
        api(console_server, "DELETE", f"/admin/sandboxes/{attempt['sandbox']}", headers=ADMIN)
