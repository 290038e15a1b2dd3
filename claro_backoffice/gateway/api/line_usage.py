"""GET /lines/{msisdn}/provisioning (CMAX) and GET /lines/{msisdn}/usage (CCI): gateway/services/line_usage.py."""

from __future__ import annotations

from claro_backoffice.gateway.api.calls import backoffice, base_url, call_context, executor
from claro_backoffice.gateway.services.line_usage import line_provisioning, line_usage


def get_line_provisioning(msisdn: str) -> dict:
    return line_provisioning(backoffice(), executor(), call_context(), base_url(), msisdn)


def get_line_usage(
    msisdn: str,
    from_: str,
    to: str,
    type_: str | None = None,
    result: str | None = None,
    page: int = 1,
    page_size: int = 50,
) -> dict:
    return line_usage(
        backoffice(),
        call_context(),
        base_url(),
        msisdn,
        from_,
        to,
        record_type=type_,
        result=result,
        page=page,
        page_size=page_size,
    )
