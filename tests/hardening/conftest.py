"""Issue 12: every bad input a clean 4xx. The gateway wired to the in-process back office, and the mocks."""

from tests.support.backoffice import backoffice, gateway_app, gateway_client  # noqa: F401
