"""PortalPAC's HTTP surface: each view is named after its operationId in openapi/mocks/portalpac.yaml."""

from __future__ import annotations

import flask

from claro_backoffice.mocks.kit.context import session
from claro_backoffice.mocks.kit.problems import bad_request
from claro_backoffice.mocks.portalpac.backend import PortalPACBackend
from claro_backoffice.world.phones import InvalidPhone, normalise_phone

ADVISOR_HEADER = "X-Advisor"


def _pac() -> PortalPACBackend:
    return PortalPACBackend(session(), advisor=flask.request.headers.get(ADVISOR_HEADER))


def _phone(raw: str, field: str) -> str:
    try:
        return normalise_phone(raw)
    except InvalidPhone as exc:
        raise bad_request(f"{field}: {exc}", "invalid-phone") from None


def list_plans():
    return {"plans": _pac().plans()}


def get_volte(msisdn):
    return _pac().volte(msisdn)


def install_volte(msisdn):
    return _pac().install_volte(msisdn)


def uninstall_volte(msisdn):
    return _pac().uninstall_volte(msisdn)


def list_friends_and_family(msisdn):
    return _pac().friends_and_family(msisdn)


def add_friends_and_family_number(msisdn, body):
    return _pac().add_friends_and_family(msisdn, _phone(body["number"], "number")), 201


def change_friends_and_family_number(msisdn, number, body):
    return _pac().change_friends_and_family(msisdn, _phone(number, "number"), _phone(body["new_number"], "new_number"))


def remove_friends_and_family_number(msisdn, number):
    return _pac().remove_friends_and_family(msisdn, _phone(number, "number"))


def get_shared_data(account_number):
    return _pac().shared_data(account_number)


def set_shared_data(account_number, body):
    return _pac().set_shared_data(account_number, body["quotas"])


def list_operations(msisdn, operation=None, limit=50):
    return _pac().operations(msisdn, operation, limit)
