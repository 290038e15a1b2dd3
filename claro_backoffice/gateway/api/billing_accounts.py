"""GET /billingAccounts/{accountId}: a home (RR) or mobile (AC) TMF666 billing account."""

from __future__ import annotations

from claro_backoffice.gateway.api.calls import backoffice, base_url, call_context
from claro_backoffice.gateway.services.billing_accounts import get_billing_account as billing_account


def get_billing_account(account_id: str) -> dict:
    return billing_account(backoffice(), call_context(), base_url(), account_id)
