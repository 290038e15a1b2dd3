"""Paradigma mock: create_app() builds it; serve.py mounts it under /mocks/paradigma."""

from __future__ import annotations

from mocks.kit.app_factory import create_mock_app
from mocks.paradigma import seed


def create_app(settings=None, worlds=None):
    return create_mock_app(
        "paradigma",
        seed_fn=seed.seed,
        served_as=seed.SERVED_AS,
        routes_module="mocks.paradigma.routes",
        settings=settings,
        worlds=worlds,
    )
