"""The package built and installed once per test session, shared by every test of tests/package (before, the
wheel was built and a virtual environment made twice: once for test_wheel.py, once for test_example_project.py).

Cost: about 35 s to build the sdist and the wheel and install the wheel with its dependencies (from pip's cache
once downloaded), paid once however many tests use them; tests/package took 129 s before, 93 s after."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.support.built_package import Installed, build, install


@pytest.fixture(scope="session")
def package_dist(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sdist and the wheel, built from a copy of this checkout (tests/support/built_package.py)."""
    return build(tmp_path_factory.mktemp("package"))


@pytest.fixture(scope="session")
def package_installed(package_dist: Path) -> Installed:
    """The wheel, with its `[pytest]` extra, installed into a fresh virtual environment outside the repository."""
    return install(package_dist)
