"""The pytest plugin (entry point `pytest11`, name `claro_backoffice`): fixtures for your own tests against the
back office, with no conftest.py.

- `backoffice`: the back office for one test, bound to a sandbox of its own (office.py `Backoffice`): `url` (the
  gateway's base URL, for your own client), `gateway` (a requests session with the token and the sandbox),
  `scenario(name)`, `customer(wa_id).say(text)`, `fault(...)`, `advance_clock(...)`, `journal(...)`,
  `assert_called("rr", "POST", "/accounts/*/markings")`.
- `backoffice_sandbox` (its name), `backoffice_url`, `backoffice_gateway`, `backoffice_scenario`,
  `backoffice_customer`: the same pieces one by one.
- One sandbox per test by default; per module with the ini option `backoffice_sandbox_scope = module` or the marker
  `@pytest.mark.backoffice_sandbox(scope="module")` (on a module: `pytestmark = ...`).
- In-process by default: every system and the gateway run in this process, reached through `requests` with no
  socket (`responses` routes their URLs while a test runs). `--backoffice-url URL` (and `--backoffice-token`)
  uses a running server instead. Under pytest-xdist each worker has its own in-process back office (its own var
  folder) and its own sandboxes.
- In-process only: `backoffice_inprocess` (the router: recorded calls, `refuse("rr")`, contract violations, which
  fail the test), `backoffice_apps`, `backoffice_checks`, `backoffice_gateway_app`.

Nothing is imported until a fixture is used: a run that uses none pays nothing.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING

import pytest

# Types only: the plugin imports none of the back office until a fixture is used (tests/plugin/test_import_cost.py).
if TYPE_CHECKING:
    import connexion
    import httpx

    from claro_backoffice.testing.inprocess import InProcessBackoffice
    from claro_backoffice.testing.office import Backoffice, Customer, GatewaySession, LoadScenario
    from claro_backoffice.testing.spec_check import SpecCheck
    from claro_backoffice.testing.systems import System

SCOPES = ("test", "module")


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("claro_backoffice", "Claro back office fixtures (claro_backoffice.testing)")
    group.addoption(
        "--backoffice-url",
        default=None,
        help="use the back office running there (e.g. http://127.0.0.1:8000) instead of one in this process",
    )
    group.addoption(
        "--backoffice-token",
        default=None,
        help="an admin token of that server (default: $CLARO_BACKOFFICE_TOKEN, else dev-admin)",
    )
    parser.addini("backoffice_sandbox_scope", default="test", help="a sandbox per 'test' (default) or per 'module'")


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "backoffice_sandbox(scope): the back office's sandbox per 'test' or per 'module' for these tests"
    )


def _scope(request: pytest.FixtureRequest) -> str:
    marker = request.node.get_closest_marker("backoffice_sandbox")
    scope = (marker.kwargs.get("scope") or (marker.args or [None])[0]) if marker else None
    scope = scope or request.config.getini("backoffice_sandbox_scope")
    if scope not in SCOPES:
        raise pytest.UsageError(f"backoffice sandbox scope {scope!r}: use one of {', '.join(SCOPES)}")
    return scope


def _in_process_only(config: pytest.Config, fixture: str) -> None:
    if config.getoption("backoffice_url"):
        pytest.skip(f"{fixture} is the in-process back office's; this run uses --backoffice-url")


# ---- where the back office is ------------------------------------------------------------------------------------
@pytest.fixture(scope="session")
def backoffice_system(request: pytest.FixtureRequest) -> System:
    """In this process, or the server of --backoffice-url (systems.py)."""
    from claro_backoffice.testing.systems import InProcessSystem, RemoteSystem

    url = request.config.getoption("backoffice_url")
    if url:
        token = request.config.getoption("backoffice_token") or os.environ.get("CLARO_BACKOFFICE_TOKEN") or "dev-admin"
        return RemoteSystem(url, token)
    return InProcessSystem()


@pytest.fixture(scope="session")
def backoffice_apps(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> dict[str, connexion.FlaskApp]:
    """Every mock app, seeded into a var folder of this session's (of this xdist worker's) own."""
    _in_process_only(request.config, "backoffice_apps")
    from claro_backoffice.testing.mocks import build_apps

    return build_apps(tmp_path_factory.mktemp("backoffice"))


@pytest.fixture(scope="session")
def backoffice_checks(backoffice_apps: dict[str, connexion.FlaskApp]) -> dict[str, SpecCheck]:
    from claro_backoffice.testing.spec_check import SpecCheck

    return {system: SpecCheck(system) for system in backoffice_apps}


@pytest.fixture(scope="session")
def backoffice_gateway_app(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> connexion.FlaskApp:
    """The gateway app (gateway.py `build_gateway_app`: validated responses, no backoff waits, a fake clock)."""
    _in_process_only(request.config, "backoffice_gateway_app")
    from claro_backoffice.testing.gateway import build_gateway_app

    return build_gateway_app(tmp_path_factory.mktemp("gateway"))


@pytest.fixture
def backoffice_inprocess(
    backoffice_apps: dict[str, connexion.FlaskApp], backoffice_checks: dict[str, SpecCheck], backoffice_system: System
) -> Iterator[InProcessBackoffice]:
    """Every system's URL served in-process for one test (inprocess.py); `default` restored in every system
    afterwards; fails the test on a contract violation."""
    from claro_backoffice.testing.inprocess import InProcessBackoffice
    from claro_backoffice.testing.systems import InProcessSystem

    # backoffice_apps skipped the test for a running server (--backoffice-url): this is the in-process one.
    assert isinstance(backoffice_system, InProcessSystem)
    with InProcessBackoffice(backoffice_apps, checks=backoffice_checks) as office:
        backoffice_system.active = office
        try:
            yield office
        finally:
            backoffice_system.active = None
            violations = list(office.violations)
            office.reset()
    assert not violations, "contract violations seen by the back office:\n" + "\n".join(violations)


@pytest.fixture
def backoffice_inprocess_gateway(
    backoffice_inprocess: InProcessBackoffice, backoffice_gateway_app: connexion.FlaskApp
) -> Iterator[httpx.Client]:
    """An in-process client (httpx API) on the gateway, which also gets the calls made to its URL (Meta's webhooks,
    your `requests`); circuits, clocks, `default`'s cases and recorded sleeps forgotten afterwards."""
    from claro_backoffice.testing.gateway import forget_test_state
    from claro_backoffice.testing.inprocess_client import in_process_client

    with in_process_client(backoffice_gateway_app) as client:
        backoffice_inprocess.attach_gateway(client)
        yield client
        backoffice_inprocess.detach_gateway()
    forget_test_state(backoffice_gateway_app)


# ---- the sandbox -------------------------------------------------------------------------------------------------
def _routing(
    request: pytest.FixtureRequest, system: System
) -> Callable[[], contextlib.AbstractContextManager[InProcessBackoffice | None]]:
    """A context manager routing the in-process URLs (nothing to do for a running server), from what this fixture
    may still ask for now: a module's sandbox is deleted after the module's last test, when it can't."""
    from claro_backoffice.testing.systems import InProcessSystem

    if not isinstance(system, InProcessSystem):
        return system.routed
    apps, checks, app = (
        request.getfixturevalue(name) for name in ("backoffice_apps", "backoffice_checks", "backoffice_gateway_app")
    )
    return lambda: system.routed(apps, checks, app)


@pytest.fixture(scope="module")
def backoffice_module_sandbox(request: pytest.FixtureRequest, backoffice_system: System) -> Iterator[str]:
    """One sandbox for the module's tests (when its scope is 'module')."""
    from claro_backoffice.testing.office import create_sandbox, delete_sandbox, sandbox_name

    routed, name = _routing(request, backoffice_system), sandbox_name()
    with routed():
        create_sandbox(backoffice_system.gateway_url, backoffice_system.token, name)
    yield name
    with routed():
        delete_sandbox(backoffice_system.gateway_url, backoffice_system.token, name)


@pytest.fixture
def backoffice_sandbox(request: pytest.FixtureRequest, backoffice_system: System) -> Iterator[str]:
    """The name of the test's sandbox: its own (created through the gateway, deleted afterwards), or the module's."""
    from claro_backoffice.testing.office import create_sandbox, delete_sandbox, sandbox_name

    if _scope(request) == "module":
        yield request.getfixturevalue("backoffice_module_sandbox")
        return
    if backoffice_system.in_process:
        request.getfixturevalue("backoffice_inprocess_gateway")
    name = sandbox_name()
    create_sandbox(backoffice_system.gateway_url, backoffice_system.token, name)
    yield name
    delete_sandbox(backoffice_system.gateway_url, backoffice_system.token, name)


# ---- what a test uses --------------------------------------------------------------------------------------------
@pytest.fixture
def backoffice(
    request: pytest.FixtureRequest, backoffice_system: System, backoffice_sandbox: str
) -> Iterator[Backoffice]:
    """The back office for this test, in its sandbox (office.py `Backoffice`)."""
    from claro_backoffice.testing.office import Backoffice

    if backoffice_system.in_process:
        request.getfixturevalue("backoffice_inprocess_gateway")  # the URLs routed while the test runs
    office = Backoffice(
        backoffice_system.gateway_url, backoffice_system.meta_url, backoffice_sandbox, backoffice_system.token
    )
    yield office
    office.close()


@pytest.fixture
def backoffice_url(backoffice: Backoffice) -> str:
    """The gateway's base URL (…/api/v1) for your own client: in-process, `requests` calls to it are served here."""
    return backoffice.url


@pytest.fixture
def backoffice_gateway(backoffice: Backoffice) -> GatewaySession:
    """A requests session on the gateway: paths relative to /api/v1, the admin token and the test's sandbox set."""
    return backoffice.gateway


@pytest.fixture
def backoffice_scenario(backoffice: Backoffice) -> LoadScenario:
    """backoffice_scenario("modem-without-sync") loads that scenario into the test's sandbox; its facts."""
    return backoffice.scenario


@pytest.fixture
def backoffice_customer(backoffice: Backoffice) -> Callable[[str | dict], Customer]:
    """backoffice_customer(wa_id) -> the customer's phone on Meta's simulator (`say`, `received`)."""
    return backoffice.customer
