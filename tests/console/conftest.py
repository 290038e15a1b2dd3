"""The console's tests: one `python -m claro_backoffice.serve` for the module's tests (tests/support/server.py), a
sandbox of its own per test, and for the browser tests Debian's Chromium driven by pytest-playwright.

Browser tests carry the `browser` marker. `make test` installs the `chromium` package when it is missing (as
root); without it they fail saying so, unless BROWSER_TESTS=0, the one opt-out, which skips them loudly.
"""

from __future__ import annotations

import os
import uuid
from pathlib import Path

import pytest
import requests
from playwright.sync_api import expect

from claro_backoffice.core import env as read
from tests.console.desk import BROWSER_ENV, DESK_CONTEXT, SPANISH_PAK
from tests.support.server import running_server

CHROMIUM = Path("/usr/bin/chromium")
ADMIN = {"Authorization": "Bearer dev-admin"}
LAUNCH_ARGS = [
    "--disable-gpu",
    "--disable-background-networking",  # no network here: without these Chromium keeps trying it
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def browser_tests_enabled() -> bool:
    return read.flag(os.environ, "BROWSER_TESTS", True)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    # Browser tests run last: Playwright's sync API keeps an event loop running in the main thread from the first
    # browser test to the end of the session, and tests that call asyncio.run() there would fail after it. Under
    # pytest-xdist (--dist loadgroup) each worker takes the groups (modules) in this order: the same holds per worker.
    items.sort(key=lambda item: item.get_closest_marker("browser") is not None)
    if browser_tests_enabled():
        return
    skip = pytest.mark.skip(reason="BROWSER_TESTS=0: the console's browser tests were NOT run")
    for item in items:
        if item.get_closest_marker("browser"):
            item.add_marker(skip)


@pytest.fixture(scope="session", autouse=True)
def patient_expectations() -> None:
    """Every `expect` waits up to 20 s (Playwright's default is 5): on a loaded machine filing a PQR through four
    systems may take longer than 5 s, and an expectation returns as soon as its condition holds anyway."""
    expect.set_options(timeout=20_000)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict) -> dict:
    """pytest-playwright's launch options, on Debian's Chromium (Playwright's own download does not work here)."""
    if not CHROMIUM.exists():
        pytest.fail(
            f"{CHROMIUM} is missing: install Debian's `chromium` package (apt-get install -y chromium; `make test` "
            "does it as root), or run with BROWSER_TESTS=0 to skip the browser tests"
        )
    if not SPANISH_PAK.exists():
        pytest.fail(
            f"{SPANISH_PAK} is missing: install Debian's `chromium-l10n` package (apt-get install -y chromium-l10n; "
            "`make test` does it as root): without it Chromium shows dates as mm/dd/yyyy"
        )
    args = LAUNCH_ARGS + (["--no-sandbox"] if os.geteuid() == 0 else [])  # Chromium's sandbox refuses root
    env = {**os.environ, **BROWSER_ENV}
    return {**browser_type_launch_args, "executable_path": str(CHROMIUM), "args": args, "env": env}


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args: dict) -> dict:
    return {**browser_context_args, **DESK_CONTEXT}


@pytest.fixture(scope="session")
def console_server(tmp_path_factory):
    with running_server(tmp_path_factory.mktemp("console"), env={"GATEWAY_VALIDATE_RESPONSES": "1"}) as server:
        yield server


@pytest.fixture
def sandbox(console_server) -> str:
    """A fresh sandbox for one test (created through the gateway's admin API), deleted afterwards."""
    name = f"console-{uuid.uuid4().hex[:12]}"
    api = f"{console_server.base}/api/v1"
    created = requests.post(f"{api}/admin/sandboxes", json={"name": name}, headers=ADMIN, timeout=120)
    assert created.status_code == 201, created.text
    yield name
    requests.delete(f"{api}/admin/sandboxes/{name}", headers=ADMIN, timeout=120)


def load_scenario(server, sandbox: str, name: str) -> dict:
    """A scenario's customer (waId, document) planted in the sandbox, through the gateway."""
    answer = requests.post(
        f"{server.base}/api/v1/admin/scenarios/{name}",
        json={},
        headers={**ADMIN, "X-Sandbox": sandbox},
        timeout=120,
    )
    assert answer.status_code == 200, answer.text
    return answer.json()
