"""The desk's browser settings in a real browser. The top bar: one line, nothing overflowing, for an asesor, a leader
and an admin token, at 1280x800 and 1024x768 (what the lead checks the screenshots at); measured in the page: its
items sit on one row, no item's box reaches past the bar's right edge, and the person's line is not cut short.
Colombian Spanish: a date input reads day, month, year ("Día", "Mes", "Año", as Chromium's accessibility tree
names its fields, in that order) and numbers are written 45.900,5."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.console.backoffice_state import agents
from tests.console.conftest import ADMIN

pytestmark = pytest.mark.browser

MEASURE = """bar => {
  const box = bar.getBoundingClientRect();
  const items = [...bar.children].filter(e => e.offsetParent !== null).map(e => e.getBoundingClientRect());
  return {
    rows: new Set(items.map(r => Math.round(r.top + r.height / 2))).size,
    overflow: Math.max(0, Math.max(...items.map(r => r.right)) - box.right),
    widths: [...bar.children].map(e => Math.round(e.getBoundingClientRect().width)),
    page: document.documentElement.scrollWidth - document.documentElement.clientWidth,
    cut: [...bar.querySelectorAll('.who')].map(e => e.scrollWidth - e.clientWidth),
  };
}"""


def _check(page: Page, who: str) -> None:
    for width, height in ((1280, 800), (1024, 768)):
        page.set_viewport_size({"width": width, "height": height})
        found = page.get_by_test_id("topbar").evaluate(MEASURE)
        widths = found.pop("widths")  # each item's width, said when it fails
        assert found == {"rows": 1, "overflow": 0, "page": 0, "cut": [0]}, (who, width, widths, found)


def _shortcut(page: Page, base: str, sandbox: str, login: str) -> None:
    page.goto(f"{base}/console/signin")
    page.get_by_test_id("dev-signin-advisor").select_option(login)
    page.get_by_test_id("dev-signin-sandbox").fill(sandbox)
    page.get_by_test_id("dev-signin-submit").click()
    expect(page.get_by_test_id("sign-out")).to_be_visible()


def test_the_top_bar_keeps_to_one_line_for_every_role(page: Page, console_server, sandbox):
    base = console_server.base
    longest = lambda role: max(agents(base, sandbox, role), key=lambda a: len(a["fullName"]))["username"]  # noqa: E731
    _shortcut(page, base, sandbox, longest("asesor"))
    _check(page, "asesor")
    page.get_by_test_id("sign-out").click()
    _shortcut(page, base, sandbox, longest("coordinador"))
    _check(page, "coordinador")
    page.get_by_test_id("sign-out").click()
    page.get_by_test_id("signin-token").fill(ADMIN["Authorization"].removeprefix("Bearer "))
    page.get_by_test_id("signin-advisor").fill("formador.aula")
    page.get_by_test_id("signin-sandbox").fill(sandbox)
    page.get_by_test_id("signin-submit").click()
    expect(page.get_by_test_id("nav-practice")).to_be_visible()
    _check(page, "admin")


def test_dates_and_numbers_are_colombian_spanish(page: Page, console_server, sandbox):
    base = console_server.base
    _shortcut(page, base, sandbox, agents(base, sandbox, "supervisor")[0]["username"])
    page.get_by_test_id("tab-indicators").click()
    date_input = page.get_by_test_id("indicators-from")
    expect(date_input).to_be_visible()
    date_input.focus()
    tree = page.context.new_cdp_session(page).send("Accessibility.getFullAXTree")["nodes"]
    fields = [n["name"]["value"].split()[0] for n in tree if n.get("role", {}).get("value") == "spinbutton"]
    assert fields[:3] == ["Día", "Mes", "Año"]
    assert page.evaluate("[navigator.language, (45900.5).toLocaleString()]") == ["es-CO", "45.900,5"]
