"""The training screens' screenshots for the README (called by `tests/console/screenshots.py`, `make screenshots`;
alone: `python -m tests.console.screenshots_training [DIR]`): class `capturas-formacion`, two trainees on
`modem-without-sync` played through the API (ana well, beto telling the account before validating identity), then
the trainer's report of beto (the fatal failure and its evidence), its replay stepped to the disclosure, the class's
cohort, and beto's own report with a dispute, at 1280x800."""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

from playwright.sync_api import Browser, Page, expect, sync_playwright

from tests.console.training_class import played, started

CLASS = "capturas-formacion"


def _sign_in(page: Page, base: str, token: str, advisor: str = "", sandbox: str = "") -> None:
    page.goto(f"{base}/console/signin")
    page.get_by_test_id("signin-token").fill(token)
    page.get_by_test_id("signin-advisor").fill(advisor)
    page.get_by_test_id("signin-sandbox").fill(sandbox)
    page.get_by_test_id("signin-submit").click()
    expect(page.get_by_test_id("signed-in-as")).to_be_visible()


def capture_training(base: str, out: Path, browser: Browser) -> list[Path]:
    out.mkdir(parents=True, exist_ok=True)
    session = started(base, CLASS, ["ana", "beto"], ["modem-without-sync"])
    played(base, session, {"ana": "good", "beto": "discloses_first"})
    beto = next(a for a in session["attempts"] if a["trainee"] == "beto")
    report = f"{base}/console/formacion/sesiones/{session['id']}/informe/beto"
    size = {"viewport": {"width": 1280, "height": 800}, "locale": "es-CO"}
    paths = [out / f"console-training-{n}.png" for n in ("report", "replay", "cohort", "trainee")]

    trainer = browser.new_context(**size).new_page()
    _sign_in(trainer, base, "dev-formador")
    trainer.goto(report)
    trainer.get_by_test_id("verdict").evaluate("element => element.scrollIntoView()")  # the verdict, then the items
    trainer.screenshot(path=paths[0])
    disclosure = trainer.get_by_test_id("replay-event").filter(has_text="Veo la cuenta")
    for _ in range(int(disclosure.get_attribute("data-step") or 1)):
        trainer.get_by_test_id("replay-next").click()
    trainer.get_by_test_id("replay").scroll_into_view_if_needed()
    trainer.screenshot(path=paths[1])
    trainer.goto(f"{base}/console/formacion/clases/{CLASS}/cohorte")
    trainer.screenshot(path=paths[2])

    trainee = browser.new_context(**size).new_page()
    _sign_in(trainee, base, beto["token"])
    trainee.goto(report)
    row = trainee.locator("[data-testid=item][data-item=identity-first]")
    row.locator("summary").click()
    row.get_by_test_id("dispute-text").fill("Leí el número de cuenta que el cliente ya conocía")
    row.get_by_test_id("dispute-submit").click()
    expect(trainee.get_by_test_id("report-notice")).to_be_visible()
    trainee.screenshot(path=paths[3])
    return paths


def main() -> None:
    from tests.console.screenshots import ARGS, CHROMIUM
    from tests.support.server import running_server

    out = Path(sys.argv[1] if len(sys.argv) > 1 else "docs/img")
    with tempfile.TemporaryDirectory() as folder, running_server(Path(folder)) as server, sync_playwright() as pw:
        browser = pw.chromium.launch(
            executable_path=CHROMIUM, args=ARGS + (["--no-sandbox"] if os.geteuid() == 0 else [])
        )
        for path in capture_training(server.base, out, browser):
            print(f"wrote {path}")
        browser.close()


if __name__ == "__main__":
    main()
