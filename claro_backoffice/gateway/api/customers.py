"""GET /customers, GET /customers/{customerId}: the customer 360 (gateway/services/customer360.py)."""

from __future__ import annotations

from claro_backoffice.gateway.api.calls import backoffice, base_url, call_context, executor
from claro_backoffice.gateway.services.customer360 import Customer360


def _service() -> Customer360:
    return Customer360(backoffice(), executor())


def find_customers(
    document_type: str | None = None, document_number: str | None = None, phone: str | None = None
) -> tuple[list, int, dict[str, str]]:
    views, degraded = _service().search(
        call_context(), base_url(), document_type=document_type, document_number=document_number, phone=phone
    )
    return views, 200, _degraded_header(degraded)


def get_customer(customer_id: str) -> tuple[dict, int, dict[str, str]]:
    view = _service().get(call_context(), base_url(), customer_id)
    return view, 200, _degraded_header(view["degraded"])


def _degraded_header(degraded: list[dict]) -> dict[str, str]:
    """The README's promise for every 360: the systems that could not answer, also in a header."""
    return {"X-Degraded-Systems": ",".join(d["system"] for d in degraded)} if degraded else {}
