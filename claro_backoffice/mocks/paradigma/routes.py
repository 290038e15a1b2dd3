"""Paradigma's HTTP surface: each view is named after its operationId in openapi/mocks/paradigma.yaml."""

from __future__ import annotations

from claro_backoffice.mocks.kit.context import session
from claro_backoffice.mocks.paradigma.backend import ParadigmaBackend


def _paradigma() -> ParadigmaBackend:
    return ParadigmaBackend(session())


def get_billing_account(account_number):
    return _paradigma().account(account_number)


def list_invoices(account_number, state=None, limit=12, offset=0):
    return _paradigma().invoices(account_number, state, limit, offset)


def get_invoice(invoice_id):
    return _paradigma().invoice(invoice_id)


def get_next_invoice(account_number):
    return _paradigma().next_invoice(account_number)


def get_delivery(account_number):
    return _paradigma().delivery(account_number)


def change_delivery(account_number, body):
    return _paradigma().change_delivery(account_number, body)
