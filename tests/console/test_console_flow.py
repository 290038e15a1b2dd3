"""The console in a real browser (Debian's Chromium): an advisor signs in, sees the conversation a customer
started from the customer side, takes it (the welcome goes out), and both write; the gateway's API then shows
the welcome and every message in the conversation. Each screen passes axe with no serious or critical issue."""

from __future__ import annotations

import os
import re

import pytest
import requests
from playwright.sync_api import Page, expect

from claro_backoffice.world.identifiers import nit_with_check_digit
from tests.console.accessibility import assert_accessible
from tests.console.conftest import load_scenario
from tests.console.customer_side import queue_a_conversation

pytestmark = pytest.mark.browser
WAIT_MS = 20_000  # an upper bound for a loaded machine: each expect returns as soon as its condition holds


def sign_in(page: Page, base: str, sandbox: str) -> str:
    """The loopback shortcut: the first asesor Almabi lists, the test's sandbox. Returns the advisor's login."""
    page.goto(f"{base}/console/")
    expect(page).to_have_url(re.compile(r"/console/signin$"))
    assert_accessible(page, "sign-in")
    advisor = page.get_by_test_id("dev-signin-advisor").locator("option").first.get_attribute("value")
    assert advisor
    page.get_by_test_id("dev-signin-advisor").select_option(advisor)
    page.get_by_test_id("dev-signin-sandbox").fill(sandbox)
    page.get_by_test_id("dev-signin-submit").click()
    expect(page).to_have_url(re.compile(r"/console/queue$"))
    expect(page.get_by_test_id("signed-in-as")).to_have_attribute("data-login", advisor)
    expect(page.get_by_test_id("signed-in-role")).to_have_text("Asesor")
    return advisor


def first_name(base: str, sandbox: str, login: str) -> str:
    """The asesor's first name as Almabi has it: the welcome greets with it, never with the login."""
    agents = requests.get(
        f"{base}/api/v1/workforce/agents",
        headers={"Authorization": "Bearer dev-supervisor", "X-Sandbox": sandbox},
        timeout=60,
    ).json()
    [agent] = [a for a in agents if a["username"] == login]
    return agent["firstName"]


def customer_says(phone: Page, text: str) -> None:
    phone.get_by_test_id("customer-input").fill(text)
    phone.get_by_test_id("customer-send").click()
    expect(phone.get_by_test_id("customer-message-text").filter(has_text=text)).to_be_visible(timeout=WAIT_MS)


def test_sign_in_take_a_conversation_and_talk_both_ways(page: Page, console_server, sandbox):
    base = console_server.base
    customer = load_scenario(console_server, sandbox, "modem-without-sync")["customer"]
    wa_id = customer["phone"]["waId"]
    advisor = sign_in(page, base, sandbox)
    greeting = f"Te saluda {first_name(base, sandbox, advisor)},"
    expect(page.get_by_test_id("queue-empty")).to_be_visible()
    assert_accessible(page, "queue (empty)")

    # The customer's side, in a second tab of the same browser (a trainer playing the customer), phone-sized.
    phone = page.context.new_page()
    phone.set_viewport_size({"width": 390, "height": 844})
    phone.goto(f"{base}/console/customer/")
    assert_accessible(phone, "customer (choose a number)")
    phone.get_by_test_id("customer-number").fill(customer["phone"]["national"])
    phone.get_by_test_id("customer-open").click()
    expect(phone).to_have_url(re.compile(rf"/console/customer/{wa_id}$"))
    customer_says(phone, "Hola, buenos días")
    phone.get_by_test_id("customer-button").filter(has_text=re.compile(r"^Acepto$")).click()
    phone.get_by_test_id("customer-button").filter(has_text=re.compile(r"^Sí$")).click()
    expect(phone.get_by_test_id("customer-message-text").filter(has_text="Sí")).to_be_visible(timeout=WAIT_MS)
    assert_accessible(phone, "customer (phone)")

    # The advisor's queue shows it without a reload; taking it opens the chat with the welcome sent.
    row = page.get_by_test_id("queue-row")
    expect(row).to_have_count(1, timeout=WAIT_MS)
    expect(row).to_contain_text(customer["phone"]["national"][-4:])
    expect(page.get_by_test_id("queue-wait")).to_contain_text(re.compile(r"\d+ min \d{2} s"))
    conversation_id = row.get_attribute("data-conversation-id")
    assert_accessible(page, "queue (one waiting)")
    # The waiting time ticks every second: bringing the table up to date leaves the row's button the very node it
    # was, so a click under way on it is never lost to a re-render (a stale copy makes the next poll apply).
    row.get_by_test_id("queue-take").evaluate("button => { window.__take = button; }")
    live = page.get_by_test_id("queue-live")
    live.evaluate("queue => queue.setAttribute('data-last', 'stale')")
    expect(live).not_to_have_attribute("data-last", "stale", timeout=WAIT_MS)
    assert page.evaluate("window.__take === document.querySelector('[data-testid=queue-take]')")
    row.get_by_test_id("queue-take").click()
    expect(page).to_have_url(re.compile(rf"/console/chats/{conversation_id}$"))
    welcome = page.locator("[data-testid=message][data-author=advisor]").first
    expect(welcome).to_contain_text(greeting)
    expect(page.get_by_test_id("chat-window")).to_have_attribute("data-window-open", "true")

    # The customer's phone shows the welcome and reports it read: the advisor's tick turns to "Leído".
    expect(phone.get_by_test_id("customer-message-text").filter(has_text=greeting)).to_be_visible(timeout=WAIT_MS)
    expect(welcome.get_by_test_id("message-tick")).to_have_attribute("aria-label", "Leído", timeout=WAIT_MS)

    # The customer writes: it appears in the advisor's chat without a reload (the page's marker survives).
    page.evaluate("window.__sameDocument = true")
    customer_says(phone, "Mi módem no sincroniza desde anoche")
    inbound = page.locator("[data-testid=message][data-author=customer]").filter(has_text="Mi módem no sincroniza")
    expect(inbound).to_be_visible(timeout=WAIT_MS)
    assert page.evaluate("window.__sameDocument") is True

    # The advisor answers with the keyboard (Enter sends); the customer's phone shows it.
    page.get_by_test_id("chat-input").fill("Con gusto reviso tu módem. ¿Me confirmas tu número de documento?")
    page.get_by_test_id("chat-input").press("Enter")
    expect(page.locator("[data-testid=message][data-author=advisor]")).to_have_count(2, timeout=WAIT_MS)
    expect(phone.get_by_test_id("customer-message-text").filter(has_text="reviso tu módem")).to_be_visible(
        timeout=WAIT_MS
    )
    assert_accessible(page, "chat")

    # What the back office recorded, through the API: the welcome went out first, on taking it, and every message
    # of both sides is in the conversation.
    api = requests.get(
        f"{base}/api/v1/conversations/{conversation_id}",
        headers={"Authorization": "Bearer dev-asesor", "X-Sandbox": sandbox},
        timeout=60,
    ).json()
    assert api["status"] == "assigned" and api["advisor"] == advisor
    assert api["firstAdvisorMessageAt"] == api["assignedAt"]
    advisor_messages = [m for m in api["messages"] if m["author"] == "advisor"]
    assert len(advisor_messages) == 2
    assert greeting in advisor_messages[0]["content"] and advisor_messages[0]["sendTime"] == api["assignedAt"]
    assert advisor_messages[0]["whatsappStatus"] == "read"
    assert advisor_messages[1]["content"] == "Con gusto reviso tu módem. ¿Me confirmas tu número de documento?"
    customer_texts = [m["content"] for m in api["messages"] if m["author"] == "customer"]
    assert "Hola, buenos días" in customer_texts and "Mi módem no sincroniza desde anoche" in customer_texts


def test_signing_out_ends_the_session(page: Page, console_server, sandbox):
    sign_in(page, console_server.base, sandbox)
    page.get_by_test_id("sign-out").click()
    expect(page).to_have_url(re.compile(r"/console/signin$"))
    page.goto(f"{console_server.base}/console/queue")
    expect(page).to_have_url(re.compile(r"/console/signin$"))


def test_the_screenshot_script_writes_every_screen(browser, console_server, tmp_path):
    """`make screenshots` (tests/console/screenshots.py) keeps working: every PNG, desk- and phone-sized."""
    from tests.console.screenshots import capture

    written = capture(console_server.base, tmp_path, browser, sandbox=f"capturas-{os.getpid()}")
    assert [p.name for p in written] == [
        "console-signin.png",
        "console-queue.png",
        "console-chat.png",
        "console-customer.png",
        "console-tools.png",
        "console-templates.png",
    ]
    for path in written:
        assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
        width = int.from_bytes(path.read_bytes()[16:20], "big")
        assert width == (390 if path.name == "console-customer.png" else 1280)


def test_outside_the_24_hour_window_only_approved_templates_can_be_sent(page: Page, console_server, sandbox):
    base = console_server.base
    customer = load_scenario(console_server, sandbox, "modem-without-sync")["customer"]
    queue_a_conversation(base, sandbox, customer["phone"]["waId"])
    sign_in(page, base, sandbox)
    page.get_by_test_id("queue-take").click()
    expect(page.get_by_test_id("chat-window")).to_have_attribute("data-window-open", "true")
    expect(page.get_by_test_id("template")).to_have_count(0)

    moved = requests.post(
        f"{base}/api/v1/admin/clock",
        json={"advance": "PT25H"},
        headers={"Authorization": "Bearer dev-admin", "X-Sandbox": sandbox},
        timeout=120,
    )
    assert moved.status_code == 200, moved.text
    # A day of silence: the gateway ended the conversation and the window closed; the open page sees it by itself.
    expect(page.get_by_test_id("chat-window")).to_have_attribute("data-window-open", "false", timeout=WAIT_MS)
    expect(page.get_by_test_id("chat-input")).to_have_count(0)
    follow_up = page.locator("[data-testid=template][data-template=seguimiento_caso]")
    follow_up.locator("summary").click()
    values = follow_up.get_by_test_id("template-value")
    expect(values).to_have_count(3)
    assert_accessible(page, "chat (templates only)")
    for field, value in zip(values.all(), ("Ana", "caso del módem", "la visita técnica quedó programada"), strict=True):
        field.fill(value)
    follow_up.get_by_test_id("template-send").click()
    expect(page.locator("[data-testid=message][data-author=advisor]").last).to_contain_text("seguimiento_caso")

    conversation_id = page.url.rsplit("/", 1)[-1]
    api = requests.get(
        f"{base}/api/v1/conversations/{conversation_id}",
        headers={"Authorization": "Bearer dev-asesor", "X-Sandbox": sandbox},
        timeout=60,
    ).json()
    assert [m["template"] for m in api["messages"] if m["author"] == "advisor"] == [None, "seguimiento_caso"]


def test_identity_validation_then_the_customer_360_with_a_degraded_system_named(page: Page, console_server, sandbox):
    base = console_server.base
    customer = load_scenario(console_server, sandbox, "modem-without-sync")["customer"]
    queue_a_conversation(base, sandbox, customer["phone"]["waId"])
    sign_in(page, base, sandbox)
    page.get_by_test_id("queue-take").click()
    expect(page.get_by_test_id("customer360")).to_have_count(0)

    page.get_by_test_id("identity-type").select_option(customer["document"]["type"])
    # a number of the type's shape (world/identifiers.py) that nobody of this world holds
    unknown = {"CC": "1099999999", "CE": "9999999"}.get(customer["document"]["type"]) or nit_with_check_digit(
        "901999999"
    )
    absent = requests.get(
        f"{base}/api/v1/customers",
        params={"documentType": customer["document"]["type"], "documentNumber": unknown},
        headers={"Authorization": "Bearer dev-asesor", "X-Sandbox": sandbox},
        timeout=60,
    )
    assert absent.status_code == 404 or absent.json() == [], absent.text  # nobody of this world has it
    page.get_by_test_id("identity-number").fill(unknown)
    page.get_by_test_id("identity-submit").click()
    expect(page.get_by_test_id("identity-error")).to_contain_text("No hay un cliente con")

    # AC fails from now on: the customer is still found in RR, and the 360 says AC did not answer.
    fault = requests.post(
        f"{base}/api/v1/admin/faults",
        json={"system": "ac", "kind": "error", "status": 500},
        headers={"Authorization": "Bearer dev-admin", "X-Sandbox": sandbox},
        timeout=120,
    )
    assert fault.status_code == 201, fault.text
    page.get_by_test_id("identity-number").fill(customer["document"]["number"])
    page.get_by_test_id("identity-submit").click()
    expect(page.get_by_test_id("identity-validated")).to_contain_text(customer["document"]["number"])
    expect(page.get_by_test_id("customer360-name")).to_have_text(re.compile(re.escape(customer["name"])))
    home = page.locator(f"[data-testid=customer360-account][data-account-id='{customer['accountId']}']")
    expect(home).to_be_visible()
    expect(home).to_contain_text(re.compile(r"\$ \d{1,3}(\.\d{3})*/mes"))
    expect(page.locator("[data-testid=customer360-degraded][data-system=ac]")).to_contain_text("AC (móvil)")
    expect(page.get_by_test_id("customer360-mobile-unavailable")).to_be_visible()
    assert_accessible(page, "chat with the customer 360")


def tab_to(page: Page, test_id: str, limit: int = 40) -> None:
    """Press Tab until the element with `test_id` has the focus (it must be reachable by keyboard alone)."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement && document.activeElement.dataset.testid") == test_id:
            return
    pytest.fail(f"{test_id} was not reached with {limit} presses of Tab")


def test_the_keyboard_alone_signs_in_takes_a_conversation_and_answers(page: Page, console_server, sandbox):
    base = console_server.base
    customer = load_scenario(console_server, sandbox, "modem-without-sync")["customer"]
    queue_a_conversation(base, sandbox, customer["phone"]["waId"])
    page.goto(f"{base}/console/signin")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Saltar al contenido"
    tab_to(page, "dev-signin-sandbox")
    page.keyboard.press("Control+A")
    page.keyboard.type(sandbox)
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/console/queue$"))
    expect(page.get_by_test_id("queue-row")).to_have_count(1)
    tab_to(page, "queue-take")
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/console/chats/CNV-\d+$"))
    tab_to(page, "chat-input")
    page.keyboard.type("Hola, ya reviso tu caso.")
    page.keyboard.press("Enter")
    expect(page.locator("[data-testid=message][data-author=advisor]").last).to_contain_text("ya reviso tu caso")
    tab_to(page, "identity-type")
    page.keyboard.type({"CC": "Cédula de c", "CE": "Cédula de e", "NIT": "NIT"}[customer["document"]["type"]])
    expect(page.get_by_test_id("identity-type")).to_have_value(customer["document"]["type"])
    page.keyboard.press("Tab")
    page.keyboard.type(customer["document"]["number"])
    page.keyboard.press("Enter")
    expect(page.get_by_test_id("customer360-name")).to_be_visible()
