"""CCI's HTTP surface: each view is named after its operationId in openapi/mocks/cci.yaml."""

from __future__ import annotations

from claro_backoffice.mocks.cci.backend import CciBackend
from claro_backoffice.mocks.kit.context import session


def _cci() -> CciBackend:
    return CciBackend(session())


def get_line(msisdn):
    return _cci().line_view(msisdn)


def list_records(msisdn, start=None, hours=24, type=None, result=None, page=1, page_size=50):  # noqa: A002
    return _cci().records(msisdn, start, hours, type, result, page, page_size)
