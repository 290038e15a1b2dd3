"""Whole cases through the in-process back office: the customer plays through Meta's simulator."""

from tests.support.backoffice import backoffice, gateway_app, gateway_client  # noqa: F401
