"""A customer's credits in ASCARD (device financing on any home or mobile account) with the installments summary.

Amounts are TMF Money {unit: COP, value}; ASCARD's statuses are kept in Spanish (al_dia, en_mora, pagado: the
advisors' own words) and each credit carries an `installments` summary (count, amount, paid, pending, overdue,
nextDueDate, daysPastDue). Totals over the customer's credits are added for the advisor's script.
"""

from __future__ import annotations

from claro_backoffice.gateway.backoffice import Backoffice
from claro_backoffice.gateway.backoffice.base import CallContext


def _money(value: int) -> dict:
    return {"unit": "COP", "value": value}


def credit_view(credit: dict, base: str) -> dict:
    account = credit["accountNumber"]
    return {
        "id": credit["creditId"],
        "product": credit["product"],
        "productLine": credit["productLine"],
        "imei": credit.get("imei"),
        "startDate": credit["startDate"],
        "status": credit["status"],
        "paymentBehaviour": credit["paymentBehaviour"],
        "billingAccount": {
            "id": account,
            "href": f"{base}/billingAccounts/{account}",
            "@referredType": "HomeBillingAccount" if credit["system"] == "rr" else "MobileBillingAccount",
        },
        "principal": _money(credit["principal"]),
        "outstandingBalance": _money(credit["outstandingBalance"]),
        "overdueAmount": _money(credit["overdueAmount"]),
        "installments": {
            "count": credit["installmentCount"],
            "amount": _money(credit["installmentAmount"]),
            "paid": credit["installmentsPaid"],
            "pending": credit["installmentsPending"],
            "overdue": credit["installmentsOverdue"],
            "nextDueDate": credit.get("nextDueDate"),
            "daysPastDue": credit["daysPastDue"],
        },
    }


def customer_credits(backoffice: Backoffice, ctx: CallContext, base: str, customer_id: str) -> dict:
    credits = backoffice.ascard.customer_credits(ctx, customer_id)
    views = [credit_view(c, base) for c in credits]
    return {
        "customerId": customer_id,
        "href": f"{base}/customers/{customer_id}/credits",
        "credits": views,
        "outstandingBalance": _money(sum(c["outstandingBalance"] for c in credits)),
        "overdueAmount": _money(sum(c["overdueAmount"] for c in credits)),
        "inArrears": sum(1 for c in credits if c["status"] == "en_mora"),
    }
