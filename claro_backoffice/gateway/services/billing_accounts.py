"""TMF666 billing accounts: a home account in RR (8 digits) or a mobile account in AC (10 digits), told apart by
the number's format alone. The account, then its holder (for the relatedParty's name): two calls to one system.
An unknown account is the system's 404, naming it."""

from __future__ import annotations

from claro_backoffice.gateway.backoffice import Backoffice
from claro_backoffice.gateway.backoffice.base import CallContext
from claro_backoffice.gateway.domain_errors import NotFound
from claro_backoffice.gateway.services import shapes
from claro_backoffice.world.identifiers import account_system


def get_billing_account(backoffice: Backoffice, ctx: CallContext, base: str, account_id: str) -> dict:
    system = account_system(account_id)
    if system is None:  # the spec's pattern keeps this out; a guard, not a rule
        raise NotFound(
            f"{account_id} is neither an RR home account (8 digits) nor an AC mobile account (10 digits)",
            "account-not-found",
        )
    adapter = backoffice.account_holder(system)
    account = adapter.account(ctx, account_id)
    holder = adapter.subscriber(ctx, account["customerId"])
    party = shapes.related_customer(account["customerId"], shapes.party_name(holder), base)
    if system == "rr":
        return shapes.home_account(account, party, base)
    return shapes.mobile_account(account, party, base)
