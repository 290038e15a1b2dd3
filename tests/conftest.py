"""Shared fixtures: one world cache and one var/ folder per session; a client per mock with `default` reset after
each test, so tests never see each other's writes; and the plugin's (claro_backoffice/testing/plugin.py)."""

from __future__ import annotations

from importlib.metadata import entry_points

import pytest

from claro_backoffice.mocks.kit.worlds import WorldCache
from tests.support.inprocess_client import in_process_client
from tests.support.mocks import create_mock

# The project's own tests use the plugin its users get (claro_backoffice/testing/plugin.py); installed, pytest loads
# it through its `pytest11` entry point, and loading it twice would be an error.
PLUGIN = "claro_backoffice.testing.plugin"
pytest_plugins = [] if any(e.value == PLUGIN for e in entry_points(group="pytest11")) else [PLUGIN]


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
