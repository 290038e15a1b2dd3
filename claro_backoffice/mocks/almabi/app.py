"""Almabi (workforce management) mock: create_app() builds it; serve.py mounts it under /mocks/almabi."""

from __future__ import annotations

from claro_backoffice.mocks.almabi import seed
from claro_backoffice.mocks.kit.app_factory import create_mock_app


def create_app(settings=None, worlds=None):
    return create_mock_app(
        "almabi",
        seed_fn=seed.seed,
        served_as=seed.SERVED_AS,
        routes_module="claro_backoffice.mocks.almabi.routes",
        settings=settings,
        worlds=worlds,
    )
