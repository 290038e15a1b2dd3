"""The scale-out tests (marker `scaleout`): nginx in front of replicas of `serve`. They need Debian's `nginx` package
(`make test` installs it when missing, as root); without it they fail saying so, unless SCALEOUT_TESTS=0, the one
opt-out, which skips them loudly."""

from __future__ import annotations

import contextlib
import os

import pytest

from claro_backoffice.core import env as read
from tests.scaleout.cluster import Cluster, start_replicas
from tests.scaleout.router import running_router


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if read.flag(os.environ, "SCALEOUT_TESTS", True):
        return
    skip = pytest.mark.skip(reason="SCALEOUT_TESTS=0: the scale-out tests (nginx and three replicas) were NOT run")
    for item in items:
        if item.get_closest_marker("scaleout"):
            item.add_marker(skip)


@pytest.fixture(scope="module")
def cluster(tmp_path_factory):
    """Three replicas behind nginx, for one test module (a module may stop a replica, or the router to read its
    access log)."""
    folder = tmp_path_factory.mktemp("scaleout")
    with contextlib.ExitStack() as stack:
        servers, urls = start_replicas(folder, stack)
        router = stack.enter_context(running_router(folder / "nginx", list(urls.values())))
        yield Cluster(router, servers, urls)
