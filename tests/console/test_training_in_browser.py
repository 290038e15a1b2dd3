"""Formación in the browser (issue 16): a formador signs in with the development trainer's token, plans a session
for two trainees on one scenario through the form, reads the access cards, and starts the session; a trainee signs
in with their card's token (nothing else typed), lands on the advisor's queue of their own sandbox, takes the chat
and sees the customer's first message; the trainer's live view of that attempt shows it too. Each attempt's sandbox
clock is frozen through the API, and moved as a trainer would, so the customer's 10-second replies pass without
waiting. Every new screen is checked with axe and photographed at 1280x800 (in the test's tmp_path)."""

from __future__ import annotations

import re
import uuid

import pytest
import requests
from playwright.sync_api import Browser, Page, expect

from claro_backoffice.gateway.services import scenarios
from tests.console.accessibility import assert_accessible
from tests.console.conftest import ADMIN
from tests.console.test_console_flow import WAIT_MS
from tests.flow.driver import OverHttp
from tests.flow.flows import START
from tests.training.trainee import Trainee

pytestmark = pytest.mark.browser
SCENARIO = "digital-invoice-request"


def test_a_trainer_runs_a_session_and_watches_a_trainee_live(
    page: Page, browser: Browser, browser_context_args: dict, console_server, tmp_path
):
    base, api = console_server.base, f"{console_server.base}/api/v1"
    klass = f"aula-{uuid.uuid4().hex[:6]}"
    sandboxes = [f"{klass}--ana-1", f"{klass}--beto-1"]
    first_line = scenarios.read(SCENARIO)["chat"][0]
    title = scenarios.read(SCENARIO)["title"]

    def shot(where: Page, name: str) -> None:
        assert_accessible(where, name)
        where.screenshot(path=tmp_path / f"training-{name}.png", full_page=True)

    # The trainer signs in with a formador's token and lands on Formación.
    page.goto(f"{base}/console/signin")
    page.get_by_test_id("signin-token").fill("dev-formador")
    page.get_by_test_id("signin-submit").click()
    expect(page).to_have_url(re.compile(r"/console/formacion/$"))
    expect(page.get_by_test_id("nav-training")).to_be_visible()
    expect(page.get_by_test_id("nav-queue")).to_have_count(0)
    shot(page, "list-empty")

    page.get_by_test_id("training-new").click()
    expect(page).to_have_url(re.compile(r"/console/formacion/sesiones/nueva$"))
    shot(page, "new")
    page.get_by_test_id("training-class").fill(klass)
    page.get_by_test_id("training-trainees").fill("ana\nbeto")
    page.get_by_test_id("training-create").click()  # no scenario chosen: refused next to the field
    expect(page.get_by_test_id("training-error-scenarios")).to_have_text("Elige al menos un escenario.")
    expect(page.get_by_test_id("training-trainees")).to_have_value("ana\nbeto")
    shot(page, "new-refused")
    page.get_by_test_id(f"training-scenario-{SCENARIO}").check()
    page.get_by_test_id("training-minutes").fill("20")
    page.get_by_test_id("training-create").click()

    try:
        # The cards: one per trainee, with the token shown this once.
        cards = page.get_by_test_id("training-card")
        expect(cards).to_have_count(2, timeout=120_000)  # four sandboxes' worth of preparation on a loaded machine
        expect(page.get_by_test_id("training-cards-warning")).to_contain_text("Los tokens se muestran solo esta vez.")
        ana = page.locator("[data-testid=training-card][data-trainee=ana]")
        expect(ana.get_by_test_id("training-card-sandbox")).to_have_text(sandboxes[0])
        expect(ana).to_contain_text(title)
        expect(ana.get_by_test_id("training-card-url")).to_have_text(f"{base}/console/signin")
        token = ana.get_by_test_id("training-card-token").inner_text().strip()
        assert token.startswith("clr1.")
        shot(page, "cards")

        for sandbox in sandboxes:  # frozen, so the customer's replies come when the trainer moves the clock
            frozen = requests.post(
                f"{api}/admin/clock",
                json={"set": START, "frozen": True},
                headers={**ADMIN, "X-Sandbox": sandbox},
                timeout=60,
            )
            assert frozen.status_code == 200, frozen.text

        page.get_by_test_id("training-cards-continue").click()
        expect(page.get_by_test_id("training-state")).to_have_attribute("data-state", "planned")
        shot(page, "session-planned")
        page.get_by_test_id("training-start").locator("summary").click()
        page.get_by_test_id("training-start-confirm").click()
        expect(page.get_by_test_id("training-state")).to_have_attribute("data-state", "running")
        expect(page.get_by_test_id("training-notice")).to_contain_text("iniciada")
        shot(page, "session-running")

        # The trainee: only the card's token; the token says who and where.
        trainee = browser.new_context(**browser_context_args).new_page()
        trainee.goto(f"{base}/console/signin")
        trainee.get_by_test_id("signin-token").fill(token)
        trainee.get_by_test_id("signin-submit").click()
        expect(trainee).to_have_url(re.compile(r"/console/queue$"))
        expect(trainee.get_by_test_id("signed-in-as")).to_contain_text(f"sandbox {sandboxes[0]}")
        expect(trainee.get_by_test_id("nav-training")).to_have_count(0)

        def later(seconds: int) -> None:
            """The trainer moves ana's frozen clock and reads the practice (the lines now due are said)."""
            headers = {**ADMIN, "X-Sandbox": sandboxes[0]}
            moved = requests.post(f"{api}/admin/clock", json={"advance": f"PT{seconds}S"}, headers=headers, timeout=60)
            assert moved.status_code == 200, moved.text
            assert requests.get(f"{api}/admin/practice", headers=headers, timeout=60).status_code == 200

        later(10)  # the consent
        later(10)  # "SI" to an advisor: queued
        expect(trainee.get_by_test_id("queue-row")).to_have_count(1, timeout=WAIT_MS)
        trainee.get_by_test_id("queue-take").click()
        expect(trainee).to_have_url(re.compile(r"/console/chats/CNV-\d+$"))
        said = trainee.locator("[data-testid=message][data-author=customer]").get_by_test_id("message-text")
        expect(said.first).to_have_text(first_line)

        # The trainer's live view of ana's attempt: the same first message, and the welcome the take sent.
        page.get_by_test_id("training-trainee-row").filter(has_text="ana").get_by_test_id("training-live-link").click()
        expect(page).to_have_url(re.compile(r"/en-vivo/TRA-\d+$"))
        live = page.get_by_test_id("training-live-message")
        expect(live.filter(has_text=first_line).first).to_have_attribute("data-author", "customer")
        expect(page.locator("[data-testid=training-live-message][data-author=advisor]")).to_have_count(
            1, timeout=WAIT_MS
        )
        expect(page.get_by_test_id("training-live-state")).to_have_attribute("data-state", "running")
        shot(page, "live")

        # ana goes on through the API (her token; the clicks are the console's own tests'): the live view, polling,
        # shows her case closed with its code, and the systems she consulted.
        handling = Trainee(
            OverHttp(base, sandboxes[0], token), OverHttp(base, sandboxes[0], "dev-admin"), {"scenario": SCENARIO}
        )
        handling.run.conversation = trainee.url.rsplit("/", 1)[-1]
        handling.validate()
        handling.handle()
        handling.close()
        case = page.get_by_test_id("training-live-case")
        expect(case).to_have_attribute("data-status", "closed", timeout=WAIT_MS)
        expect(case.get_by_test_id("training-live-case-code")).to_contain_text(
            scenarios.read(SCENARIO)["expected"]["typificationCode"]
        )
        expect(page.get_by_test_id("training-live-timeline")).to_contain_text("Cerrado con el cliente")
        shot(page, "live-case")

        page.get_by_test_id("nav-training").click()
        expect(page.get_by_test_id("training-session-row").filter(has_text=klass)).to_have_attribute(
            "data-state", "running"
        )
        shot(page, "list")
        trainee.context.close()
    finally:
        for sandbox in sandboxes:
            requests.delete(f"{api}/admin/sandboxes/{sandbox}", headers=ADMIN, timeout=120)
