"""CCI mock (a mobile line's connection records, móvil): create_app() builds it; serve.py mounts it under
/mocks/cci."""

from __future__ import annotations

from mocks.cci import seed
from mocks.kit.app_factory import create_mock_app


def create_app(settings=None, worlds=None):
    return create_mock_app(
        "cci",
        seed_fn=seed.seed,
        served_as=seed.SERVED_AS,
        routes_module="mocks.cci.routes",
        settings=settings,
        worlds=worlds,
    )
