"""GET /lines/{msisdn}/provisioning (CMAX) and GET /lines/{msisdn}/usage (CCI): gateway/services/line_usage.py."""

from __future__ import annotations

from gateway.api.calls import backoffice, base_url, call_context, executor
from gateway.services.line_usage import line_provisioning, line_usage


def get_line_provisioning(msisdn):
    return line_provisioning(backoffice(), executor(), call_context(), base_url(), msisdn)


def get_line_usage(msisdn, from_, to, type_=None, result=None, page=1, page_size=50):
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
