"""Where the project's contracts live: package data (claro_backoffice/openapi), not the working directory."""

from __future__ import annotations

from pathlib import Path

from claro_backoffice.core import package_data


def openapi_dir() -> Path:
    return package_data.path("openapi")


def mock_specs_dir() -> Path:
    return openapi_dir() / "mocks"
