"""The project's own names for the plugin's in-process back office (claro_backoffice/testing/): `backoffice` is the
plugin's `backoffice_inprocess` (the router: recorded calls, refused systems, contract violations), `gateway_app`
its `backoffice_gateway_app`, and `gateway_client` an httpx client on the gateway with a token on every request.
The classes are the plugin's, named here as before."""

from __future__ import annotations

import pytest

from claro_backoffice.testing.gateway import FakeClock, GatewayClient  # noqa: F401
from claro_backoffice.testing.inprocess import Call, InProcessBackoffice  # noqa: F401
from claro_backoffice.testing.mocks import build_apps  # noqa: F401
from claro_backoffice.testing.spec_check import SpecCheck  # noqa: F401


@pytest.fixture
def backoffice(backoffice_inprocess):
    """The back office in-process for one test; `default` restored everywhere afterwards; fails on violations."""
    return backoffice_inprocess


@pytest.fixture(scope="session")
def gateway_app(backoffice_gateway_app):
    return backoffice_gateway_app


@pytest.fixture
def gateway_client(backoffice_inprocess, backoffice_inprocess_gateway, backoffice_gateway_app):
    """The gateway wired to the in-process back office; circuits, sleeps and the fake clock reset afterwards."""
    return GatewayClient(backoffice_inprocess_gateway, backoffice_gateway_app, backoffice_inprocess)
