"""Where the project's contracts live, found from this file rather than the working directory."""

from __future__ import annotations

from pathlib import Path


def repo_root() -> Path:
    return Path(__file__).resolve().parents[2]


def openapi_dir() -> Path:
    return repo_root() / "openapi"


def mock_specs_dir() -> Path:
    return openapi_dir() / "mocks"
