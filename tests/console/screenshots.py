"""The console's screenshots for the README: `make screenshots` (or `python -m tests.console.screenshots [DIR]`)
starts `python -m claro_backoffice.serve` in a temporary folder, plays a short conversation in sandbox `capturas`
with the `modem-without-sync` scenario's customer, and writes docs/img/console-*.png (the desk at 1280x800, the
customer's phone at 390x844, the Tools panel with a case open, and the chat a day later, when only templates may be
sent); then, in sandbox `capturas-supervision`, a case with adjustment requests and a follow-up made through the API,
and a supervisor's screens (docs/img/console-supervisor-*.png); the case panel (screenshots_case.py) and the
Práctica page (screenshots_practice.py). Debian's Chromium, as in the browser tests."""

from __future__ import annotations

import os
import re
import sys
import tempfile
from pathlib import Path

import requests
from playwright.sync_api import Browser, Page, expect, sync_playwright

from tests.console.desk import BROWSER_ENV, DESK_CONTEXT, validate_identity

ADMIN = {"Authorization": "Bearer dev-admin"}
CHROMIUM = "/usr/bin/chromium"
ARGS = ["--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync"]
WAIT_MS = 20_000


def _phone_says(phone: Page, text: str) -> None:
    phone.get_by_test_id("customer-input").fill(text)
    phone.get_by_test_id("customer-send").click()
    expect(phone.get_by_test_id("customer-message-text").filter(has_text=text)).to_be_visible(timeout=WAIT_MS)


def _tools(desk: Page, api: str, sandbox: str, customer: dict, path: Path) -> None:
    """The Tools panel with a case open (through the API: the case panel is another screen): the diagnosis, the
    visit slots and an adjustment waiting for a supervisor, as an advisor sees them beside the chat."""
    conversation_id = desk.url.split("#")[0].rsplit("/", 1)[-1]
    case = {
        "conversationId": conversation_id,
        "customerId": customer["customerId"],
        "accountId": customer["accountId"],
        "category": "SOPORTE",
        "product": "internet",
        "description": "El módem no sincroniza desde anoche",
    }
    opened = requests.post(
        f"{api}/cases", json=case, headers={"Authorization": "Bearer dev-asesor", "X-Sandbox": sandbox}, timeout=60
    )
    assert opened.status_code == 201, opened.text
    desk.reload()
    panel = desk.get_by_test_id("tools-panel")
    panel.get_by_test_id("tool-diagnostics-run").click()
    expect(desk.get_by_test_id("tool-result").first).to_have_attribute("data-tool", "diagnostics")
    panel.get_by_test_id("tool-adjustment").locator("summary").click()
    panel.get_by_test_id("tool-adjustment-amount").fill("80000")
    panel.get_by_test_id("tool-adjustment-reason").fill("Compensación por los días sin servicio")
    panel.get_by_test_id("tool-adjustment-run").click()
    expect(desk.get_by_test_id("tool-result").first).to_have_attribute("data-tool", "adjustment")
    panel.get_by_test_id("tool-slots").locator("summary").click()
    panel.get_by_test_id("tool-slots-run").click()
    expect(desk.get_by_test_id("tool-result").first).to_have_attribute("data-tool", "slots")
    desk.get_by_test_id("tools-panel").evaluate("element => element.scrollIntoView()")
    desk.screenshot(path=path, full_page=True)  # the whole page: the top bar is not half scrolled away


def scenario_in(api: str, sandbox: str, name: str) -> dict:
    """The sandbox (created if new) reset and loaded with the scenario; what loading answered."""
    made = requests.post(f"{api}/admin/sandboxes", json={"name": sandbox}, headers=ADMIN, timeout=120)
    assert made.status_code in (201, 409), made.text
    loaded = requests.post(
        f"{api}/admin/scenarios/{name}", json={"reset": True}, headers={**ADMIN, "X-Sandbox": sandbox}, timeout=120
    )
    assert loaded.status_code == 200, loaded.text
    return loaded.json()


def capture(base: str, out: Path, browser: Browser, sandbox: str = "capturas") -> list[Path]:
    """The screens, into `out`; the sandbox is created (or reset) first."""
    out.mkdir(parents=True, exist_ok=True)
    api = f"{base}/api/v1"
    customer = scenario_in(api, sandbox, "modem-without-sync")["customer"]
    context = browser.new_context(**DESK_CONTEXT)
    desk = context.new_page()
    desk.goto(f"{base}/console/signin")
    written = [out / "console-signin.png"]
    desk.screenshot(path=written[-1])
    desk.get_by_test_id("dev-signin-sandbox").fill(sandbox)
    desk.get_by_test_id("dev-signin-submit").click()

    phone = context.new_page()
    phone.set_viewport_size({"width": 390, "height": 844})
    phone.goto(f"{base}/console/customer/{customer['phone']['waId']}")
    _phone_says(phone, "Hola, buenas tardes")
    phone.get_by_test_id("customer-button").filter(has_text=re.compile(r"^Acepto$")).click()
    phone.get_by_test_id("customer-button").filter(has_text=re.compile(r"^Sí$")).click()
    expect(desk.get_by_test_id("queue-row")).to_have_count(1, timeout=WAIT_MS)
    written.append(out / "console-queue.png")
    desk.screenshot(path=written[-1])

    desk.get_by_test_id("queue-take").click()
    _phone_says(phone, "Mi internet no funciona desde anoche, el módem tiene una luz roja")
    inbound = desk.locator("[data-testid=message][data-author=customer]").filter(has_text="luz roja")
    expect(inbound).to_be_visible(timeout=WAIT_MS)
    desk.get_by_test_id("chat-input").fill(
        "Lamento el inconveniente. Para revisar tu servicio, ¿me confirmas tu número de documento?"
    )
    desk.get_by_test_id("chat-input").press("Enter")
    expect(
        phone.get_by_test_id("customer-message-text").filter(has_text="confirmas tu número de documento")
    ).to_be_visible(timeout=WAIT_MS)
    _phone_says(phone, f"Claro, es {customer['document']['number']}")
    validate_identity(desk, customer["document"]["type"], customer["document"]["number"])
    expect(desk.get_by_test_id("customer360")).to_be_visible(timeout=WAIT_MS)
    ticks = desk.locator("[data-testid=message][data-author=advisor] [data-testid=message-tick]")
    expect(ticks.last).to_have_attribute("aria-label", "Leído", timeout=WAIT_MS)
    written.append(out / "console-chat.png")
    desk.screenshot(path=written[-1])
    written.append(out / "console-customer.png")
    phone.screenshot(path=written[-1])
    written.append(out / "console-tools.png")
    _tools(desk, api, sandbox, customer, written[-1])

    # A day later the 24-hour window has closed: only the approved templates are offered.
    moved = requests.post(
        f"{api}/admin/clock", json={"advance": "PT25H"}, headers={**ADMIN, "X-Sandbox": sandbox}, timeout=120
    )
    assert moved.status_code == 200, moved.text
    desk.reload()
    follow_up = desk.locator("[data-testid=template][data-template=seguimiento_caso]")
    follow_up.locator("summary").click()
    follow_up.get_by_test_id("template-send").scroll_into_view_if_needed()
    written.append(out / "console-templates.png")
    desk.screenshot(path=written[-1])
    context.close()
    return written


def capture_supervision(base: str, out: Path, browser: Browser, sandbox: str = "capturas-supervision") -> list[Path]:
    """The supervision screens of a supervisor whose team's asesor has a case with two adjustments to decide."""
    import datetime as dt
    from types import SimpleNamespace

    from tests.console import backoffice_state as state

    api = f"{base}/api/v1"
    requests.delete(f"{api}/admin/sandboxes/{sandbox}", headers=ADMIN, timeout=120)
    made = requests.post(f"{api}/admin/sandboxes", json={"name": sandbox}, headers=ADMIN, timeout=120)
    assert made.status_code == 201, made.text
    server = SimpleNamespace(base=base)
    case = state.open_home_case(server, sandbox)
    state.request_adjustment(server, sandbox, case["id"], 145_000, "Cobro de HBO Max que el cliente no contrató")
    state.request_adjustment(server, sandbox, case["id"], 62_300, "Reconexión cobrada sin suspensión previa")
    state.request_adjustment(server, sandbox, case["id"], 18_000, "Un día sin servicio de internet")
    now = dt.datetime.fromisoformat(state.sandbox_now(server, sandbox))
    state.follow_up(server, sandbox, case["id"], (now + dt.timedelta(hours=2)).isoformat())
    [asesor] = [a for a in state.agents(base, sandbox, "asesor") if a["username"] == case["advisorLogin"]]
    [leader] = [a for a in state.agents(base, sandbox, "supervisor") if a["teamId"] == asesor["teamId"]]
    state.hold_practices(server, sandbox, leader["username"], "supervisor")

    context = browser.new_context(**DESK_CONTEXT)
    desk = context.new_page()
    desk.goto(f"{base}/console/signin")
    desk.get_by_test_id("dev-signin-advisor").select_option(leader["username"])
    desk.get_by_test_id("dev-signin-sandbox").fill(sandbox)
    desk.get_by_test_id("dev-signin-submit").click()
    expect(desk.get_by_test_id("adjustment").first).to_be_visible(timeout=WAIT_MS)
    written = [out / "console-supervisor-adjustments.png"]
    desk.screenshot(path=written[-1])
    desk.get_by_test_id("tab-followups").click()
    written.append(out / "console-supervisor-followups.png")
    desk.screenshot(path=written[-1])
    desk.get_by_test_id("tab-indicators").click()
    desk.get_by_test_id("indicators-from").fill((now.date() - dt.timedelta(days=6)).isoformat())
    desk.get_by_test_id("indicators-to").fill(now.date().isoformat())
    desk.get_by_test_id("indicators-submit").click()
    expect(desk.get_by_test_id("indicator")).to_have_count(5, timeout=WAIT_MS)
    written.append(out / "console-supervisor-indicators.png")
    desk.screenshot(path=written[-1], full_page=True)
    desk.get_by_test_id("tab-practices").click()
    written.append(out / "console-supervisor-practices.png")
    desk.screenshot(path=written[-1])
    context.close()
    return written


def main() -> None:
    from tests.console.screenshots_case import capture_case
    from tests.console.screenshots_practice import capture_practice
    from tests.console.screenshots_training import capture_training
    from tests.console.screenshots_training_desk import capture_training_desk
    from tests.support.server import running_server

    out = Path(sys.argv[1] if len(sys.argv) > 1 else "docs/img")
    with tempfile.TemporaryDirectory() as folder, running_server(Path(folder)) as server:
        with sync_playwright() as playwright:
            args = ARGS + (["--no-sandbox"] if os.geteuid() == 0 else [])
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=args, env={**os.environ, **BROWSER_ENV})
            for path in capture(server.base, out, browser) + capture_supervision(server.base, out, browser):
                print(f"wrote {path}")
            for path in capture_case(server.base, out, browser) + capture_practice(server.base, out, browser):
                print(f"wrote {path}")
            for path in capture_training_desk(server.base, out, browser) + capture_training(server.base, out, browser):
                print(f"wrote {path}")
            browser.close()


if __name__ == "__main__":
    main()
