"""Building mock apps for tests: one WorldCache and one var/ folder per test session, so each world and each
seeded template is built once however many tests use them."""

from __future__ import annotations

import importlib
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from claro_backoffice.core.systems import SYSTEMS
from claro_backoffice.mocks.kit.settings import MockSettings
from claro_backoffice.mocks.kit.worlds import WorldCache

if TYPE_CHECKING:
    import connexion

# Where test mocks believe the gateway is: a loopback port nothing listens on, so a test's webhook deliveries
# (Meta) never reach a `make run` that happens to be up on the developer's machine.
TEST_GATEWAY_URL = "http://127.0.0.1:9/api/v1"


def mock_settings(var_dir: Path, **overrides: Any) -> MockSettings:  # MockSettings' fields, each its type
    return MockSettings(
        var_dir=var_dir, validate_responses=True, **dict({"gateway_url": TEST_GATEWAY_URL}, **overrides)
    )


def create_mock(system: str, var_dir: Path, worlds: WorldCache, **overrides: Any) -> connexion.FlaskApp:
    module = importlib.import_module(f"claro_backoffice.mocks.{system}.app")
    return module.create_app(settings=mock_settings(var_dir, **overrides), worlds=worlds)


def build_apps(
    var_dir: Path, worlds: WorldCache | None = None, systems: Iterable[str] = SYSTEMS
) -> dict[str, connexion.FlaskApp]:
    """Every mock app, seeded into var_dir (seeded templates are reused across runs of one var_dir)."""
    worlds = worlds or WorldCache()
    return {system: create_mock(system, var_dir, worlds) for system in systems}
