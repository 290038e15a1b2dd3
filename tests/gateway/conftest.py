"""The in-process back office and the gateway wired to it (tests/support/backoffice.py)."""

from tests.support.backoffice import backoffice, gateway_app, gateway_client  # noqa: F401
