"""Diagnosticador's HTTP surface: each view is named after its operationId in openapi/mocks/diagnosticador.yaml."""

from __future__ import annotations

from claro_backoffice.mocks.diagnosticador import check
from claro_backoffice.mocks.diagnosticador.backend import DiagnosticadorBackend
from claro_backoffice.mocks.kit.context import session


def _diag() -> DiagnosticadorBackend:
    return DiagnosticadorBackend(session())


def check_modem(account_number, service="internet"):
    return check.check(_diag(), account_number, service)


def list_account_incidents(account_number, state=None):
    return {"incidents": _diag().account_incidents(account_number, state)}


def get_node(node):
    return check.node_summary(_diag(), node)


def list_node_incidents(node, state=None):
    return {"incidents": _diag().node_incidents(node, state)}


def escalate_fault(body):
    aviso, created = _diag().escalate(body)
    return dict(aviso, associated=not created), 201 if created else 200


def get_aviso(aviso):
    return _diag().get_aviso(aviso)


def update_aviso(aviso, body):
    return _diag().update_aviso(aviso, body)
