"""The scale-out tests (marker `scaleout`): nginx in front of replicas of `serve`. They need Debian's `nginx` package
(`make test` installs it when missing, as root); without it they fail saying so, unless SCALEOUT_TESTS=0, the one
opt-out, which skips them loudly."""

from __future__ import annotations

import os

import pytest

from claro_backoffice.core import env as read


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if read.flag(os.environ, "SCALEOUT_TESTS", True):
        return
    skip = pytest.mark.skip(reason="SCALEOUT_TESTS=0: the scale-out tests (nginx and three replicas) were NOT run")
    for item in items:
        if item.get_closest_marker("scaleout"):
            item.add_marker(skip)
