"""Módulo de Gestión's HTTP surface: each view is named after its operationId in openapi/mocks/gestion.yaml."""

from __future__ import annotations

import datetime as dt

from claro_backoffice.mocks.gestion.backend import GestionBackend
from claro_backoffice.mocks.kit.context import session

DEFAULT_SEARCH_DAYS = 7


def _gestion() -> GestionBackend:
    return GestionBackend(session())


def get_provisioning(account_number):
    return _gestion().provisioning(account_number)


def reprovision_service(account_number, service_id, body):
    return _gestion().reprovision(account_number, service_id, body), 202


def list_slots(account_number, days=DEFAULT_SEARCH_DAYS, **query):
    first = query.get("from")  # a date: the spec checked it
    return _gestion().slots(account_number, dt.date.fromisoformat(first) if first else None, days)


def create_visit(body):
    return _gestion().book(body), 201


def get_visit(appointment_id):
    return _gestion().get_visit(appointment_id)


def update_visit(appointment_id, body):
    return _gestion().update(appointment_id, body)


def list_account_visits(account_number, state=None):
    return {"visits": _gestion().account_visits(account_number, state)}
