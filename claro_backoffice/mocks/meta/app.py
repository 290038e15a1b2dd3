"""Meta (WhatsApp Business Cloud API) mock: create_app() builds it; serve.py mounts it under /mocks/meta."""

from __future__ import annotations

from claro_backoffice.mocks.kit.app_factory import create_mock_app
from claro_backoffice.mocks.meta import seed


def create_app(settings=None, worlds=None):
    return create_mock_app(
        "meta",
        seed_fn=seed.seed,
        served_as=seed.SERVED_AS,
        routes_module="claro_backoffice.mocks.meta.routes",
        settings=settings,
        worlds=worlds,
        personalise=seed.own_business_number,
    )
