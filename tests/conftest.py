"""Shared fixtures: one world cache and one var/ folder per session; a client per mock with `default` reset after
each test, so tests never see each other's writes; and the plugin's (claro_backoffice/testing/plugin.py)."""

from __future__ import annotations

import os
from importlib.metadata import entry_points

import pytest

from claro_backoffice.mocks.kit.worlds import WorldCache
from tests.support.inprocess_client import in_process_client
from tests.support.mocks import create_mock

# The project's own tests use the plugin its users get (claro_backoffice/testing/plugin.py); installed, pytest loads
# it through its `pytest11` entry point, and loading it twice would be an error.
PLUGIN = "claro_backoffice.testing.plugin"
pytest_plugins = [] if any(e.value == PLUGIN for e in entry_points(group="pytest11")) else [PLUGIN]

# Tests that share something expensive built once per session run in one pytest-xdist worker (pyproject's addopts:
# `-n auto --dist loadgroup`): tests/package's wheel and virtual environment (tests/package/conftest.py).
DIRECTORY_GROUPS = ("tests/package/",)


@pytest.hookimpl(optionalhook=True)
def pytest_xdist_auto_num_workers(config: pytest.Config) -> int:
    """`-n auto`: two workers per CPU this process may use. Most of a test's time is spent in the processes it
    drives (servers, Chromium, nginx, child pytest runs, pip) or waiting on them, so one worker per CPU leaves
    them idle. PYTEST_XDIST_AUTO_NUM_WORKERS overrides it, as in pytest-xdist."""
    if os.environ.get("PYTEST_XDIST_AUTO_NUM_WORKERS", "").isdigit():
        return int(os.environ["PYTEST_XDIST_AUTO_NUM_WORKERS"])
    return 2 * len(os.sched_getaffinity(0))


@pytest.hookimpl(tryfirst=True)  # before pytest-xdist's own, which reads the groups into the test ids
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Each test's xdist group (`--dist loadgroup` keeps a group in one worker): its module's, so that module-scoped
    fixtures (a server, a cluster, schemathesis's record of the operations that answered 2xx) are built once and
    seen by every test of the module; a directory's for DIRECTORY_GROUPS. Harmless without xdist.

    A module's browser tests are a group of their own: Playwright's sync API leaves an event loop running in the
    worker's main thread from its first browser test on (tests/console/conftest.py), so a worker must take them
    after every other group. Groups are handed out in collection order (`--no-loadscope-reorder`: pytest-xdist
    would otherwise hand the largest first), browser tests sorted last: a module's
    browser group is then among the last, where in its module's group it went out early, and tests that call
    asyncio.run() or run the in-process transport on the calling thread's loop got that worker later and failed."""
    for item in items:
        if item.get_closest_marker("xdist_group") is None:
            module = item.nodeid.split("::")[0]
            group = next((d for d in DIRECTORY_GROUPS if module.startswith(d)), module)
            if item.get_closest_marker("browser") is not None:
                group += "::browser"
            item.add_marker(pytest.mark.xdist_group(group))


@pytest.fixture(scope="session")
def worlds():
    return WorldCache()


@pytest.fixture(scope="session")
def var_dir(tmp_path_factory):
    return tmp_path_factory.mktemp("var")


@pytest.fixture(scope="session")
def mock_apps(worlds, var_dir):
    """system -> app, built on first use and kept for the session."""
    apps = {}

    def get(system: str):
        if system not in apps:
            apps[system] = create_mock(system, var_dir, worlds)
        return apps[system]

    return get


@pytest.fixture
def mock_client(mock_apps):
    """mock_client("rr") -> an in-process client (httpx API) on that mock; the default sandbox is reset afterwards."""
    opened = []

    def open_client(system: str):
        client = in_process_client(mock_apps(system))
        opened.append(client)
        return client

    yield open_client
    for client in opened:
        client.delete("/__admin/faults")
        client.post("/__admin/reset")
        client.close()


@pytest.fixture(scope="session")
def world(worlds):
    """The default world, for tests that compare what a system answers with what the world says."""
    from claro_backoffice.world.config import WorldConfig

    return worlds.get(WorldConfig())
