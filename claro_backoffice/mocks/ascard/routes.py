"""ASCARD's HTTP surface: each view is named after its operationId in openapi/mocks/ascard.yaml."""

from __future__ import annotations

from claro_backoffice.mocks.ascard.backend import PRODUCT_LINE, AscardBackend
from claro_backoffice.mocks.kit.context import session


def _ascard() -> AscardBackend:
    return AscardBackend(session())


def list_customer_credits(customer_id):
    return {"customer_id": customer_id, "credits": _ascard().customer_credits(customer_id)}


def get_payment_behaviour(customer_id):
    return _ascard().payment_behaviour(customer_id)


def list_account_credits(account_number):
    account, credits = _ascard().account_credits(account_number)
    return {
        "account_number": account_number,
        "system": account["system"],
        "product_line": PRODUCT_LINE.get(account["system"], account["system"]),
        "customer_id": account["customer_id"],
        "credits": credits,
    }


def get_credit(credit_id):
    return _ascard().credit(credit_id)


def list_installments(credit_id, status=None):
    return {"credit_id": credit_id, "installments": _ascard().installments(credit_id, status)}


def list_payments(credit_id):
    return {"credit_id": credit_id, "payments": _ascard().payments(credit_id)}


def register_payment(credit_id, body):
    return _ascard().register_payment(credit_id, body), 201
