"""AC mock: create_app() builds it; serve.py mounts it under /mocks/ac."""

from __future__ import annotations

from claro_backoffice.mocks.ac import seed
from claro_backoffice.mocks.kit.app_factory import create_mock_app


def create_app(settings=None, worlds=None):
    return create_mock_app(
        "ac",
        seed_fn=seed.seed,
        served_as=seed.SERVED_AS,
        routes_module="claro_backoffice.mocks.ac.routes",
        settings=settings,
        worlds=worlds,
    )
