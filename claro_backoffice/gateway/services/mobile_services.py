"""A mobile line's services in PortalPAC: VoLTE, Familia y Amigos, Datos Compartidos.

Views are camelCase copies of PortalPAC's answers with `accountNumber` named `accountId` (the gateway's name for a
billing account) and VoLTE's `pending_removal` written `pendingRemoval`. PortalPAC's refusals (unknown line 404,
change in progress or number already listed 409, device / plan / suspended line / maximum / pool 422) keep their
status and PortalPAC's detail, naming the system.

Datos Compartidos is per account in PortalPAC: the gateway asks PortalPAC for the line (its VoLTE view names the
line's account), reads the account's pool, and sends the correction for every line of the account with only this
line's quota changed (PortalPAC wants every line listed; the total can't exceed the pool: its 422).
"""

from __future__ import annotations

from claro_backoffice.gateway.backoffice import Backoffice
from claro_backoffice.gateway.backoffice.base import CallContext

VOLTE_STATUS = {"pending_removal": "pendingRemoval"}


def _account(view: dict) -> dict:
    view = dict(view)
    view["accountId"] = view.pop("accountNumber")
    return view


def volte_view(answer: dict) -> dict:
    view = _account(answer)
    view["status"] = VOLTE_STATUS.get(view["status"], view["status"])
    return view


def install_volte(backoffice: Backoffice, ctx: CallContext, msisdn: str) -> tuple[dict, int]:
    answer, status = backoffice.portalpac.install_volte(ctx, msisdn)
    return volte_view(answer), status


def uninstall_volte(backoffice: Backoffice, ctx: CallContext, msisdn: str) -> tuple[dict, int]:
    answer, status = backoffice.portalpac.uninstall_volte(ctx, msisdn)
    return volte_view(answer), status


def friends_and_family(backoffice: Backoffice, ctx: CallContext, msisdn: str) -> dict:
    return _account(backoffice.portalpac.friends_and_family(ctx, msisdn))


def add_friends_and_family(backoffice: Backoffice, ctx: CallContext, msisdn: str, number: str) -> dict:
    return _account(backoffice.portalpac.add_friends_and_family(ctx, msisdn, number))


def remove_friends_and_family(backoffice: Backoffice, ctx: CallContext, msisdn: str, number: str) -> dict:
    return _account(backoffice.portalpac.remove_friends_and_family(ctx, msisdn, number))


def set_line_shared_data(backoffice: Backoffice, ctx: CallContext, msisdn: str, quota_gb: int) -> dict:
    portalpac = backoffice.portalpac
    account = portalpac.volte(ctx, msisdn)["accountNumber"]
    pool = portalpac.shared_data(ctx, account)
    quotas = {line["msisdn"]: line["quotaGb"] for line in pool["lines"]}
    quotas[msisdn] = quota_gb
    view = _account(portalpac.set_shared_data(ctx, account, quotas))
    view["msisdn"] = msisdn
    return view
