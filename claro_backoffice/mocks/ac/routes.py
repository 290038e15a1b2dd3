"""AC's HTTP surface: each view is named after its operationId in openapi/mocks/ac.yaml."""

from __future__ import annotations

from claro_backoffice.mocks.ac.backend import ACBackend
from claro_backoffice.mocks.kit.context import session
from claro_backoffice.mocks.kit.problems import bad_request
from claro_backoffice.world.phones import InvalidPhone, is_mobile, normalise_phone


def _ac() -> ACBackend:
    return ACBackend(session())


def _msisdn(raw: str, field: str = "msisdn") -> str:
    """10 national digits from any accepted form (3001234567, 573001234567, +573001234567)."""
    try:
        national = normalise_phone(raw)
    except InvalidPhone as exc:
        raise bad_request(f"{field}: {exc}", "invalid-msisdn") from None
    if not is_mobile(national):
        raise bad_request(
            f"{field}: {national} is a fixed line; AC holds mobile lines (3 + 9 digits)", "invalid-msisdn"
        )
    return national


def find_subscribers(document_number, document_type=None):
    return {"subscribers": _ac().find_subscribers(document_type, document_number)}


def find_subscribers_by_msisdn(msisdn):
    return {"subscribers": _ac().find_subscribers(msisdn=_msisdn(msisdn))}


def get_subscriber(customer_id):
    return _ac().get_subscriber(customer_id)


def list_subscriber_accounts(customer_id):
    return {"accounts": _ac().subscriber_accounts(customer_id)}


def get_account(account_number):
    return _ac().get_account(account_number)


def list_account_lines(account_number, status=None):
    return {"lines": _ac().lines(account_number, status)}


def get_line(msisdn):
    return _ac().get_line(_msisdn(msisdn))


def list_line_status_history(msisdn):
    return {"changes": _ac().status_history(_msisdn(msisdn))}


def suspend_line(msisdn, body):
    return _ac().suspend_line(_msisdn(msisdn), body)


def reactivate_line(msisdn, body):
    return _ac().reactivate_line(_msisdn(msisdn), body)


def list_plans(line_type=None):
    return {"plans": _ac().plans(line_type)}


def get_plan(plan_code):
    return _ac().get_plan(plan_code)


def list_typifications(category=None, product=None):
    return {"typifications": _ac().typifications(category, product)}


def list_ticklers(account_number, msisdn=None):
    return {"ticklers": _ac().ticklers(account_number, _msisdn(msisdn) if msisdn else None)}


def create_tickler(account_number, body):
    msisdn = _msisdn(body["msisdn"], "body.msisdn") if body.get("msisdn") else None
    return _ac().add_tickler(account_number, body, msisdn), 201


def list_adjustments(account_number, status=None):
    return {"adjustments": _ac().list_adjustments(account_number, status)}


def create_adjustment(account_number, body):
    return _ac().request_adjustment(account_number, body), 201


def list_all_adjustments(status=None):
    return {"adjustments": _ac().adjustments().list(None, status)}


def get_adjustment(adjustment_id):
    return _ac().adjustments().get(adjustment_id)


def approve_adjustment(adjustment_id, body):
    return _ac().adjustments().decide(adjustment_id, True, body)


def reject_adjustment(adjustment_id, body):
    return _ac().adjustments().decide(adjustment_id, False, body)
