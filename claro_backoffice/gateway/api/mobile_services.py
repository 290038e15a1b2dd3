"""A line's VoLTE, Familia y Amigos and Datos Compartidos in PortalPAC (gateway/services/mobile_services.py)."""

from __future__ import annotations

from typing import Any

from claro_backoffice.gateway.api.calls import backoffice, call_context
from claro_backoffice.gateway.services import mobile_services


def install_volte(msisdn: str) -> tuple[dict, int]:
    return mobile_services.install_volte(backoffice(), call_context(), msisdn)


def uninstall_volte(msisdn: str) -> tuple[dict, int]:
    return mobile_services.uninstall_volte(backoffice(), call_context(), msisdn)


def list_friends_and_family(msisdn: str) -> dict:
    return mobile_services.friends_and_family(backoffice(), call_context(), msisdn)


def add_friends_and_family_number(msisdn: str, body: dict[str, Any]) -> tuple[dict, int]:
    return mobile_services.add_friends_and_family(backoffice(), call_context(), msisdn, body["number"]), 201


def remove_friends_and_family_number(msisdn: str, number: str) -> dict:
    return mobile_services.remove_friends_and_family(backoffice(), call_context(), msisdn, number)


def set_line_shared_data(msisdn: str, body: dict[str, Any]) -> dict:
    return mobile_services.set_line_shared_data(backoffice(), call_context(), msisdn, body["quotaGb"])
