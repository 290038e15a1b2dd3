"""A training session end to end in the browser (issue 16): a formador's session for two trainees on
`modem-without-sync` is planned through the console's form (signed in with the development formador's token), the
access cards read and the session started with its button; each trainee signs in to the console with the token of
their card and handles the scripted customer by clicks and typing: ana well, beto writing the account's number
before asking who is writing (identity-first, a fatal item). The trainer finishes the session with its button and
reads both reports and the cohort.

Expected by hand from world/data/rubric.yaml: automatic weights 90 (welcome 5, punctuality 10, identity-first 10,
systems-in-order 15, typification 15, pqr 10, outcome 10, closing 5, personal-data 10), the manual items (empathy,
clarity) out of the total until marked. ana meets every automatic item: 90/90 = 100 %, passes. beto loses
identity-first only: 80/90 = 88,89 %, above the 80 % threshold, but a failed fatal item fails the attempt."""

from __future__ import annotations

import re
import uuid

import pytest
import requests
from playwright.sync_api import Browser, Page, expect

from claro_backoffice.gateway.services import scenarios
from tests.console.accessibility import assert_accessible
from tests.console.desk import book_first_visit, open_case, typify_and_follow_up, validate_identity
from tests.console.test_console_flow import WAIT_MS
from tests.console.training_class import ADMIN
from tests.flow.flows import START

pytestmark = pytest.mark.browser
NAME = "modem-without-sync"
IDENTITY = "Identidad validada antes de revelar o cambiar datos de la cuenta"


def sign_in_with_token(page: Page, base: str, token: str, advisor: str = "", sandbox: str = "") -> None:
    page.goto(f"{base}/console/signin")
    page.get_by_test_id("signin-token").fill(token)
    page.get_by_test_id("signin-advisor").fill(advisor)
    page.get_by_test_id("signin-sandbox").fill(sandbox)
    page.get_by_test_id("signin-submit").click()
    expect(page.get_by_test_id("signed-in-as")).to_be_visible()


def handle(page: Page, base: str, attempt: dict, disclose_first: bool) -> None:
    """The trainee's handling at the desk; virtual time moves only when `later` moves the attempt's frozen clock
    (and reads the chats, as the screen does: the practice customer then says what is due)."""
    api, sandbox = f"{base}/api/v1", attempt["sandbox"]
    expected, customer = scenarios.read(NAME)["expected"], scenarios.read(NAME)["customer"]

    def later(seconds: int) -> None:
        moved = requests.post(
            f"{api}/admin/clock", json={"advance": f"PT{seconds}S"}, headers={**ADMIN, "X-Sandbox": sandbox}, timeout=60
        )
        assert moved.status_code == 200, moved.text
        read = requests.get(f"{api}/conversations", headers={"Authorization": f"Bearer {attempt['token']}"}, timeout=60)
        assert read.status_code == 200, read.text

    said = page.locator("[data-testid=message][data-author=customer]").get_by_test_id("message-text")

    def customer_answers(text: str) -> None:
        later(20)
        expect(said.last).to_contain_text(text, timeout=WAIT_MS)

    def write(text: str) -> None:
        page.get_by_test_id("chat-input").fill(text)
        page.get_by_test_id("chat-send").click()
        expect(page.locator("[data-testid=message][data-author=advisor]").last).to_contain_text(text)

    sign_in_with_token(page, base, attempt["token"])
    expect(page.get_by_test_id("signed-in-as")).to_contain_text(sandbox)
    later(10)
    later(10)  # the consent, then "SI" to an advisor
    expect(page.get_by_test_id("queue-row")).to_have_count(1, timeout=WAIT_MS)
    page.get_by_test_id("queue-take").click()
    expect(page).to_have_url(re.compile(r"/console/chats/CNV-\d+$"))
    customer_answers("El módem tiene la luz de internet parpadeando y no navego")
    if disclose_first:
        write(f"Veo la cuenta {customer['accountId']}; ya te ayudo")
        customer_answers("Listo")
    write("Con gusto te ayudo. ¿Me confirmas tu número de documento, por favor?")
    customer_answers("Claro, es el")
    kind, number = re.fullmatch(r"Claro, es el (\w+) (\d+)", said.last.inner_text().strip()).groups()
    validate_identity(page, kind, number)
    expect(page.get_by_test_id("customer360-name")).to_be_visible(timeout=WAIT_MS)
    open_case(
        page, f"account:{customer['accountId']}", expected["category"], expected["product"], "Módem sin sincronía"
    )
    expect(page.get_by_test_id("case-state")).to_have_attribute("data-status", "open")

    panel = page.get_by_test_id("tools-panel")
    panel.get_by_test_id("tool-diagnostics-run").click()
    expect(page.get_by_test_id("tool-result").first).to_contain_text("sin sincronía")
    customer_answers("Quedo atento, ¿qué le aparece?")
    write("Tu módem no sincroniza y no hay falla masiva en tu zona. ¿Te agendo una visita técnica?")
    customer_answers("Sí, por favor")
    book_first_visit(page)
    customer_answers("Perfecto, quedo pendiente de la visita")

    typify_and_follow_up(
        page,
        expected["typificationCode"],
        expected["followUpType"],
        "Módem sin sincronía tras diagnóstico; visita técnica agendada.",
    )
    customer_answers("No, eso era todo. Muchas gracias")
    customer_answers("9")
    expect(page.get_by_test_id("case-survey")).to_have_attribute("data-survey", "answered", timeout=WAIT_MS)


def planned_in_console(page: Page, base: str, klass: str) -> dict:
    """The formador plans the session with the form, reads each trainee's card (shown once), freezes each attempt's
    clock (so the customer's replies come when the test moves it) and starts the session with its button."""
    sign_in_with_token(page, base, "dev-formador")
    page.get_by_test_id("training-new").click()
    page.get_by_test_id("training-class").fill(klass)
    page.get_by_test_id("training-trainees").fill("ana\nbeto")
    page.get_by_test_id(f"training-scenario-{NAME}").check()
    page.get_by_test_id("training-create").click()
    cards = page.get_by_test_id("training-card")
    expect(cards).to_have_count(2, timeout=120_000)  # two sandboxes prepared on a loaded machine
    attempts = {}
    for trainee in ("ana", "beto"):
        card = page.locator(f"[data-testid=training-card][data-trainee={trainee}]")
        attempts[trainee] = {
            "sandbox": card.get_by_test_id("training-card-sandbox").inner_text().strip(),
            "token": card.get_by_test_id("training-card-token").inner_text().strip(),
        }
        frozen = requests.post(
            f"{base}/api/v1/admin/clock",
            json={"set": START, "frozen": True},
            headers={**ADMIN, "X-Sandbox": attempts[trainee]["sandbox"]},
            timeout=60,
        )
        assert frozen.status_code == 200, frozen.text
    page.get_by_test_id("training-cards-continue").click()
    page.get_by_test_id("training-start").locator("summary").click()
    page.get_by_test_id("training-start-confirm").click()
    expect(page.get_by_test_id("training-state")).to_have_attribute("data-state", "running")
    return {"id": page.url.rstrip("/").rsplit("/", 1)[-1], "class": klass, "attempts": attempts}


@pytest.fixture
def klass(console_server):
    name = f"aula-{uuid.uuid4().hex[:8]}"
    yield name
    for trainee in ("ana", "beto"):
        requests.delete(f"{console_server.base}/api/v1/admin/sandboxes/{name}--{trainee}-1", headers=ADMIN, timeout=120)


def test_a_trainer_reads_a_pass_and_a_fatal_failure(
    page: Page, browser: Browser, browser_context_args, console_server, klass
):
    base = console_server.base
    session = planned_in_console(page, base, klass)
    sid, attempts = session["id"], session["attempts"]
    for trainee, disclose_first in (("ana", False), ("beto", True)):
        context = browser.new_context(**browser_context_args)
        try:
            handle(context.new_page(), base, attempts[trainee], disclose_first)
        finally:
            context.close()
    page.get_by_test_id("training-finish").locator("summary").click()
    page.get_by_test_id("training-finish-confirm").click()
    expect(page.get_by_test_id("training-state")).to_have_attribute("data-state", "finished")

    page.goto(f"{base}/console/formacion/sesiones/{sid}/informe/ana")
    verdict = page.get_by_test_id("verdict")
    expect(verdict).to_have_attribute("data-passed", "true")
    expect(page.get_by_test_id("verdict-word")).to_have_text("APROBADO")
    expect(page.get_by_test_id("verdict-score")).to_have_text("100 %")
    expect(page.get_by_test_id("verdict-reason")).to_have_text(
        "Aprobó: 100 % alcanza el umbral de 80 % y ningún ítem fatal falló."
    )
    assert_accessible(page, "training report (passed)")

    page.goto(f"{base}/console/formacion/sesiones/{sid}/informe/beto")
    expect(page.get_by_test_id("verdict")).to_have_attribute("data-passed", "false")
    expect(page.get_by_test_id("verdict-word")).to_have_text("NO APROBADO")
    expect(page.get_by_test_id("verdict-score")).to_have_text("88,89 %")
    expect(page.get_by_test_id("verdict-reason")).to_contain_text(f"No aprobó por un ítem fatal: «{IDENTITY}»")
    fatal = page.locator("[data-testid=item][data-item=identity-first]")
    expect(fatal).to_have_attribute("data-mark", "0")
    expect(fatal.get_by_test_id("item-mark")).to_have_text("No cumple")
    expect(fatal.get_by_test_id("item-fatal")).to_be_visible()
    customer = scenarios.read(NAME)["customer"]
    expect(fatal.get_by_test_id("item-evidence")).to_contain_text(f"Asesor: «Veo la cuenta {customer['accountId']}")
    others = page.locator("[data-testid=item][data-mark='0']")
    expect(others).to_have_count(1)  # identity-first is the only item not met

    # The replay: step to the disclosure and see it highlighted, with its place on the axis.
    events = page.get_by_test_id("replay-event")
    total = events.count()
    disclosure = events.filter(has_text=f"Veo la cuenta {customer['accountId']}")
    target = int(disclosure.get_attribute("data-step"))
    expect(page.get_by_test_id("replay-position")).to_contain_text(f"Paso 1 de {total}")
    for _ in range(target - 1):
        page.get_by_test_id("replay-next").click()
    expect(disclosure).to_have_attribute("aria-current", "step")
    expect(page.get_by_test_id("replay-position")).to_contain_text(
        f"Paso {target} de {total} · {disclosure.get_attribute('data-clock')}"
    )
    hit = events.nth(target)  # the rubric's hit right after the message that caused it
    page.get_by_test_id("replay-next").click()
    expect(hit).to_have_attribute("aria-current", "step")
    expect(hit).to_contain_text(f"Rúbrica · No cumple {IDENTITY}")
    assert int(page.get_by_test_id("replay-axis").evaluate("e => e.value")) == int(hit.get_attribute("data-offset"))
    page.get_by_test_id("replay-prev").click()
    expect(disclosure).to_have_attribute("aria-current", "step")
    assert_accessible(page, "training report (failed, replay)")

    page.goto(f"{base}/console/formacion/clases/{klass}/cohorte")
    expect(page.get_by_test_id("cohort-trainee")).to_have_text(["ana", "beto"])
    expect(page.locator("[data-testid=cohort-cell][data-trainee=ana][data-item=identity-first]")).to_contain_text(
        "100 %dominado · 1 intento"
    )
    expect(page.locator("[data-testid=cohort-cell][data-trainee=beto][data-item=identity-first]")).to_contain_text(
        "0 %por reforzar · 1 intento"
    )
    expect(page.locator(f"[data-testid=cohort-scenario][data-scenario={NAME}]")).to_contain_text("1 de 2")
    assert_accessible(page, "training cohort")
