"""Two scenarios played end to end in the browser by clicks and typing only, the customer on the phone view, and the
back office checked afterwards through the API (and the mocks' own APIs for what only RR and Paradigma show):

- `modem-without-sync`: a SOPORTE/internet case, the diagnosis and the AVISO check, a visit booked (its LLS in RR),
  typified with the scenario's code, closed in VISITAS follow-up with a callback from the picker, the survey answered.
- `billing-error-adjustment`: a SAC/internet case, the bills checked, the scenario's adjustment (above the amount the
  systems approve alone) requested, approved by a supervisor signed in in a second browser context, escalated to
  DIME, typified and closed in ESCALAMIENTOS follow-up; the credit waits on the account's next Paradigma invoice."""

from __future__ import annotations

import re

import pytest
import requests
from playwright.sync_api import Browser, Page, expect

from tests.console.backoffice_state import agents
from tests.console.conftest import load_scenario
from tests.console.desk import open_case, validate_identity
from tests.console.test_console_flow import WAIT_MS, customer_says, sign_in

pytestmark = pytest.mark.browser
ADVISOR = {"Authorization": "Bearer dev-asesor"}
AUTO_APPROVED_UP_TO = 50_000  # README, "Adjustments": up to 50.000 COP the system approves at once


def _phone(page: Page, base: str, customer: dict) -> Page:
    """The customer's phone view in a second tab: writes, accepts the data policy and asks for an advisor."""
    phone = page.context.new_page()
    phone.set_viewport_size({"width": 390, "height": 844})
    phone.goto(f"{base}/console/customer/")
    phone.get_by_test_id("customer-number").fill(customer["phone"]["national"])
    phone.get_by_test_id("customer-open").click()
    customer_says(phone, "Hola, buenas")
    phone.get_by_test_id("customer-button").filter(has_text=re.compile(r"^Acepto$")).click()
    phone.get_by_test_id("customer-button").filter(has_text=re.compile(r"^Sí$")).click()
    return phone


def _take_identify_and_open(page: Page, phone: Page, customer: dict, expected: dict, problem: str) -> tuple[str, str]:
    """The advisor takes the chat, validates the document and opens the case on the scenario's account."""
    page.get_by_test_id("queue-take").click()
    expect(page).to_have_url(re.compile(r"/console/chats/CNV-\d+$"))
    conversation_id = page.url.rsplit("/", 1)[-1]
    customer_says(phone, problem)
    validate_identity(page, customer["document"]["type"], customer["document"]["number"])
    expect(page.get_by_test_id("customer360-name")).to_be_visible()
    open_case(page, f"account:{customer['accountId']}", expected["category"], expected["product"], problem)
    expect(page.get_by_test_id("case-state")).to_have_attribute("data-status", "open")
    case_id = page.get_by_test_id("case-panel").get_attribute("data-case-id")
    assert case_id and re.fullmatch(r"CAS-\d+", case_id)
    expect(page.get_by_test_id("tools-case")).to_have_attribute("data-case-id", case_id)
    return conversation_id, case_id


def _typify(page: Page, code: str, notes: str) -> None:
    page.get_by_test_id("typify-code").select_option(code)
    page.get_by_test_id("typify-resolved-no").check()
    page.get_by_test_id("typify-notes").fill(notes)
    page.get_by_test_id("typify-submit").click()
    expect(page.get_by_test_id("case-typification")).to_contain_text(code)


def _close_in_follow_up(page: Page, follow_up_type: str) -> str:
    """Closed in follow-up with the picker's second moment; returns it."""
    page.get_by_test_id("close-outcome-followup").check()
    page.get_by_test_id("close-followup-type").select_option(follow_up_type)
    offered = [
        v
        for v in page.get_by_test_id("close-callback")
        .locator("option")
        .evaluate_all("options => options.map(o => o.value)")
        if v
    ]
    assert len(offered) >= 2, offered
    page.get_by_test_id("close-callback").select_option(offered[1])
    page.get_by_test_id("close-nothing-pending").check()
    page.get_by_test_id("close-submit").click()
    expect(page.get_by_test_id("case-state")).to_have_attribute("data-status", "followUp")
    expect(page.get_by_test_id("callbacks")).to_be_visible()
    return offered[1]


def _nothing_more_and_survey(page: Page, phone: Page, score: int) -> None:
    expect(phone.get_by_test_id("customer-message-text").filter(has_text="algo más")).to_be_visible(timeout=WAIT_MS)
    customer_says(phone, "No, eso era todo")
    expect(phone.get_by_test_id("customer-message-text").filter(has_text="0 a 10")).to_be_visible(timeout=WAIT_MS)
    phone.get_by_test_id("customer-input").fill(str(score))
    phone.get_by_test_id("customer-send").click()
    expect(page.get_by_test_id("case-survey")).to_have_attribute("data-survey", "answered", timeout=WAIT_MS)
    expect(page.get_by_test_id("case-survey")).to_contain_text(f"{score} de 10")


def _get(url: str, headers: dict) -> dict:
    answer = requests.get(url, headers=headers, timeout=60)
    assert answer.status_code == 200, f"GET {url}: {answer.status_code} {answer.text}"
    return answer.json()


def test_home_support_with_a_visit_from_the_first_message_to_the_survey(page: Page, console_server, sandbox):
    base = console_server.base
    scenario = load_scenario(console_server, sandbox, "modem-without-sync")
    customer, expected = scenario["customer"], scenario["expected"]
    assert expected["visit"] and expected["lls"] and expected["followUpType"] == "VISITAS"
    account, api, mock = customer["accountId"], {**ADVISOR, "X-Sandbox": sandbox}, {"X-Sandbox": sandbox}
    advisor = sign_in(page, base, sandbox)
    problem = "El módem tiene la luz de internet parpadeando y no navego"
    phone = _phone(page, base, customer)
    conversation_id, case_id = _take_identify_and_open(page, phone, customer, expected, problem)

    # Tools: the diagnosis (offline, the guide's code for a visit), no AVISO, a visit slot booked with its LLS.
    panel, newest = page.get_by_test_id("tools-panel"), page.get_by_test_id("tool-result").first
    panel.get_by_test_id("tool-diagnostics-run").click()
    expect(newest).to_have_attribute("data-tool", "diagnostics")
    expect(newest).to_contain_text(expected["typificationCode"])
    panel.get_by_test_id("tool-avisos-run").click()
    expect(newest).to_have_attribute("data-tool", "avisos")
    expect(newest).to_contain_text(f"No hay AVISOs (fallas masivas ni individuales) para la cuenta {account}")
    panel.get_by_test_id("tool-slots").locator("summary").click()
    panel.get_by_test_id("tool-slots-run").click()
    expect(newest).to_have_attribute("data-tool", "slots")
    slot = newest.get_by_test_id("tool-slot").first
    start = slot.get_attribute("data-start")
    slot.get_by_test_id("tool-slot-book").click()
    expect(newest).to_have_attribute("data-tool", "book")
    expect(newest).to_have_attribute("data-ok", "true")
    lls = newest.get_by_test_id("tool-lls").inner_text()
    visit_id = re.search(r"Visita (APT\d{8})", newest.inner_text()).group(1)

    notes = f"Módem sin sincronía, sin AVISO. Visita {visit_id} agendada, LLS {lls}."
    _typify(page, expected["typificationCode"], notes)
    callback = _close_in_follow_up(page, expected["followUpType"])
    _nothing_more_and_survey(page, phone, 8)

    # The back office, through the API.
    case = _get(f"{base}/api/v1/cases/{case_id}", api)
    assert (case["status"], case["followUpType"], case["callbackAt"]) == ("followUp", "VISITAS", callback)
    assert (case["typification"]["code"], case["typification"]["notes"]) == (expected["typificationCode"], notes)
    assert case["survey"]["score"] == 8
    systems = {t["system"] for t in case["timeline"] if t["kind"] == "call"}
    assert {"diagnosticador", "gestion", "rr"} <= systems, systems
    steps = [t["action"] for t in case["timeline"] if t["kind"] == "step"]
    assert steps[0] == "opened" and "typified" in steps and steps[-1] == "closed with the customer", steps
    visit = _get(f"{base}/api/v1/appointment/{visit_id}", api)
    assert (visit["status"], visit["llsId"], visit["validFor"]["startDateTime"]) == ("confirmed", lls, start)
    assert any(p["id"] == advisor and p["role"] == "advisor" for p in visit["relatedParty"])
    rr = f"{base}/mocks/rr/accounts/{account}"
    [marking] = [m for m in _get(f"{rr}/markings", mock)["markings"] if m["code"] == expected["typificationCode"]]
    assert (marking["advisor"], marking["notes"], marking["resolved_first_contact"]) == (advisor, notes, False)
    lls_rows = {row["lls_id"]: row for row in _get(f"{rr}/lls", mock)["lls"]}
    assert lls_rows[lls]["appointment_id"] == visit_id
    conversation = _get(f"{base}/api/v1/conversations/{conversation_id}", api)
    assert (conversation["status"], conversation["closeReason"]) == ("closed", "nothingMore")


def test_billing_with_an_adjustment_approved_by_a_supervisor(
    page: Page, browser: Browser, console_server, sandbox, browser_context_args
):
    base = console_server.base
    scenario = load_scenario(console_server, sandbox, "billing-error-adjustment")
    customer, expected = scenario["customer"], scenario["expected"]
    amount = expected["adjustment"]
    assert amount > AUTO_APPROVED_UP_TO  # the scenario's amount needs a supervisor
    account, api, mock = customer["accountId"], {**ADVISOR, "X-Sandbox": sandbox}, {"X-Sandbox": sandbox}
    advisor = sign_in(page, base, sandbox)
    problem = "Me cobraron dos veces el internet en la factura de octubre y ya la pagué"
    phone = _phone(page, base, customer)
    _conversation_id, case_id = _take_identify_and_open(page, phone, customer, expected, problem)

    # The bills (Paradigma), then the adjustment: pending, over the amount approved at once.
    panel, newest = page.get_by_test_id("tools-panel"), page.get_by_test_id("tool-result").first
    panel.get_by_test_id("tool-bills").locator("summary").click()
    panel.get_by_test_id("tool-bills-run").click()
    expect(newest).to_have_attribute("data-tool", "bills")
    duplicated = newest.get_by_test_id("tool-bill").filter(has_text="$ 339.700")  # the paid bill, charged twice
    expect(duplicated).to_have_count(1)
    invoice = duplicated.locator("td").first.inner_text()
    assert re.fullmatch(r"FV\d{10}", invoice), invoice
    panel.get_by_test_id("tool-adjustment").locator("summary").click()
    panel.get_by_test_id("tool-adjustment-amount").fill(str(amount))
    panel.get_by_test_id("tool-adjustment-reason").fill("Cobro duplicado del Internet Fibra 900 Mbps en octubre")
    panel.get_by_test_id("tool-adjustment-invoice").fill(invoice)
    panel.get_by_test_id("tool-adjustment-run").click()
    expect(newest).to_have_attribute("data-tool", "adjustment")
    expect(newest).to_contain_text("pendiente de un supervisor")
    adjustment_id = newest.get_by_test_id("tool-adjustment-id").inner_text()

    # The team's supervisor, in a browser context of their own, approves it on the supervision screen.
    [asesor] = [a for a in agents(base, sandbox, "asesor") if a["username"] == advisor]
    [leader] = [a for a in agents(base, sandbox, "supervisor") if a["teamId"] == asesor["teamId"]]
    desk = browser.new_context(**browser_context_args)
    try:
        boss = desk.new_page()
        boss.goto(f"{base}/console/signin")
        boss.get_by_test_id("dev-signin-advisor").select_option(leader["username"])
        boss.get_by_test_id("dev-signin-sandbox").fill(sandbox)
        boss.get_by_test_id("dev-signin-submit").click()
        expect(boss).to_have_url(re.compile(r"/console/supervisor/adjustments$"))
        card = boss.locator(f"[data-testid=adjustment][data-adjustment-id={adjustment_id}]")
        expect(card.get_by_test_id("adjustment-amount")).to_have_text(f"$ {amount:,}".replace(",", "."))
        expect(card).to_contain_text(f"Factura{invoice}")
        card.get_by_test_id("adjustment-decision-reason").fill("Cobro duplicado verificado en la factura")
        card.get_by_test_id("adjustment-approve").click()
        expect(boss.get_by_test_id("adjustments-notice")).to_contain_text(f"Ajuste {adjustment_id} aprobado")
    finally:
        desk.close()

    # DIME's billing area follows it up; typified and closed in ESCALAMIENTOS follow-up.
    page.reload()
    panel.get_by_test_id("tool-escalation").locator("summary").click()
    panel.get_by_test_id("tool-escalation-area").select_option("FACT")
    panel.get_by_test_id("tool-escalation-code").fill(expected["typificationCode"])
    panel.get_by_test_id("tool-escalation-description").fill(f"Seguimiento del ajuste {adjustment_id}")
    panel.get_by_test_id("tool-escalation-run").click()
    expect(newest).to_have_attribute("data-tool", "escalate")
    expect(newest).to_have_attribute("data-ok", "true")
    _typify(page, expected["typificationCode"], f"Ajuste {adjustment_id} por {amount} COP aprobado; escalado a FACT.")
    callback = _close_in_follow_up(page, expected["followUpType"])
    _nothing_more_and_survey(page, phone, 9)

    # The back office, through the API: decided by that supervisor, the case, its timeline, Paradigma's credit.
    [made] = _get(f"{base}/api/v1/cases/{case_id}/adjustments", api)["adjustments"]
    assert (made["id"], made["amount"], made["status"], made["autoApproved"]) == (
        adjustment_id,
        amount,
        "approved",
        False,
    )
    assert made["invoiceId"] == invoice
    decided = _get(f"{base}/api/v1/adjustments/{adjustment_id}", {"Authorization": "Bearer dev-supervisor", **mock})
    assert (decided["decidedBy"], decided["decisionNotes"]) == (
        leader["username"],
        "Cobro duplicado verificado en la factura",
    )
    case = _get(f"{base}/api/v1/cases/{case_id}", api)
    assert (case["status"], case["followUpType"], case["callbackAt"]) == ("followUp", "ESCALAMIENTOS", callback)
    assert case["typification"]["code"] == expected["typificationCode"] and case["survey"]["score"] == 9
    steps = [(t["action"], t.get("outcome")) for t in case["timeline"] if t["kind"] == "step"]
    assert ("adjustmentRequested", "pending") in steps and ("adjustmentApproved", "approved") in steps, steps
    systems = [t["system"] for t in case["timeline"] if t["kind"] == "call"]
    assert {"paradigma", "rr", "dime"} <= set(systems), systems
    preview = _get(f"{base}/mocks/paradigma/accounts/{account}/next-invoice", mock)
    credits = [(ln["adjustment_id"], ln["amount"]) for ln in preview["lines"] if ln["kind"] == "credit"]
    assert credits == [(adjustment_id, -amount)], preview
