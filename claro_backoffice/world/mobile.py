"""Mobile (móvil) accounts as AC holds them, their lines and devices, and the PortalPAC settings of each line."""

from __future__ import annotations

import datetime as dt
import random
from typing import TYPE_CHECKING

from claro_backoffice.world.identifiers import iccid, imei

if TYPE_CHECKING:
    from claro_backoffice.world.people import PhoneBook

# Type allocation codes per device family (first 8 IMEI digits); synthetic but stable.
_TAC = {
    "Samsung": "35391110",
    "Apple": "35325311",
    "Xiaomi": "86263105",
    "Motorola": "35846711",
    "Huawei": "86754603",
    "Nokia": "35407215",
    "Alcatel": "35932708",
}


def make_mobile_account(rng: random.Random, number: str, party: dict, billing_type: str, created: str) -> dict:
    """A prepaid account is never billed: it has no billing cycle (the draw is made anyway, so every number drawn
    after it stays what it was)."""
    cycle = rng.choice((1, 8, 15, 22))
    return {
        "account_number": number,
        "customer_id": party["customer_id"],
        "billing_type": billing_type,
        "status": "activa",
        "billing_cycle": cycle if billing_type == "postpago" else None,
        "created_at": created,
    }


def make_line(
    rng: random.Random,
    msisdn: str,
    ported_from: str | None,
    account: dict,
    plan: dict,
    device: dict,
    cell: dict,
    reference: dt.date,
    side: random.Random,
) -> dict:
    """A line is activated after its account was opened (and at least 30 days before `reference`): when the first
    draw falls earlier, the date is redrawn from `side` between the two."""
    activated = reference - dt.timedelta(days=rng.randrange(30, 3000))
    opened = dt.date.fromisoformat(account["created_at"])
    if activated < opened:
        activated = opened + dt.timedelta(days=side.randrange(max((reference - opened).days - 30, 0) + 1))
    suspended = rng.random() < 0.04
    return {
        "msisdn": msisdn,
        "account_number": account["account_number"],
        "customer_id": account["customer_id"],
        "plan_code": plan["plan_code"],
        "line_type": plan["line_type"],
        "status": "suspendida" if suspended else "activa",
        "suspension_reason": rng.choice(("mora", "hurto", "solicitud_cliente")) if suspended else None,
        "suspended_at": (reference - dt.timedelta(days=rng.randrange(1, 20))).isoformat() if suspended else None,
        "activation_date": activated.isoformat(),
        "iccid": iccid(f"{rng.randrange(10**11):011d}"),
        "imei": imei(_TAC[device["model"].split(" ")[0]], f"{rng.randrange(10**6):06d}"),
        "device_model": device["model"],
        "volte_capable": device["volte"],
        "ported_from": ported_from,
        "home_cell_id": cell["cell_id"],
    }


def make_line_settings(rng: random.Random, line: dict, plan: dict, phonebook: PhoneBook) -> tuple[dict, list[dict]]:
    """VoLTE state and the Familia y Amigos numbers of a line (PortalPAC)."""
    volte = "active" if (line["volte_capable"] and plan["volte_allowed"] and rng.random() < 0.75) else "inactive"
    friends = []
    for slot in range(rng.randrange(0, plan["friends_and_family_max"] + 1)):
        number = phonebook.claro_mobile() if rng.random() < 0.8 else phonebook.ported_mobile()[0]
        friends.append({"msisdn": line["msisdn"], "slot": slot + 1, "number": number})
    return {"msisdn": line["msisdn"], "volte_status": volte}, friends


def split_shared_data(rng: random.Random, account: dict, lines: list[dict], plan: dict) -> list[dict]:
    """Datos Compartidos: the plan's pool split among the account's lines (whole GB, never above the pool)."""
    total = plan["shared_data_gb"]
    if not total or len(lines) < 2:
        return []
    spare = rng.choice((0, 0, 5, 10))
    remaining = total - spare
    rows = []
    for i, line in enumerate(lines):
        quota = remaining if i == len(lines) - 1 else max(1, remaining // (len(lines) - i) + rng.randrange(-3, 4))
        quota = min(quota, remaining - (len(lines) - i - 1))
        remaining -= quota
        rows.append(
            {"account_number": account["account_number"], "msisdn": line["msisdn"], "quota_gb": quota, "pool_gb": total}
        )
    return rows
