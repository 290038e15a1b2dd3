"""A mobile line's provisioning (CMAX) and usage records (CCI).

Provisioning: CMAX's provisioning and balance asked concurrently; the line's status in TMF637 values (active,
suspended: suspendida and bloqueada), the services with CMAX's states, and the balance. A balance that fails
(timeout, refused, 5xx...) leaves `balance` null and lists CMAX in `degraded`; a provisioning failure is the
mapped problem. An unknown line is CMAX's 404.

Usage: `from` and `to` (RFC 3339 with an offset, checked by the spec) are translated into CCI's `start` +
whole `hours`: the window is rounded UP to whole hours (CCI's granularity) and the answer's `window` says which
one was read. `to` must be after `from` and the window at most 31 days (744 h): otherwise a 422, CCI not asked.
"""

from __future__ import annotations

import functools
import math
from concurrent.futures import Executor
from datetime import datetime, timedelta

from claro_backoffice.core.formats import instant
from claro_backoffice.core.timezone import BOGOTA
from claro_backoffice.gateway.backoffice import Backoffice
from claro_backoffice.gateway.backoffice.base import CallContext
from claro_backoffice.gateway.domain_errors import RuleBroken
from claro_backoffice.gateway.services.fanout import gather, split

MAX_HOURS = 744
LINE_STATUS = {"activa": "active", "suspendida": "suspended", "bloqueada": "suspended"}


def line_provisioning(backoffice: Backoffice, executor: Executor, ctx: CallContext, base: str, msisdn: str) -> dict:
    cmax = backoffice.cmax
    answers, failures = split(
        gather(
            executor,
            {
                "provisioning": functools.partial(cmax.provisioning, ctx, msisdn),
                "balance": functools.partial(cmax.balance, ctx, msisdn),
            },
        )
    )
    if "provisioning" in failures:
        raise failures["provisioning"]
    prov, balance = answers["provisioning"], answers.get("balance")
    view = {
        "id": prov["msisdn"],
        "href": f"{base}/lines/{prov['msisdn']}/provisioning",
        "msisdn": prov["msisdn"],
        "status": LINE_STATUS.get(prov["lineStatus"], "suspended"),
        "cmaxStatus": prov["lineStatus"],
        "lineType": prov["lineType"],
        "imsi": prov["imsi"],
        "iccid": prov["iccid"],
        "apn": prov["apn"],
        "checkedAt": prov["checkedAt"],
        "services": [
            {"service": s["service"], "state": s["state"], "detail": s.get("detail"), "updatedAt": s.get("updatedAt")}
            for s in prov["services"]
        ],
        "balance": None,
        "degraded": [e.as_dict() for e in failures.values()],
    }
    if balance is not None:
        view["balance"] = {
            k: balance.get(k)
            for k in (
                "accountNumber",
                "customerId",
                "segment",
                "planCode",
                "planName",
                "mainBalance",
                "currency",
                "activeBundles",
                "unappliedRecharges",
            )
        }
        view["balance"]["lastRecharge"] = balance.get("lastRecharge")
    return view


def usage_window(start: str, end: str) -> tuple[datetime, int]:
    """(start in Bogotá time, whole hours) for CCI; a 422 for an inverted, empty or over-31-day window."""
    first, last = instant(start), instant(end)
    try:
        seconds = (last - first).total_seconds()
        first = first.astimezone(BOGOTA)
    except (OverflowError, ValueError) as exc:
        raise RuleBroken(f"the window from {start} to {end} is out of range", "usage-window") from exc
    if seconds <= 0:
        raise RuleBroken(f"'to' ({end}) must be after 'from' ({start})", "usage-window")
    hours = math.ceil(seconds / 3600)
    if hours > MAX_HOURS:
        raise RuleBroken(
            f"the window from {start} to {end} is {seconds / 86400:.1f} days: at most 31 days "
            f"({MAX_HOURS} h) can be read at once",
            "usage-window",
        )
    return first, hours


def line_usage(
    backoffice: Backoffice,
    ctx: CallContext,
    base: str,
    msisdn: str,
    start: str,
    end: str,
    *,
    record_type: str | None = None,
    result: str | None = None,
    page: int = 1,
    page_size: int = 50,
) -> dict:
    first, hours = usage_window(start, end)
    try:
        first + timedelta(hours=hours)  # CCI must be able to compute the window's end
    except OverflowError as exc:
        raise RuleBroken(f"the window from {start} to {end} is out of range", "usage-window") from exc
    page_ = backoffice.cci.records(
        ctx, msisdn, first.isoformat(), hours, record_type=record_type, result=result, page=page, page_size=page_size
    )
    window = page_["window"]
    return {
        "id": page_["msisdn"],
        "href": f"{base}/lines/{page_['msisdn']}/usage",
        "msisdn": page_["msisdn"],
        "accountId": page_["accountNumber"],
        "customerId": page_["customerId"],
        "lineStatus": page_["status"],
        "planCode": page_["planCode"],
        "homeCellId": page_["homeCellId"],
        "window": {
            "from": window["start"],
            "to": window["end"],
            "hours": window["hours"],
            "requestedFrom": start,
            "requestedTo": end,
            "recordsFrom": window["recordsFrom"],
            "recordsUntil": window["recordsUntil"],
        },
        "filters": {"type": record_type, "result": result},
        "page": page_["page"],
        "pageSize": page_["pageSize"],
        "total": page_["total"],
        "totalPages": page_["totalPages"],
        "summary": page_["summary"],
        "incidents": [
            dict(
                i,
                serviceProblem={
                    "id": str(i["aviso"]),
                    "href": f"{base}/serviceProblem/{i['aviso']}",
                    "@referredType": "ServiceProblem",
                },
            )
            for i in page_["incidents"]
        ],
        "notes": page_["notes"],
        "records": page_["records"],
    }
