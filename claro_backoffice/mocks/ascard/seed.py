"""ASCARD's slice of the world: the device credits charged to home (RR) and mobile (AC) accounts, their
installment schedules, the payments that settled them, and the customers and accounts ASCARD can be asked about.

Each installment keeps the Paradigma invoice that billed it ("Cuota N financiación <product>" lines of the
world's invoices), so both systems tell the same story.
"""

from __future__ import annotations

import json
import re

from claro_backoffice.world.build import World

# What serves each table, for fixtures (mocks/kit/served.py): the spec's schemas whose same-named
# properties a planted value must fit; a "!column" is not checked (stored in another form, or another meaning).
SERVED_AS = {
    "customers": (),
    "accounts": (),
    "credits": ("CreditSummary", "Credit"),
    "installments": ("Installment",),
    "payments": ("Payment",),
}

_CUOTA = re.compile(r"^Cuota (?P<number>\d+) financiación (?P<product>.+)$")


def seed(db, world: World) -> None:
    t = world.tables
    db["customers"].insert_all(
        (
            {
                "customer_id": p["customer_id"],
                "document_type": p["document_type"],
                "document_number": p["document_number"],
                "full_name": _name(p),
            }
            for p in t["parties"]
        ),
        pk="customer_id",
    )
    accounts = [
        {"account_number": a["account_number"], "system": "rr", "customer_id": a["customer_id"]}
        for a in t["home_accounts"]
    ]
    accounts += [
        {"account_number": a["account_number"], "system": "ac", "customer_id": a["customer_id"]}
        for a in t["mobile_accounts"]
    ]
    db["accounts"].insert_all(accounts, pk="account_number", foreign_keys=[("customer_id", "customers")])
    db["accounts"].create_index(["customer_id"])
    db["credits"].create(
        {
            "credit_id": str,
            "customer_id": str,
            "account_number": str,
            "system": str,
            "product": str,
            "imei": str,
            "principal": int,
            "installment_count": int,
            "installment_amount": int,
            "start_date": str,
            "base_behaviour": str,
        },
        pk="credit_id",
        foreign_keys=[("customer_id", "customers"), ("account_number", "accounts")],
        not_null={
            "customer_id",
            "account_number",
            "system",
            "product",
            "principal",
            "installment_count",
            "installment_amount",
            "start_date",
            "base_behaviour",
        },
        defaults={"base_behaviour": "excelente"},
    )
    db["credits"].insert_all(_credit(c) for c in t["credits"])
    db["credits"].create_index(["customer_id"])
    db["credits"].create_index(["account_number"])
    billed = _billed_on(world)
    db["installments"].create(
        {
            "credit_id": str,
            "number": int,
            "due_date": str,
            "amount": int,
            "amount_paid": int,
            "status": str,
            "paid_at": str,
            "invoice_id": str,
        },
        pk=("credit_id", "number"),
        foreign_keys=[("credit_id", "credits")],
        not_null={"due_date", "amount", "amount_paid", "status"},
        defaults={"amount_paid": 0, "status": "pending"},
    )
    db["installments"].insert_all(
        {
            "credit_id": i["credit_id"],
            "number": i["number"],
            "due_date": i["due_date"],
            "amount": i["amount"],
            "amount_paid": i["amount"] if i["status"] == "paid" else 0,
            "status": i["status"],
            "paid_at": i["paid_at"],
            "invoice_id": billed.get((i["credit_id"], i["number"])),
        }
        for i in t["credit_installments"]
    )
    db["payments"].create(
        {
            "payment_id": str,
            "credit_id": str,
            "amount": int,
            "channel": str,
            "paid_at": str,
            "registered_by": str,
            "allocations": str,
        },
        pk="payment_id",
        foreign_keys=[("credit_id", "credits")],
        not_null={"amount", "channel", "paid_at"},
        defaults={"channel": "factura", "allocations": "[]"},
    )
    db["payments"].insert_all(_payments(world))
    db["payments"].create_index(["credit_id"])


def _name(party: dict) -> str:
    return party["business_name"] or f"{party['first_name']} {party['last_name']}"


def _credit(credit: dict) -> dict:
    """The world's credit without its derived fields: ASCARD computes those from the installments at read time.
    `base_behaviour` is how the customer paid before any arrears (excelente / bueno)."""
    behaviour = credit["payment_behaviour"]
    return {
        "credit_id": credit["credit_id"],
        "customer_id": credit["customer_id"],
        "account_number": credit["account_number"],
        "system": credit["system"],
        "product": credit["product"],
        "imei": credit["imei"],
        "principal": credit["principal"],
        "installment_count": credit["installments"],
        "installment_amount": credit["installment_amount"],
        "start_date": credit["start_date"],
        "base_behaviour": behaviour if behaviour in ("excelente", "bueno") else "bueno",
    }


def _billed_on(world: World) -> dict[tuple[str, int], str]:
    """(credit_id, installment number) -> the invoice whose "Cuota N financiación <product>" line billed it."""
    t = world.tables
    credits_by_account: dict[str, list[dict]] = {}
    for credit in t["credits"]:
        credits_by_account.setdefault(credit["account_number"], []).append(credit)
    account_of_invoice = {i["invoice_id"]: i["account_number"] for i in t["invoices"]}
    billed = {}
    for line in t["invoice_lines"]:
        match = _CUOTA.match(line["description"])
        if not match:
            continue
        for credit in credits_by_account.get(account_of_invoice[line["invoice_id"]], []):
            if credit["product"] == match["product"]:
                billed[(credit["credit_id"], int(match["number"]))] = line["invoice_id"]
    return billed


def _payments(world: World):
    """One payment per paid installment, with the invoice (channel `factura`), on the day the world says."""
    paid = sorted(
        (i for i in world.tables["credit_installments"] if i["status"] == "paid"),
        key=lambda i: (i["paid_at"], i["credit_id"], i["number"]),
    )
    for n, inst in enumerate(paid, start=1):
        yield {
            "payment_id": f"PG{world.config.seed % 1000:03d}{n:07d}",
            "credit_id": inst["credit_id"],
            "amount": inst["amount"],
            "channel": "factura",
            "paid_at": inst["paid_at"],
            "registered_by": None,
            "allocations": json.dumps(
                [{"number": inst["number"], "applied": inst["amount"], "installment_status": "paid"}]
            ),
        }
