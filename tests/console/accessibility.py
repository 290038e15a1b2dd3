"""axe-core over a page as it stands: no serious or critical violation (the issue's bar for every screen)."""

from __future__ import annotations

from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page

BLOCKING = ("serious", "critical")


def assert_accessible(page: Page, screen: str) -> None:
    results = Axe().run(page)
    blocking = [v for v in results.response["violations"] if v.get("impact") in BLOCKING]
    described = [f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes']][:3]}" for v in blocking]
    assert not described, f"axe on the {screen} screen:\n" + "\n".join(described)
