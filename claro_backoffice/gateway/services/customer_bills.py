"""TMF678 customerBill from Paradigma's invoices, and the change of an account's bill delivery.

Mapping (Paradigma -> TMF678 CustomerBill, `@type` CustomerBill, `@schemaLocation` this gateway's schema):
invoiceId -> id and billNo; state kept (Paradigma already speaks TMF678 values: new, onHold, validated, sent,
settled, partiallyPaid); issueDate -> billDate (00:00 Bogotá); dueDate -> paymentDueDate (23:59:59 Bogotá, the
end of the day it falls due); amount -> amountDue and taxIncludedAmount (Colombian invoices include IVA);
balanceDue -> remainingAmount; all Money {unit: COP, value}; period YYYY-MM -> billingPeriod (first day 00:00 to
last day 23:59:59 Bogotá); pdfUrl -> billDocument[0] (an application/pdf attachment; none for a physical one);
the account -> billingAccount ref (HomeBillingAccount for RR, MobileBillingAccount for AC) and the holder ->
relatedParty. Extensions: overdue, deliveryMode, amountPaid, system and, on GET /customerBill/{id}, billLine
(Paradigma's invoice lines, credits negative).
"""

from __future__ import annotations

import calendar

from claro_backoffice.gateway.backoffice import Backoffice
from claro_backoffice.gateway.backoffice.base import CallContext
from claro_backoffice.gateway.services import shapes

BOGOTA = "-05:00"  # Colombia keeps UTC-5 all year (no daylight saving)
ACCOUNT_TYPE = {"rr": "HomeBillingAccount", "ac": "MobileBillingAccount"}


def money(value: int) -> dict:
    return {"unit": "COP", "value": value}


def billing_period(period: str) -> dict:
    year, month = (int(p) for p in period.split("-"))
    last = calendar.monthrange(year, month)[1]
    return {"startDateTime": f"{period}-01T00:00:00{BOGOTA}", "endDateTime": f"{period}-{last:02d}T23:59:59{BOGOTA}"}


def billing_account_ref(account_number: str, system: str, base: str) -> dict:
    return {
        "id": account_number,
        "href": f"{base}/billingAccounts/{account_number}",
        "@referredType": ACCOUNT_TYPE.get(system, "BillingAccount"),
    }


def customer_bill(invoice: dict, base: str) -> dict:
    number = invoice["invoiceId"]
    bill = {
        "id": number,
        "href": f"{base}/customerBill/{number}",
        "billNo": number,
        "category": "normal",
        "runType": "onCycle",
        "state": invoice["state"],
        "billDate": f"{invoice['issueDate']}T00:00:00{BOGOTA}",
        "paymentDueDate": f"{invoice['dueDate']}T23:59:59{BOGOTA}",
        "billingPeriod": billing_period(invoice["period"]),
        "amountDue": money(invoice["amount"]),
        "taxIncludedAmount": money(invoice["amount"]),
        "remainingAmount": money(invoice["balanceDue"]),
        "billDocument": (
            [
                {
                    "id": f"{number}-pdf",
                    "href": invoice["pdfUrl"],
                    "url": invoice["pdfUrl"],
                    "name": f"{number}.pdf",
                    "mimeType": "application/pdf",
                    "attachmentType": "bill",
                    "@type": "Attachment",
                }
            ]
            if invoice.get("pdfUrl")
            else []
        ),
        "billingAccount": billing_account_ref(invoice["accountNumber"], invoice["system"], base),
        "relatedParty": [shapes.related_customer(invoice["customerId"], None, base)],
        "system": invoice["system"],
        "deliveryMode": invoice["deliveryMode"],
        "overdue": invoice["overdue"],
        "amountPaid": money(invoice["amountPaid"]),
        "@type": "CustomerBill",
        "@baseType": "CustomerBill",
        "@schemaLocation": shapes.schema_location(base, "CustomerBill"),
    }
    if "lines" in invoice:
        bill["billLine"] = [
            {
                "lineNumber": line["lineNumber"],
                "description": line["description"],
                "kind": line["kind"],
                "amount": money(line["amount"]),
                "adjustmentId": line.get("adjustmentId"),
            }
            for line in invoice["lines"]
        ]
    return bill


def list_customer_bills(
    backoffice: Backoffice,
    ctx: CallContext,
    base: str,
    account_id: str,
    state: str | None = None,
    limit: int | None = None,
    offset: int | None = None,
) -> tuple[list, int]:
    """(bills newest first, total Paradigma has for that filter)."""
    page = backoffice.paradigma.invoices(ctx, account_id, state=state, limit=limit, offset=offset)
    return [customer_bill(i, base) for i in page["invoices"]], page["total"]


def get_customer_bill(backoffice: Backoffice, ctx: CallContext, base: str, bill_id: str) -> dict:
    return customer_bill(backoffice.paradigma.invoice(ctx, bill_id), base)


def change_bill_delivery(
    backoffice: Backoffice, ctx: CallContext, base: str, account_id: str, mode: str, email: str | None = None
) -> dict:
    """Paradigma's delivery after the change: mode/email still in effect, pendingChange, effectiveFrom, message."""
    answer = backoffice.paradigma.change_delivery(ctx, account_id, mode, email)
    pending = answer.get("pendingChange")
    return {
        "billingAccount": {"id": account_id, "href": f"{base}/billingAccounts/{account_id}"},
        "mode": answer["mode"],
        "email": answer.get("email"),
        "address": answer.get("address"),
        "municipality": answer.get("municipality"),
        "billingCycle": answer["billingCycle"],
        "nextIssueDate": answer["nextIssueDate"],
        "pendingChange": None
        if pending is None
        else {
            "mode": pending["mode"],
            "email": pending.get("email"),
            "requestedAt": pending["requestedAt"],
            "effectiveFrom": pending["effectiveFrom"],
        },
        "effectiveFrom": answer.get("effectiveFrom"),
        "message": answer["message"],
    }
