"""The training report and cohort screens without a browser (console/training_report.py, training_cohort.py), on a
class played through the API: ana handles `modem-without-sync` well, beto writes the account's number before asking
who is writing. Expected by hand from world/data/rubric.yaml (automatic weights 90; manual items out of the total
until marked): ana 90/90 = 100 %, passes; beto loses identity-first (10, fatal): 80/90 = 88,89 %, above the 80 %
threshold but failed; once the trainer marks beto's empathy (5) as not met, 80/95 = 84,21 %.
The trainer signs in with an admin token (a trainer for the gateway; the formador's sign-in is h/trdesk's), the
trainee with the token the session gave them."""

from __future__ import annotations

import html
import re
import uuid

import pytest
import requests

from tests.console.backoffice_state import agents
from tests.console.test_csrf import csrf_of
from tests.console.test_supervisor_routes import shortcut
from tests.console.training_class import played, remove, started

SCENARIO = "modem-without-sync"
IDENTITY = "Identidad validada antes de revelar o cambiar datos de la cuenta"


def sign_in(base: str, token: str, advisor: str = "", sandbox: str = "") -> tuple[requests.Session, str]:
    browser = requests.Session()
    csrf = csrf_of(browser.get(f"{base}/console/signin", timeout=60))
    form = {"csrf_token": csrf, "token": token, "advisor": advisor, "sandbox": sandbox}
    page = browser.post(f"{base}/console/signin", data=form, timeout=120)
    assert page.status_code == 200 and 'data-testid="signed-in-as"' in page.text, page.text[:800]
    return browser, csrf_of(page)


def text(page: requests.Response) -> str:
    """The page's words, without tags (what a person reads)."""
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", page.text)))


def attr(page: requests.Response, testid: str, name: str) -> list[str]:
    return re.findall(rf'data-testid="{testid}"[^>]*?\b{name}="([^"]*)"', page.text)


@pytest.fixture(scope="module")
def klass(console_server):
    base = console_server.base
    name = f"aula-{uuid.uuid4().hex[:8]}"
    session = started(base, name, ["ana", "beto"], [SCENARIO])
    played(base, session, {"ana": "good", "beto": "discloses_first"})
    yield name, session
    remove(base, session)


def test_the_trainer_reads_marks_and_answers(console_server, klass):
    base, (_, session) = console_server.base, klass
    sid = session["id"]
    beto = next(a for a in session["attempts"] if a["trainee"] == "beto")
    trainer, csrf = sign_in(base, "dev-admin", "formador.aula", "default")

    ana_page = trainer.get(f"{base}/console/formacion/sesiones/{sid}/informe/ana", timeout=120)
    assert ana_page.status_code == 200
    assert attr(ana_page, "verdict", "data-passed") == ["true"]
    assert "APROBADO 100 % 90 de 90 puntos · umbral 80 %" in text(ana_page)
    assert "Aprobó: 100 % alcanza el umbral de 80 % y ningún ítem fatal falló." in text(ana_page)
    # The rubric the session copied when it was created (world/data/rubric.yaml's version then).
    assert "Rúbrica versión 1: la vigente cuando se creó la sesión." in text(ana_page)

    url = f"{base}/console/formacion/sesiones/{sid}/informe/beto"
    page = trainer.get(url, timeout=120)
    words = text(page)
    assert attr(page, "verdict", "data-passed") == ["false"]
    assert "NO APROBADO 88,89 % 80 de 90 puntos · umbral 80 %" in words
    assert (
        f"No aprobó por un ítem fatal: «{IDENTITY}». El puntaje (88,89 %) alcanza el umbral de 80 %, pero un ítem "
        "fatal hace perder el intento sea cual sea el total."
    ) in words
    row = re.search(r'data-item="identity-first".*?</tr>', page.text, re.S)
    assert row and 'data-mark="0"' in row.group(0) and 'data-testid="item-fatal"' in row.group(0)
    assert "No cumple" in row.group(0) and "Asesor: «Veo la cuenta" in html.unescape(row.group(0))
    assert "Se revelaron o cambiaron datos de la cuenta antes de validar la identidad." in html.unescape(row.group(0))
    assert attr(page, "item", "data-mark").count("pending") == 2  # empathy, clarity
    assert len(re.findall(r'data-testid="mark-form"', page.text)) == 2 and "dispute-form" not in page.text
    steps = attr(page, "replay-event", "data-step")
    assert steps == [str(n) for n in range(1, len(steps) + 1)] and len(steps) > 20
    assert {"message", "call", "step", "rubric"} <= set(attr(page, "replay-event", "data-kind"))
    assert "{" not in text(page).split("Repetición", 1)[1]  # the replay is read, not raw JSON
    # Without script the replay is the plain ordered list: its stepping controls are hidden until the script runs.
    assert re.search(r'<div class="replay-controls no-print" data-replay-controls hidden>', page.text)
    assert '<ol class="replay-list"' in page.text

    mark_url = f"{url}/intentos/{beto['id']}/marcas/empathy"
    refused = trainer.post(mark_url, data={"csrf_token": csrf, "comment": "x"}, timeout=60)
    assert refused.status_code == 422 and "elige «Cumple» o «No cumple»" in refused.text
    not_manual = trainer.post(f"{url}/intentos/{beto['id']}/marcas/welcome", data={"csrf_token": csrf, "met": "si"})
    assert not_manual.status_code == 422
    assert "solo los ítems manuales (empatía, claridad) se marcan a mano" in html.unescape(not_manual.text)
    marked = trainer.post(
        mark_url, data={"csrf_token": csrf, "met": "no", "comment": "No reconoció la molestia"}, timeout=60
    )
    assert marked.status_code == 200 and "Marca guardada: no cumple." in marked.text
    assert "84,21 %" in text(marked) and "80 de 95 puntos" in text(marked)  # 80 / (90 + 5)
    row = re.search(r'data-item="empathy".*?</tr>', marked.text, re.S)
    assert row and 'data-mark="0"' in row.group(0) and "No reconoció la molestia" in row.group(0)

    # beto, signed in with the token of his attempt: his report, no marking, a dispute.
    trainee, trainee_csrf = sign_in(base, beto["token"])
    own = trainee.get(url, timeout=120)
    assert own.status_code == 200 and "mark-form" not in own.text
    assert len(re.findall(r'data-testid="dispute-form"', own.text)) == 10  # every item but the unmarked clarity
    other = trainee.get(f"{base}/console/formacion/sesiones/{sid}/informe/ana", timeout=60)
    assert other.status_code == 403
    assert "un participante ve solo el intento de su propio sandbox" in html.unescape(other.text)
    disputed = trainee.post(
        f"{url}/intentos/{beto['id']}/disputas",
        data={"csrf_token": trainee_csrf, "item": "empathy", "text": "Le pedí disculpas por la falla"},
        timeout=60,
    )
    assert disputed.status_code == 200 and "Disputa enviada" in disputed.text
    empty = trainee.post(
        f"{url}/intentos/{beto['id']}/disputas", data={"csrf_token": trainee_csrf, "item": "empathy", "text": " "}
    )
    assert empty.status_code == 422 and "escribe por qué" in empty.text
    assert (
        trainee.post(
            f"{url}/intentos/{beto['id']}/disputas/1/respuesta", data={"csrf_token": trainee_csrf, "text": "Yo"}
        ).status_code
        == 403
    )

    page = trainer.get(url, timeout=120)
    assert attr(page, "dispute", "data-answered") == ["false"] and "Le pedí disculpas por la falla" in page.text
    answered = trainer.post(
        f"{url}/intentos/{beto['id']}/disputas/1/respuesta",
        data={"csrf_token": csrf, "text": "Se mantiene: no hubo disculpa"},
        timeout=60,
    )
    assert answered.status_code == 200 and attr(answered, "dispute", "data-answered") == ["true"]
    assert "Se mantiene: no hubo disculpa" in trainee.get(url, timeout=60).text
    again = trainer.post(f"{url}/intentos/{beto['id']}/disputas/1/respuesta", data={"csrf_token": csrf, "text": "Otra"})
    assert again.status_code == 409 and "esa disputa ya tiene respuesta" in again.text


def test_the_cohort_view(console_server, klass):
    base, (name, _) = console_server.base, klass
    trainer, _ = sign_in(base, "dev-admin", "formador.aula", "default")
    page = trainer.get(f"{base}/console/formacion/clases/{name}/cohorte", timeout=120)
    assert page.status_code == 200
    assert attr(page, "cohort-trainee", "data-trainee") == ["ana", "beto"]
    cells = {
        (t, i): (band, mastery)
        for t, i, band, mastery in re.findall(
            r'data-testid="cohort-cell" data-trainee="([^"]+)" data-item="([^"]+)" data-band="([^"]+)" '
            r'data-mastery="([^"]*)"',
            page.text,
        )
    }
    assert len(cells) == 22  # 2 trainees x 11 items
    assert cells[("ana", "identity-first")] == ("mastered", "1.0")
    assert cells[("beto", "identity-first")] == ("weak", "0.0")
    assert cells[("ana", "clarity")] == ("none", "")
    words = text(page)
    assert "0 % por reforzar · 1 intento" in words and "100 % dominado · 1 intento" in words  # not colour alone
    assert "en los últimos 3 intentos terminados del participante en que aplicó; dominado con 80 % o más" in words
    assert attr(page, "cohort-scenario", "data-passed") == ["1"] and "1 de 2" in words
    assert attr(page, "cohort-passed", "data-trainee") == ["ana", "beto"]
    assert f"{SCENARIO} ninguno" in re.sub(r"\s+", " ", words)  # ana passed it, beto none


def test_an_asesor_gets_the_gateways_refusal_in_spanish(console_server, sandbox, klass):
    base, (name, session) = console_server.base, klass
    asesor, _ = shortcut(base, sandbox, agents(base, sandbox, "asesor")[0]["username"])
    for path in (f"formacion/sesiones/{session['id']}/informe/ana", f"formacion/clases/{name}/cohorte"):
        refused = asesor.get(f"{base}/console/{path}", timeout=60)
        assert refused.status_code == 403 and "No fue posible leer" in refused.text, path
    missing = asesor.get(f"{base}/console/formacion/sesiones/no-such/informe/ana", timeout=60)
    assert missing.status_code == 404
