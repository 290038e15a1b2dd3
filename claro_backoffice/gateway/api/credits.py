"""GET /customers/{customerId}/credits: the customer's ASCARD credits (gateway/services/credits.py)."""

from __future__ import annotations

from claro_backoffice.gateway.api.calls import backoffice, base_url, call_context
from claro_backoffice.gateway.services.credits import customer_credits


def list_customer_credits(customer_id: str) -> dict:
    return customer_credits(backoffice(), call_context(), base_url(), customer_id)
