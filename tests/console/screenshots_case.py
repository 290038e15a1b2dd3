"""The case panel's screenshots for the README (called by `tests/console/screenshots.py`, `make screenshots`): the
`unrecognised-charge` customer in sandbox `capturas-caso`, the advisor typifying with the guide open, the PQR
filed and the close in follow-up with the contact-hours picker, and the case afterwards (timeline, survey)."""

from __future__ import annotations

import re
from pathlib import Path

from playwright.sync_api import Browser, Page, expect

from tests.console.desk import DESK_CONTEXT, open_case, scroll_to, validate_identity
from tests.console.screenshots import scenario_in

ADMIN = {"Authorization": "Bearer dev-admin"}
WAIT_MS = 20_000
NOTES = (
    "Cliente no reconoce el cargo de Claro Música Premium en su última factura; indica que nunca lo contrató ni lo "
    "activó. Se radica PQR por cobro no reconocido y se informa el plazo de respuesta de quince días hábiles. "
    "Queda en seguimiento de PQR con devolución de llamada."
)


def _says(phone: Page, text: str) -> None:
    phone.get_by_test_id("customer-input").fill(text)
    phone.get_by_test_id("customer-send").click()
    expect(
        phone.get_by_test_id("customer-message-text").filter(has_text=re.compile(f"^{re.escape(text)}$"))
    ).to_be_visible(timeout=WAIT_MS)


def capture_case(base: str, out: Path, browser: Browser, sandbox: str = "capturas-caso") -> list[Path]:
    out.mkdir(parents=True, exist_ok=True)
    api = f"{base}/api/v1"
    loaded = scenario_in(api, sandbox, "unrecognised-charge")
    customer, expected = loaded["customer"], loaded["expected"]
    context = browser.new_context(**DESK_CONTEXT)
    desk = context.new_page()
    desk.goto(f"{base}/console/signin")
    desk.get_by_test_id("dev-signin-sandbox").fill(sandbox)
    desk.get_by_test_id("dev-signin-submit").click()
    phone = context.new_page()
    phone.set_viewport_size({"width": 390, "height": 844})
    phone.goto(f"{base}/console/customer/{customer['phone']['waId']}")
    _says(phone, "Hola, buenas")
    phone.get_by_test_id("customer-button").filter(has_text=re.compile(r"^Acepto$")).click()
    phone.get_by_test_id("customer-button").filter(has_text=re.compile(r"^Sí$")).click()
    expect(desk.get_by_test_id("queue-row")).to_have_count(1, timeout=WAIT_MS)
    desk.get_by_test_id("queue-take").click()
    _says(phone, "En la factura me llegó un cobro de Claro Música que nunca pedí")
    desk.get_by_test_id("chat-input").fill("Lamento el inconveniente. ¿Me confirmas tu número de documento?")
    desk.get_by_test_id("chat-input").press("Enter")
    _says(phone, f"Claro, es el {customer['document']['number']}")
    validate_identity(desk, customer["document"]["type"], customer["document"]["number"])
    open_case(
        desk,
        f"account:{customer['accountId']}",
        expected["category"],
        expected["product"],
        "Cobro de Claro Música Premium no reconocido en la factura",
    )
    desk.locator(f"[data-testid=guide][data-symptom='{expected['symptom']}'] summary").click()
    desk.get_by_test_id("typify-code").select_option(expected["typificationCode"])
    desk.get_by_test_id("typify-resolved-no").check()
    desk.get_by_test_id("typify-notes").fill(NOTES)
    scroll_to(desk, "typify-counter")
    written = [out / "console-case-typify.png"]
    desk.screenshot(path=written[-1], full_page=True)  # the top bar whole, not half scrolled away

    desk.get_by_test_id("typify-submit").click()
    desk.get_by_test_id("pqr-description").fill("El cliente no reconoce el cobro de Claro Música Premium.")
    desk.get_by_test_id("pqr-submit").click()
    expect(desk.get_by_test_id("case-pqr-cun")).to_be_visible()
    desk.get_by_test_id("close-outcome-followup").check()
    desk.get_by_test_id("close-followup-type").select_option(expected["followUpType"])
    desk.get_by_test_id("close-callback").select_option(index=2)
    desk.get_by_test_id("close-nothing-pending").check()
    scroll_to(desk, "case-pqr")
    written.append(out / "console-case-close.png")
    desk.screenshot(path=written[-1], full_page=True)  # the top bar whole, not half scrolled away

    desk.get_by_test_id("close-submit").click()
    expect(phone.get_by_test_id("customer-message-text").filter(has_text="algo más")).to_be_visible(timeout=WAIT_MS)
    _says(phone, "No, eso era todo")
    expect(phone.get_by_test_id("customer-message-text").filter(has_text="0 a 10")).to_be_visible(timeout=WAIT_MS)
    _says(phone, "9")
    expect(desk.get_by_test_id("case-survey")).to_have_attribute("data-survey", "answered", timeout=WAIT_MS)
    scroll_to(desk, "case-panel")
    written.append(out / "console-case-followup.png")
    desk.screenshot(path=written[-1], full_page=True)  # the top bar whole, not half scrolled away
    context.close()
    return written
