"""RR's HTTP surface: each view is named after its operationId in openapi/mocks/rr.yaml."""

from __future__ import annotations

from claro_backoffice.mocks.kit.context import session
from claro_backoffice.mocks.kit.problems import bad_request
from claro_backoffice.mocks.rr.backend import RRBackend
from claro_backoffice.world.phones import InvalidPhone, normalise_phone


def _rr() -> RRBackend:
    return RRBackend(session())


def find_subscribers(document_number, document_type=None):
    return {"subscribers": _rr().find_subscribers(document_type, document_number)}


def find_subscribers_by_phone(phone):
    try:
        national = normalise_phone(phone)
    except InvalidPhone as exc:
        raise bad_request(str(exc), "invalid-phone") from None
    return {"subscribers": _rr().find_subscribers(phone=national)}


def get_subscriber(customer_id):
    return _rr().get_subscriber(customer_id)


def list_subscriber_accounts(customer_id):
    return {"accounts": _rr().subscriber_accounts(customer_id)}


def get_account(account_number):
    return _rr().get_account(account_number)


def list_services(account_number):
    rr = _rr()
    rr.get_account(account_number)
    return {"services": rr.services(account_number)}


def get_cable_modem(account_number):
    return _rr().cable_modem(account_number)


def get_account_cuenta_matriz(account_number):
    return _rr().account_cuenta_matriz(account_number)


def get_cuenta_matriz(cuenta_matriz):
    return _rr().cuenta_matriz(cuenta_matriz)


def list_lls(account_number):
    return {"lls": _rr().lls(account_number)}


def list_markings(account_number):
    return {"markings": _rr().markings(account_number)}


def create_marking(account_number, body):
    return _rr().add_marking(account_number, body), 201


def list_typifications(category=None):
    return {"typifications": _rr().typifications(category)}


def list_folders(account_number):
    return {"folders": _rr().folders(account_number)}


def create_folder(account_number, body):
    return _rr().create_folder(account_number, body), 201


def list_folder_notes(account_number, folder):
    return {"notes": _rr().notes(account_number, folder)}


def create_folder_note(account_number, folder, body):
    return _rr().add_note(account_number, folder, body), 201


def list_adjustments(account_number, status=None):
    return {"adjustments": _rr().list_adjustments(account_number, status)}


def create_adjustment(account_number, body):
    return _rr().request_adjustment(account_number, body), 201


def list_all_adjustments(status=None):
    return {"adjustments": _rr().adjustments().list(None, status)}


def get_adjustment(adjustment_id):
    return _rr().adjustments().get(adjustment_id)


def approve_adjustment(adjustment_id, body):
    return _rr().adjustments().decide(adjustment_id, True, body)


def reject_adjustment(adjustment_id, body):
    return _rr().adjustments().decide(adjustment_id, False, body)
