"""SARA mock (radio zone status, móvil): create_app() builds it; serve.py mounts it under /mocks/sara."""

from __future__ import annotations

from mocks.kit.app_factory import create_mock_app
from mocks.sara import seed


def create_app(settings=None, worlds=None):
    return create_mock_app(
        "sara",
        seed_fn=seed.seed,
        served_as=seed.SERVED_AS,
        routes_module="mocks.sara.routes",
        settings=settings,
        worlds=worlds,
    )
