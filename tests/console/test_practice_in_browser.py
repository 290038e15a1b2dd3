"""Practice mode in the browser (issue 15): a trainer (an admin token) starts `modem-without-sync` from the console's
Práctica page; a trainee then signs in to that sandbox and handles the scripted customer by clicks and typing only:
takes the chat, asks for the document and types what the customer answered, opens the case, asks the scripted
questions, runs the diagnosis, books a visit, typifies and closes in follow-up; the customer answers the closing
question and the survey by itself. The trainer's frozen sandbox clock is moved through the API (as a trainer
would between the trainee's steps), so each of the customer's 20-second delays passes without waiting. The back
office is then checked through the API: the case's state, the survey score the customer gave, the lines said."""

from __future__ import annotations

import re

import pytest
import requests
from playwright.sync_api import Page, expect

from claro_backoffice.gateway.services import scenarios
from tests.console.accessibility import assert_accessible
from tests.console.conftest import ADMIN
from tests.console.desk import book_first_visit, open_case, typify_and_follow_up, validate_identity
from tests.console.test_console_flow import WAIT_MS, sign_in
from tests.flow.flows import START

pytestmark = pytest.mark.browser
NAME = "modem-without-sync"


def sign_in_as_trainer(page: Page, base: str, sandbox: str) -> None:
    page.goto(f"{base}/console/signin")
    page.get_by_test_id("signin-token").fill(ADMIN["Authorization"].removeprefix("Bearer "))
    page.get_by_test_id("signin-advisor").fill("formador.aula")
    page.get_by_test_id("signin-sandbox").fill(sandbox)
    page.get_by_test_id("signin-submit").click()
    expect(page.get_by_test_id("signed-in-as")).to_contain_text("formador.aula")


def test_a_trainee_handles_the_scripted_customer_in_the_browser(page: Page, console_server, sandbox):
    base, api = console_server.base, f"{console_server.base}/api/v1"
    trainer = {**ADMIN, "X-Sandbox": sandbox}
    expected = scenarios.read(NAME)["expected"]
    account = scenarios.read(NAME)["customer"]["accountId"]

    def later(seconds: int) -> None:
        """The trainer moves the frozen clock and looks at the practice (a read: the lines now due are said)."""
        moved = requests.post(f"{api}/admin/clock", json={"advance": f"PT{seconds}S"}, headers=trainer, timeout=60)
        assert moved.status_code == 200, moved.text
        assert requests.get(f"{api}/admin/practice", headers=trainer, timeout=60).status_code == 200

    frozen = requests.post(f"{api}/admin/clock", json={"set": START, "frozen": True}, headers=trainer, timeout=60)
    assert frozen.status_code == 200, frozen.text

    # The trainer starts the practice from the console.
    sign_in_as_trainer(page, base, sandbox)
    page.get_by_test_id("nav-practice").click()
    page.get_by_test_id("practice-scenario").select_option(NAME)
    expect(page.get_by_test_id("practice-sandbox")).to_have_value(sandbox)
    assert_accessible(page, "practice (choose)")
    page.get_by_test_id("practice-start").click()
    expect(page.get_by_test_id("practice-notice")).to_contain_text(
        f"Práctica «{NAME}» iniciada en el sandbox {sandbox}"
    )
    expect(page.get_by_test_id("practice-state")).to_have_attribute("data-active", "true")
    expect(page.get_by_test_id("practice-line").filter(has_text="Hola, buenas")).to_have_attribute("data-state", "said")
    assert_accessible(page, "practice (started)")
    page.get_by_test_id("sign-out").click()

    # The bot's consent question and "¿deseas que un asesor...?" are answered 10 s each after they are asked.
    later(10)
    later(10)
    advisor = sign_in(page, base, sandbox)
    expect(page.get_by_test_id("queue-row")).to_have_count(1, timeout=WAIT_MS)
    page.get_by_test_id("queue-take").click()
    expect(page).to_have_url(re.compile(r"/console/chats/CNV-\d+$"))
    conversation_id = page.url.rsplit("/", 1)[-1]
    said = page.locator("[data-testid=message][data-author=customer]").get_by_test_id("message-text")

    def customer_answers(text: str) -> None:
        later(20)
        expect(said.last).to_have_text(text, timeout=WAIT_MS)

    def write(text: str) -> None:
        page.get_by_test_id("chat-input").fill(text)
        page.get_by_test_id("chat-send").click()
        expect(page.locator("[data-testid=message][data-author=advisor]").last).to_contain_text(text)

    customer_answers("El módem tiene la luz de internet parpadeando y no navego")
    write("Con gusto te ayudo. ¿Me confirmas tu número de documento, por favor?")
    later(20)
    expect(said.last).to_contain_text("Claro, es el", timeout=WAIT_MS)
    kind, number = re.fullmatch(r"Claro, es el (\w+) (\d+)", said.last.inner_text().strip()).groups()

    validate_identity(page, kind, number)
    expect(page.get_by_test_id("customer360-name")).to_be_visible(timeout=WAIT_MS)
    open_case(page, f"account:{account}", expected["category"], expected["product"], "El módem parpadea y no navega")
    expect(page.get_by_test_id("case-state")).to_have_attribute("data-status", "open")
    case_id = page.get_by_test_id("case-panel").get_attribute("data-case-id")

    write("¿Desde cuándo tienes la falla?")
    customer_answers("Desde ayer en la noche")
    write("¿Ya intentaste reiniciar el módem?")
    customer_answers("Sí, ya lo desconecté y lo volví a conectar dos veces y sigue igual")

    panel = page.get_by_test_id("tools-panel")
    panel.get_by_test_id("tool-diagnostics-run").click()
    expect(page.get_by_test_id("tool-result").first).to_contain_text("sin sincronía")
    customer_answers("Quedo atento, ¿qué le aparece?")
    write("Tu módem no sincroniza y no hay falla masiva en tu zona. ¿Te agendo una visita técnica?")
    customer_answers("Sí, por favor. Puede ser cualquier día en la mañana")
    book_first_visit(page)
    customer_answers("Perfecto, quedo pendiente de la visita")

    typify_and_follow_up(
        page,
        expected["typificationCode"],
        expected["followUpType"],
        "Módem sin sincronía tras diagnóstico; visita técnica agendada.",
    )

    # The customer answers "¿Hay algo más?" and the survey by itself; the score reaches the case panel.
    customer_answers("No, eso era todo. Muchas gracias")
    customer_answers("9")
    expect(page.get_by_test_id("case-survey")).to_have_attribute("data-survey", "answered", timeout=WAIT_MS)
    assert_accessible(page, "practice chat, closed in follow-up")

    trainee = {"Authorization": "Bearer dev-asesor", "X-Sandbox": sandbox}
    case = requests.get(f"{api}/cases/{case_id}", headers=trainee, timeout=60).json()
    assert (case["status"], case["followUpType"]) == ("followUp", expected["followUpType"])
    assert case["conversationId"] == conversation_id and case["survey"]["score"] == 9
    assert case["typification"]["code"] == expected["typificationCode"]
    practice = requests.get(f"{api}/admin/practice", headers=trainer, timeout=60).json()
    assert [(line["rule"], line["state"]) for line in practice["lines"]] == [
        ("opening", "said"),
        ("consent", "said"),
        ("advisor", "said"),
        ("problem", "said"),
        ("document", "said"),
        ("since-when", "said"),
        ("already-tried", "said"),
        ("diagnosis-running", "said"),
        ("visit-offered", "said"),
        ("visit-booked", "said"),
        ("anything-else", "said"),
        ("otherwise", "dropped"),  # its "Listo" to the goodbye: the chat had ended, so never said
        ("survey", "said"),
    ]
    assert advisor and practice["scenario"] == NAME
