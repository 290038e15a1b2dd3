"""GET /customerBill, GET /customerBill/{id} (TMF678 from Paradigma) and PUT /billingAccounts/{accountId}/billDelivery
(gateway/services/customer_bills.py)."""

from __future__ import annotations

from typing import Any

from claro_backoffice.gateway.api.calls import backoffice, base_url, call_context
from claro_backoffice.gateway.services import customer_bills


def list_customer_bills(
    billing_account_id: str, state: str | None = None, limit: int | None = None, offset: int | None = None
) -> tuple[list[dict], int, dict[str, str]]:
    bills, total = customer_bills.list_customer_bills(
        backoffice(), call_context(), base_url(), billing_account_id, state=state, limit=limit, offset=offset
    )
    return bills, 200, {"X-Total-Count": str(total), "X-Result-Count": str(len(bills))}


def get_customer_bill(id_: str) -> dict:
    return customer_bills.get_customer_bill(backoffice(), call_context(), base_url(), id_)


def change_bill_delivery(account_id: str, body: dict[str, Any]) -> dict:
    return customer_bills.change_bill_delivery(
        backoffice(), call_context(), base_url(), account_id, body["mode"], body.get("email")
    )
