"""Formación's screenshots for the README (called by `tests/console/screenshots.py`, `make screenshots`): a class
`capturas` of two trainees on two scenarios, planned through the API and started, in the sessions list; then the
form that plans a session, as the development trainer sees them."""

from __future__ import annotations

from pathlib import Path

import requests
from playwright.sync_api import Browser, expect

TRAINER = {"Authorization": "Bearer dev-formador"}
WAIT_MS = 20_000


def capture_training_desk(base: str, out: Path, browser: Browser, klass: str = "capturas") -> list[Path]:
    out.mkdir(parents=True, exist_ok=True)
    api = f"{base}/api/v1/training"
    body = {"class": klass, "trainees": ["ana", "beto"], "scenarios": ["modem-without-sync", "unrecognised-charge"]}
    planned = requests.post(f"{api}/sessions", json=body | {"timeLimitMinutes": 30}, headers=TRAINER, timeout=300)
    assert planned.status_code == 201, planned.text
    started = requests.post(f"{api}/sessions/{planned.json()['id']}/start", headers=TRAINER, timeout=120)
    assert started.status_code == 200, started.text

    context = browser.new_context(viewport={"width": 1280, "height": 800}, locale="es-CO")
    desk = context.new_page()
    desk.goto(f"{base}/console/signin")
    desk.get_by_test_id("dev-signin-advisor").select_option("formador")
    desk.get_by_test_id("dev-signin-submit").click()
    expect(desk.get_by_test_id("training-session-row")).to_have_count(1, timeout=WAIT_MS)
    written = [out / "console-training-sessions.png"]
    desk.screenshot(path=written[-1])
    desk.get_by_test_id("training-new").click()
    desk.get_by_test_id("training-class").fill("aula-2")
    desk.get_by_test_id("training-trainees").fill("carla\ndiego\nelena")
    desk.get_by_test_id("training-scenario-digital-invoice-request").check()
    desk.evaluate("window.scrollTo(0, 0)")
    written.append(out / "console-training-new.png")
    desk.screenshot(path=written[-1])
    context.close()
    return written
