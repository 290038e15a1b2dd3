"""Where the plugin's back office is: in this process (the default) or a running server (`--backoffice-url`).
Both give the gateway's and Meta's simulator's URLs and an admin token; in-process, calls to them reach the apps
only while a router (`InProcessBackoffice`, with the gateway attached) is active."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import TYPE_CHECKING

from claro_backoffice.testing.mocks import TEST_GATEWAY_URL

if TYPE_CHECKING:
    import connexion

    from claro_backoffice.testing.inprocess import InProcessBackoffice
    from claro_backoffice.testing.spec_check import SpecCheck


class RemoteSystem:
    """A running `serve`: the gateway under URL/api/v1, each mock under URL/mocks/<system>."""

    in_process = False

    def __init__(self, url: str, token: str) -> None:
        self.base = url.rstrip("/")
        self.gateway_url, self.meta_url, self.token = f"{self.base}/api/v1", f"{self.base}/mocks/meta", token

    @contextlib.contextmanager
    def routed(self, *apps: object) -> Iterator[None]:
        """Nothing to route: the server is reached over the network (`apps`: as InProcessSystem.routed's, unused)."""
        yield None


class InProcessSystem:
    """The whole back office in this process: `active` is the router of the running test, if any."""

    in_process = True
    token = "dev-admin"  # the gateway's development admin token (gateway/settings.py DEV_TOKENS)
    gateway_url = TEST_GATEWAY_URL

    def __init__(self) -> None:
        self.active: InProcessBackoffice | None = None

    @property
    def meta_url(self) -> str:
        from claro_backoffice.gateway.settings import GatewaySettings

        return GatewaySettings().backoffice_urls["meta"]

    @contextlib.contextmanager
    def routed(
        self, apps: dict[str, connexion.FlaskApp], checks: dict[str, SpecCheck], gateway_app: connexion.FlaskApp
    ) -> Iterator[InProcessBackoffice]:
        """The running test's router, or one of its own for the block (a module's sandbox made or deleted between
        tests), the gateway attached; a contract violation seen there fails."""
        if self.active is not None:
            yield self.active
            return
        from claro_backoffice.testing.inprocess import InProcessBackoffice
        from claro_backoffice.testing.inprocess_client import in_process_client

        with InProcessBackoffice(apps, checks=checks) as office, in_process_client(gateway_app) as client:
            office.attach_gateway(client)
            yield office
            office.detach_gateway()
        assert not office.violations, "contract violations seen by the back office:\n" + "\n".join(office.violations)


# What the plugin's `backoffice_system` fixture gives.
System = RemoteSystem | InProcessSystem
