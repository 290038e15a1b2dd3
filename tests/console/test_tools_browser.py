"""The Tools panel in a real browser, by clicks only: with a case open (through the API, as the case panel would),
the advisor runs the home diagnosis and the AVISO check, searches visit slots and books one, and requests an
adjustment above the auto-approval amount; the API then shows each call in the case's timeline, the visit with its
LLS, and the adjustment waiting for a supervisor. The panel passes axe with no serious or critical issue."""

from __future__ import annotations

import re

import pytest
import requests
from playwright.sync_api import Page, expect

from tests.console.accessibility import assert_accessible
from tests.console.conftest import load_scenario
from tests.console.customer_side import queue_a_conversation
from tests.console.desk import validate_identity
from tests.console.test_console_flow import sign_in, tab_to

pytestmark = pytest.mark.browser
WAIT_MS = 20_000
ASESOR = {"Authorization": "Bearer dev-asesor"}


def test_home_tools_by_clicks_land_in_the_case(page: Page, console_server, sandbox):
    base = console_server.base
    customer = load_scenario(console_server, sandbox, "modem-without-sync")["customer"]
    account = customer["accountId"]
    queue_a_conversation(base, sandbox, customer["phone"]["waId"])
    advisor = sign_in(page, base, sandbox)
    page.get_by_test_id("queue-take").click()
    validate_identity(page, customer["document"]["type"], customer["document"]["number"])
    expect(page.get_by_test_id("customer360")).to_be_visible(timeout=WAIT_MS)
    expect(page.get_by_test_id("tools-no-case")).to_be_visible()
    conversation_id = page.url.split("#")[0].rsplit("/", 1)[-1]

    api = {**ASESOR, "X-Sandbox": sandbox}
    opened = requests.post(
        f"{base}/api/v1/cases",
        json={
            "conversationId": conversation_id,
            "customerId": customer["customerId"],
            "accountId": account,
            "category": "SOPORTE",
            "product": "internet",
            "description": "El módem no sincroniza desde anoche",
        },
        headers=api,
        timeout=60,
    )
    assert opened.status_code == 201, opened.text
    case_id = opened.json()["id"]
    page.reload()
    expect(page.get_by_test_id("tools-case")).to_have_attribute("data-case-id", case_id)

    panel = page.get_by_test_id("tools-panel")
    panel.get_by_test_id("tool-diagnostics-run").click()
    newest = page.get_by_test_id("tool-result").first
    expect(newest).to_have_attribute("data-tool", "diagnostics")
    expect(newest).to_contain_text("sin sincronía")
    expect(newest).to_contain_text("SOP-INT-01")
    panel.get_by_test_id("tool-avisos-run").click()
    expect(newest).to_have_attribute("data-tool", "avisos")
    expect(newest).to_contain_text(f"No hay AVISOs (fallas masivas ni individuales) para la cuenta {account}")

    panel.get_by_test_id("tool-slots").locator("summary").click()
    panel.get_by_test_id("tool-slots-run").click()
    expect(newest).to_have_attribute("data-tool", "slots")
    first_slot = newest.get_by_test_id("tool-slot").first
    start = first_slot.get_attribute("data-start")
    assert start
    assert_accessible(page, "chat with the tools' answers")
    first_slot.get_by_test_id("tool-slot-book").click()
    expect(newest).to_have_attribute("data-tool", "book")
    expect(newest).to_have_attribute("data-ok", "true")
    lls = newest.get_by_test_id("tool-lls").inner_text()
    visit_id = re.search(r"Visita (APT\d{8})", newest.inner_text()).group(1)

    panel.get_by_test_id("tool-adjustment").locator("summary").click()
    panel.get_by_test_id("tool-adjustment-amount").fill("80000")
    panel.get_by_test_id("tool-adjustment-reason").fill("Compensación por los días sin servicio de internet")
    panel.get_by_test_id("tool-adjustment-run").click()
    expect(newest).to_have_attribute("data-tool", "adjustment")
    expect(newest).to_contain_text("$ 80.000")
    expect(newest).to_contain_text("pendiente de un supervisor")
    assert_accessible(page, "chat with the tools panel")

    # The keyboard alone reaches a tool and runs it.
    page.reload()
    tab_to(page, "tool-avisos-run", limit=60)
    page.keyboard.press("Enter")
    expect(newest).to_have_attribute("data-tool", "avisos")

    # The back office, through the API: the visit and its LLS, the adjustment, and every call in the timeline.
    visit = requests.get(f"{base}/api/v1/appointment/{visit_id}", headers=api, timeout=60).json()
    assert visit["status"] == "confirmed" and visit["llsId"] == lls
    assert visit["validFor"]["startDateTime"] == start
    assert {"id": account, "role": "account"}.items() <= next(
        e for e in visit["relatedEntity"] if e["role"] == "account"
    ).items()
    assert any(p["id"] == advisor and p["role"] == "advisor" for p in visit["relatedParty"])
    [adjustment] = requests.get(f"{base}/api/v1/cases/{case_id}/adjustments", headers=api, timeout=60).json()[
        "adjustments"
    ]
    assert (adjustment["amount"], adjustment["status"], adjustment["autoApproved"]) == (80000, "pending", False)
    timeline = requests.get(f"{base}/api/v1/cases/{case_id}", headers=api, timeout=60).json()["timeline"]
    systems = [e["system"] for e in timeline if e["kind"] == "call"]
    assert systems.count("diagnosticador") == 4  # the diagnosis (modem and incidents) and the AVISO check twice
    assert "gestion" in systems and "rr" in systems  # the slots, the booking (and its LLS), the adjustment


def test_mobile_tools_by_clicks_show_the_balance_and_pass_axe(page: Page, console_server, sandbox):
    base = console_server.base
    customer = load_scenario(console_server, sandbox, "prepaid-recharge-not-applied")["customer"]
    queue_a_conversation(base, sandbox, customer["phone"]["waId"])
    sign_in(page, base, sandbox)
    page.get_by_test_id("queue-take").click()
    expect(page.get_by_test_id("tools-need-customer")).to_be_visible()
    validate_identity(page, customer["document"]["type"], customer["document"]["number"])
    panel = page.get_by_test_id("tools-panel")
    expect(panel.get_by_test_id("tool-line").first).to_have_value(customer["msisdn"])
    panel.get_by_test_id("tool-line-checks").locator("summary").click()
    panel.get_by_test_id("tool-provisioning-run").click()
    newest = page.get_by_test_id("tool-result").first
    expect(newest).to_have_attribute("data-tool", "provisioning")
    expect(newest).to_contain_text(re.compile(r"Saldo \$ \d{1,3}(\.\d{3})*"))
    panel.get_by_test_id("tool-mobile-services").locator("summary").click()
    panel.get_by_test_id("tool-coverage").locator("summary").click()
    assert_accessible(page, "chat with the mobile tools")
