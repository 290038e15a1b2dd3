"""What an advisor does at the desk, step by step, for the browser tests and the screenshots: the same clicks
and typing every test makes, written once."""

from __future__ import annotations

from pathlib import Path

from playwright.sync_api import Page, expect

# Every desk browser context, in the tests and the screenshots: 1280x800, Colombian Spanish (numbers 45.900, Intl)
# and Bogotá's clock, set here once.
DESK_CONTEXT = {"viewport": {"width": 1280, "height": 800}, "locale": "es-CO", "timezone_id": "America/Bogota"}
# Chromium's own language (a date input's dd/mm/aaaa and its "Día/Mes/Año") comes from its environment, not from the
# context's locale, and needs Debian's chromium-l10n (its locales/es-419.pak): given to every launch.
BROWSER_ENV = {"LANGUAGE": "es_CO:es", "LANG": "es_CO.UTF-8"}
SPANISH_PAK = Path("/usr/lib/chromium/locales/es-419.pak")


def scroll_to(page: Page, test_id: str) -> None:
    """Scrolls the element with `test_id` into view in one step inside the page: the desk's panels are re-rendered
    as they poll, and a locator's scroll fails if its element is replaced between finding it and scrolling."""
    page.wait_for_selector(f"[data-testid='{test_id}']")
    page.evaluate("id => document.querySelector(`[data-testid='${id}']`).scrollIntoView({block: 'nearest'})", test_id)


def validate_identity(page: Page, document_type: str, number: str) -> None:
    """The customer panel's identity form: document type and number, then Validar."""
    page.get_by_test_id("identity-type").select_option(document_type)
    page.get_by_test_id("identity-number").fill(number)
    page.get_by_test_id("identity-submit").click()


def open_case(page: Page, on: str, category: str, product: str, description: str) -> None:
    """The case panel's open form: `on` is `account:<id>` or `line:<msisdn>` as the 360 lists them."""
    page.get_by_test_id("case-on").select_option(on)
    page.get_by_test_id("case-category").select_option(category)
    page.get_by_test_id("case-product").select_option(product)
    page.get_by_test_id("case-description").fill(description)
    page.get_by_test_id("case-open-submit").click()


def book_first_visit(page: Page) -> None:
    """The tools panel's visit slots: the first one offered, booked (the newest result card says so)."""
    panel = page.get_by_test_id("tools-panel")
    panel.get_by_test_id("tool-slots").locator("summary").click()
    panel.get_by_test_id("tool-slots-run").click()
    newest = page.get_by_test_id("tool-result").first
    expect(newest).to_have_attribute("data-tool", "slots")
    newest.get_by_test_id("tool-slot").first.get_by_test_id("tool-slot-book").click()
    expect(newest).to_have_attribute("data-tool", "book")
    expect(newest).to_have_attribute("data-ok", "true")


def typify_and_follow_up(page: Page, code: str, follow_up_type: str, notes: str) -> None:
    """The case typified as not resolved on first contact, then closed in follow-up with the first callback offered
    and nothing pending."""
    page.get_by_test_id("typify-code").select_option(code)
    page.get_by_test_id("typify-resolved-no").check()
    page.get_by_test_id("typify-notes").fill(notes)
    page.get_by_test_id("typify-submit").click()
    expect(page.get_by_test_id("case-typification")).to_contain_text(code)
    page.get_by_test_id("close-outcome-followup").check()
    page.get_by_test_id("close-followup-type").select_option(follow_up_type)
    callback = page.get_by_test_id("close-callback").locator("option[value]:not([value=''])").first
    page.get_by_test_id("close-callback").select_option(callback.get_attribute("value"))
    page.get_by_test_id("close-nothing-pending").check()
    page.get_by_test_id("close-submit").click()
    expect(page.get_by_test_id("case-state")).to_have_attribute("data-status", "followUp")
