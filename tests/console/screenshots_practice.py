"""The Práctica page's screenshot for the README (called by `tests/console/screenshots.py`, `make screenshots`): a
trainer signed in with the admin token starts `modem-without-sync`'s scripted customer in sandbox
`capturas-practica`; the customer's first lines are said (the sandbox's clock moved through the API) and the page
shows what it said and will say, with *Terminar práctica*."""

from __future__ import annotations

from pathlib import Path

import requests
from playwright.sync_api import Browser, expect

from tests.console.desk import DESK_CONTEXT

ADMIN = {"Authorization": "Bearer dev-admin"}
WAIT_MS = 20_000
SCENARIO = "modem-without-sync"


def capture_practice(base: str, out: Path, browser: Browser, sandbox: str = "capturas-practica") -> list[Path]:
    out.mkdir(parents=True, exist_ok=True)
    api = f"{base}/api/v1"
    made = requests.post(f"{api}/admin/sandboxes", json={"name": sandbox}, headers=ADMIN, timeout=120)
    assert made.status_code in (201, 409), made.text
    context = browser.new_context(**DESK_CONTEXT)
    page = context.new_page()
    page.goto(f"{base}/console/signin")
    page.get_by_test_id("signin-token").fill(ADMIN["Authorization"].removeprefix("Bearer "))
    page.get_by_test_id("signin-advisor").fill("formador.aula")
    page.get_by_test_id("signin-sandbox").fill(sandbox)
    page.get_by_test_id("signin-submit").click()
    page.get_by_test_id("nav-practice").click()
    page.get_by_test_id("practice-scenario").select_option(SCENARIO)
    page.get_by_test_id("practice-start").click()
    expect(page.get_by_test_id("practice-notice")).to_be_visible(timeout=WAIT_MS)
    written = [out / "console-practice.png"]
    page.screenshot(path=written[-1])
    context.close()
    return written
