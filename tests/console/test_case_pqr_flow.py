"""A PQR with its CUN, played in the browser by clicks and typing only (`unrecognised-charge`): the customer writes
from the phone view, the advisor takes the chat, validates the document, opens the case on the account from the
360, reads the advisor's guide, typifies from the catalogue with notes over RR's 250 characters, files the PQR (the
CUN and its due date on screen), closes in PQR follow-up with a callback the picker offers within contact hours;
the customer says "no" to "¿Hay algo más?" and answers the survey. The back office is then checked through the API:
RR's markings carry the CUN, the long note went to ESTRATEGICOS, the PQR names the case, and the case's state,
callback, survey and timeline are what the advisor did."""

from __future__ import annotations

import datetime as dt
import os
import re

import pytest
import requests
from playwright.sync_api import Page, expect

from claro_backoffice.core.timezone import BOGOTA
from tests.console.accessibility import assert_accessible
from tests.console.conftest import load_scenario
from tests.console.customer_side import queue_a_conversation
from tests.console.desk import open_case, validate_identity
from tests.console.test_console_flow import WAIT_MS, customer_says, sign_in, tab_to

pytestmark = pytest.mark.browser
ADVISOR = {"Authorization": "Bearer dev-asesor"}
# 270 characters: more than the 250 RR's marking keeps, so the note goes whole to the ESTRATEGICOS folder.
NOTES = (
    "Cliente no reconoce el cargo de Claro Música Premium en su última factura; indica que nunca lo contrató ni lo "
    "activó. Se radica PQR por cobro no reconocido y se informa el plazo de respuesta de quince días hábiles. "
    "Queda en seguimiento de PQR con devolución de llamada."
)


def test_a_pqr_with_its_cun_from_the_first_message_to_the_survey(page: Page, console_server, sandbox):
    assert len(NOTES) > 250
    base = console_server.base
    scenario = load_scenario(console_server, sandbox, "unrecognised-charge")
    customer, expected = scenario["customer"], scenario["expected"]
    api = {**ADVISOR, "X-Sandbox": sandbox}
    sign_in(page, base, sandbox)

    phone = page.context.new_page()
    phone.set_viewport_size({"width": 390, "height": 844})
    phone.goto(f"{base}/console/customer/")
    phone.get_by_test_id("customer-number").fill(customer["phone"]["national"])
    phone.get_by_test_id("customer-open").click()
    customer_says(phone, "Hola, buenas")
    phone.get_by_test_id("customer-button").filter(has_text=re.compile(r"^Acepto$")).click()
    phone.get_by_test_id("customer-button").filter(has_text=re.compile(r"^Sí$")).click()

    page.get_by_test_id("queue-take").click()
    expect(page).to_have_url(re.compile(r"/console/chats/CNV-\d+$"))
    conversation_id = page.url.rsplit("/", 1)[-1]
    customer_says(phone, "En la factura me llegó un cobro de Claro Música que nunca pedí")
    expect(page.get_by_test_id("case-open-form")).to_have_count(0)  # no case before the document is validated
    validate_identity(page, customer["document"]["type"], customer["document"]["number"])
    expect(page.get_by_test_id("customer360-name")).to_be_visible()

    # Open the case on the account the 360 lists.
    open_case(
        page,
        f"account:{customer['accountId']}",
        expected["category"],
        expected["product"],
        "Cobro de Claro Música Premium no reconocido en la factura",
    )
    state = page.get_by_test_id("case-state")
    expect(state).to_have_attribute("data-status", "open")
    case_id = page.get_by_test_id("case-panel").get_attribute("data-case-id")
    assert case_id and re.fullmatch(r"CAS-\d+", case_id)
    expect(page.get_by_test_id("chat-page")).to_have_attribute("data-case-id", case_id)

    # The advisor's guide for this product and category, each step with its source.
    guide = page.locator(f"[data-testid=guide][data-symptom='{expected['symptom']}']")
    guide.locator("summary").click()
    expect(guide.get_by_test_id("guide-step").first).to_be_visible()
    expect(guide.get_by_test_id("guide-source").first).to_contain_text("Fuente:")
    assert_accessible(page, "case opened, with the guide")

    # Typify from the catalogue; the counter tells what RR does with notes over 250 characters.
    codes = page.get_by_test_id("typify-code").locator("option").all_inner_texts()
    assert any(c.startswith(expected["typificationCode"]) for c in codes), codes
    assert all(c.startswith(("PQR-", "—")) for c in codes), codes  # filtered by the case's category
    page.get_by_test_id("typify-code").select_option(expected["typificationCode"])
    page.get_by_test_id("typify-resolved-no").check()
    page.get_by_test_id("typify-notes").fill(NOTES)
    expect(page.get_by_test_id("typify-counter")).to_contain_text(f"{len(NOTES)} / 250")
    expect(page.get_by_test_id("typify-counter")).to_contain_text("ESTRATEGICOS")
    page.get_by_test_id("typify-submit").click()
    expect(page.get_by_test_id("case-typification")).to_contain_text(expected["typificationCode"])
    expect(page.get_by_test_id("case-typification")).to_contain_text("ESTRATEGICOS")

    # File the PQR: the CUN and the due date appear.
    page.get_by_test_id("pqr-description").fill("El cliente no reconoce el cobro de Claro Música Premium.")
    page.get_by_test_id("pqr-submit").click()
    cun = page.get_by_test_id("case-pqr-cun").inner_text()
    assert cun.isdigit(), cun
    expect(page.get_by_test_id("case-pqr-due")).to_have_text(re.compile(r"^\w{3} \d{1,2} \w{3} \d{4}, 23:59$"))

    # Close in PQR follow-up; the picker offers contact hours only.
    page.get_by_test_id("close-outcome-followup").check()
    page.get_by_test_id("close-followup-type").select_option(expected["followUpType"])
    offered = [
        v
        for v in page.get_by_test_id("close-callback")
        .locator("option")
        .evaluate_all("options => options.map(o => o.value)")
        if v
    ]
    assert offered, "no callback moment offered"
    for value in offered:
        moment = dt.datetime.fromisoformat(value).astimezone(BOGOTA)
        hours = {5: (8, 15)}.get(moment.weekday(), (7, 19))
        assert moment.weekday() != 6 and hours[0] <= moment.hour < hours[1], value
    callback = offered[1]
    page.get_by_test_id("close-callback").select_option(callback)
    page.get_by_test_id("close-nothing-pending").check()
    assert_accessible(page, "case typified, PQR filed, closing")
    page.get_by_test_id("close-submit").click()
    expect(state).to_have_attribute("data-status", "followUp")
    expect(page.locator("[data-testid=message][data-author=advisor]").last).to_contain_text(cun)
    expect(page.get_by_test_id("callbacks")).to_be_visible()

    # The customer says "no": the closing script and the survey; the score reaches the case panel by itself.
    expect(phone.get_by_test_id("customer-message-text").filter(has_text="algo más")).to_be_visible(timeout=WAIT_MS)
    customer_says(phone, "No, eso era todo")
    expect(phone.get_by_test_id("customer-message-text").filter(has_text="0 a 10")).to_be_visible(timeout=WAIT_MS)
    phone.get_by_test_id("customer-input").fill("9")
    phone.get_by_test_id("customer-send").click()
    expect(phone.get_by_test_id("customer-message-text").filter(has_text=re.compile(r"^9$"))).to_be_visible()
    expect(page.get_by_test_id("case-survey")).to_have_attribute("data-survey", "answered", timeout=WAIT_MS)
    expect(page.get_by_test_id("case-survey")).to_contain_text("9 de 10")

    # The back office, through the API.
    case = requests.get(f"{base}/api/v1/cases/{case_id}", headers=api, timeout=60).json()
    assert (case["status"], case["followUpType"], case["callbackAt"]) == ("followUp", "PQR", callback)
    assert case["typification"]["code"] == expected["typificationCode"]
    assert case["typification"]["resolvedFirstContact"] is False and case["typification"]["notes"] == NOTES
    assert case["survey"]["score"] == 9
    steps = [(t["action"], t.get("outcome")) for t in case["timeline"] if t["kind"] == "step"]
    assert steps == [
        ("opened", "open"),
        ("typified", expected["typificationCode"]),
        ("pqr filed", cun),
        ("cun marked", cun),
        ("closed with the customer", "followUp"),
    ], steps
    [pqr] = requests.get(
        f"{base}/api/v1/pqrs", params={"customerId": customer["customerId"]}, headers=api, timeout=60
    ).json()
    assert pqr["cun"] == cun and [e["id"] for e in pqr["relatedEntity"]] == [case_id]
    rr = f"{base}/mocks/rr/accounts/{customer['accountId']}"
    markings = requests.get(f"{rr}/markings", headers={"X-Sandbox": sandbox}, timeout=60).json()["markings"]
    ours = [m for m in markings if m["code"] == expected["typificationCode"]]
    assert [m.get("cun") for m in ours] == [cun, None], ours  # newest first: the CUN's follow-up, the typification
    folders = requests.get(f"{rr}/folders", headers={"X-Sandbox": sandbox}, timeout=60).json()
    assert "ESTRATEGICOS" in str(folders)
    conversation = requests.get(f"{base}/api/v1/conversations/{conversation_id}", headers=api, timeout=60).json()
    assert (conversation["status"], conversation["closeReason"]) == ("closed", "nothingMore")

    # The timeline on screen, in Spanish and Bogotá time.
    entries = page.get_by_test_id("case-timeline-entry")
    expect(entries.filter(has_text="PQR radicada")).to_contain_text(cun)
    expect(entries.first).to_contain_text(re.compile(r"^\d{2}:\d{2} Caso abierto"))
    assert_accessible(page, "case in follow-up, survey answered")


def test_the_case_screenshots_are_written(browser, console_server, tmp_path):
    """`make screenshots` also writes the case panel's screens (tests/console/screenshots_case.py), desk-sized."""
    from tests.console.screenshots_case import capture_case

    written = capture_case(console_server.base, tmp_path, browser, sandbox=f"capturas-caso-{os.getpid()}")
    assert [p.name for p in written] == [
        "console-case-typify.png",
        "console-case-close.png",
        "console-case-followup.png",
    ]
    for path in written:
        assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and int.from_bytes(path.read_bytes()[16:20], "big") == 1280


def test_the_case_is_opened_and_typified_with_the_keyboard_alone(page: Page, console_server, sandbox):
    base = console_server.base
    scenario = load_scenario(console_server, sandbox, "unrecognised-charge")
    customer, expected = scenario["customer"], scenario["expected"]
    queue_a_conversation(base, sandbox, customer["phone"]["waId"])
    sign_in(page, base, sandbox)
    page.get_by_test_id("queue-take").click()
    validate_identity(page, customer["document"]["type"], customer["document"]["number"])
    expect(page.get_by_test_id("case-open-form")).to_be_visible()

    tab_to(page, "case-on", limit=80)  # one account: already chosen
    page.keyboard.press("Tab")
    page.keyboard.type("PQR")
    expect(page.get_by_test_id("case-category")).to_have_value(expected["category"])
    page.keyboard.press("Tab")
    page.keyboard.type("Aplicaciones")
    expect(page.get_by_test_id("case-product")).to_have_value(expected["product"])
    page.keyboard.press("Tab")
    page.keyboard.type("Cobro no reconocido de Claro Música")
    tab_to(page, "case-open-submit")
    page.keyboard.press("Enter")
    expect(page.get_by_test_id("case-state")).to_have_attribute("data-status", "open")

    tab_to(page, "typify-code", limit=80)
    page.keyboard.type(expected["typificationCode"])
    expect(page.get_by_test_id("typify-code")).to_have_value(expected["typificationCode"])
    page.keyboard.press("Tab")
    page.keyboard.press("Space")  # the first answer, "Sí" ...
    page.keyboard.press("ArrowRight")  # ... and the arrow moves the choice to "No"
    expect(page.get_by_test_id("typify-resolved-no")).to_be_checked()
    page.keyboard.press("Tab")
    page.keyboard.type("Cliente no reconoce el cargo.")
    expect(page.get_by_test_id("typify-counter")).to_contain_text("29 / 250")
    tab_to(page, "typify-submit")
    page.keyboard.press("Enter")
    expect(page.get_by_test_id("case-typification")).to_contain_text(expected["typificationCode"])
