"""Paradigma's slice of the world: the billing accounts (home accounts and mobile accounts, prepaid ones included
so they can be told apart), the last invoices with their lines, how each account receives its invoice, and the
device-financing installments that will appear on future invoices.

Data the world doesn't hold is derived here, deterministically: what was paid of a partially paid invoice, and a
mailing address for mobile accounts of customers without a home account."""

from __future__ import annotations

import random

from claro_backoffice.world.addresses import localise
from claro_backoffice.world.build import World

# What serves each table, for fixtures (mocks/kit/served.py): the spec's schemas whose same-named
# properties a planted value must fit; a "!column" is not checked (stored in another form, or another meaning).
SERVED_AS = {
    "accounts": ("BillingAccount", "!billing_type"),
    "invoices": ("Invoice",),
    "invoice_lines": ("InvoiceLine",),
    "delivery": ("Delivery",),
    "delivery_changes": ("PendingChange",),
    "installments": (),
    "credit_applications": (),
}

INSTALLMENT_PREFIX = "Cuota "


def seed(db, world: World) -> None:
    t = world.tables
    db["accounts"].insert_all(_accounts(world), pk="account_number")
    db["accounts"].create_index(["customer_id"])
    db["invoices"].insert_all(_invoices(world), pk="invoice_id", foreign_keys=[("account_number", "accounts")])
    db["invoices"].create_index(["account_number", "issue_date"])
    db["invoice_lines"].insert_all(
        (
            dict(
                line,
                kind="installment" if line["description"].startswith(INSTALLMENT_PREFIX) else "charge",
                adjustment_id=None,
            )
            for line in t["invoice_lines"]
        ),
        pk=("invoice_id", "line_number"),
        foreign_keys=[("invoice_id", "invoices")],
    )
    db["delivery"].insert_all(
        ({k: d[k] for k in ("account_number", "mode", "email")} for d in t["bill_delivery"]),
        pk="account_number",
        foreign_keys=[("account_number", "accounts")],
    )
    db["delivery_changes"].create(
        {
            "change_id": int,
            "account_number": str,
            "mode": str,
            "email": str,
            "requested_at": str,
            "effective_from": str,
            "advisor": str,
        },
        pk="change_id",
    )
    db["delivery_changes"].create_index(["account_number", "effective_from"])
    credits = {c["credit_id"]: c for c in t["credits"]}
    db["installments"].insert_all(
        (
            {
                "credit_id": i["credit_id"],
                "number": i["number"],
                "account_number": credits[i["credit_id"]]["account_number"],
                "product": credits[i["credit_id"]]["product"],
                "due_date": i["due_date"],
                "amount": i["amount"],
            }
            for i in t["credit_installments"]
        ),
        pk=("credit_id", "number"),
    )
    db["installments"].create_index(["account_number", "due_date"])
    db["credit_applications"].create(
        {"adjustment_id": str, "invoice_id": str, "line_number": int, "amount": int}, pk=("adjustment_id", "invoice_id")
    )


def _accounts(world: World):
    t = world.tables
    parties = {p["customer_id"]: p for p in t["parties"]}
    municipalities = {m["code"]: m for m in world.catalogues.municipalities}
    home_of = {}
    for a in t["home_accounts"]:
        home_of.setdefault(a["customer_id"], a)
    from faker import Faker  # only when seeding: a warm start never imports it

    fake = Faker("es_CO")
    fake.seed_instance(random.Random(f"{world.config.seed}:paradigma:addresses").getrandbits(32))
    plates = random.Random(f"{world.config.seed}:paradigma:plates")

    def holder(party):
        return party["business_name"] or f"{party['first_name']} {party['last_name']}"

    for a in t["home_accounts"]:
        yield {
            "account_number": a["account_number"],
            "system": "rr",
            "customer_id": a["customer_id"],
            "holder_name": holder(parties[a["customer_id"]]),
            "billing_type": "hogar",
            "billing_cycle": a["billing_cycle"],
            "address": a["address"],
            "municipality": a["municipality"],
            "department": a["department"],
        }
    for a in t["mobile_accounts"]:
        party = parties[a["customer_id"]]
        home = home_of.get(a["customer_id"])
        municipality = municipalities[party["municipality_code"]]
        yield {
            "account_number": a["account_number"],
            "system": "ac",
            "customer_id": a["customer_id"],
            "holder_name": holder(party),
            "billing_type": a["billing_type"],
            "billing_cycle": a["billing_cycle"],
            "address": home["address"] if home else localise(fake.street_address(), municipality, plates),
            "municipality": home["municipality"] if home else municipality["name"],
            "department": home["department"] if home else municipality["department"],
        }


def _invoices(world: World):
    """The world's invoices, with the mode each was delivered in and what has been paid of it."""
    rng = random.Random(f"{world.config.seed}:paradigma:payments")
    delivery = {d["account_number"]: d for d in world.tables["bill_delivery"]}
    for invoice in world.tables["invoices"]:
        paid = {"settled": invoice["amount"], "partiallyPaid": round(invoice["amount"] * rng.uniform(0.3, 0.8), -2)}
        yield {k: v for k, v in invoice.items() if k != "system"} | {
            "system": invoice["system"],
            "amount_paid": int(paid.get(invoice["state"], 0)),
            "delivery_mode": delivery[invoice["account_number"]]["mode"],
            "delivery_email": delivery[invoice["account_number"]]["email"],
            "source": "world",
        }
