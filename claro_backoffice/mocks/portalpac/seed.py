"""PortalPAC's slice of the world: the mobile plans (what each allows), the lines with their device and plan, each
line's VoLTE state, its Familia y Amigos numbers, and the Datos Compartidos quota of each line of a family plan.

An account's plan is the plan of its lines (the world gives every line of an account the same plan)."""

from __future__ import annotations

from claro_backoffice.world.build import World

# What serves each table, for fixtures (mocks/kit/served.py): the spec's schemas whose same-named
# properties a planted value must fit; a "!column" is not checked (stored in another form, or another meaning).
SERVED_AS = {
    "plans": ("Plan",),
    "accounts": (),
    "lines": ("Volte", "!status"),
    "line_settings": ("Volte",),
    "friends_and_family": ("FriendsAndFamily",),
    "shared_data": ("SharedData",),
    "operations": ("Operation",),
}

_LINE_COLUMNS = (
    "msisdn",
    "account_number",
    "customer_id",
    "plan_code",
    "line_type",
    "status",
    "suspension_reason",
    "device_model",
    "imei",
    "volte_capable",
)
_PLAN_COLUMNS = (
    "plan_code",
    "name",
    "line_type",
    "data_gb",
    "volte_allowed",
    "friends_and_family_max",
    "shared_data_gb",
)


def seed(db, world: World) -> None:
    t = world.tables
    db["plans"].insert_all(({c: p[c] for c in _PLAN_COLUMNS} for p in t["mobile_plans"]), pk="plan_code")
    plan_of_account = {}
    for line in t["lines"]:
        plan_of_account.setdefault(line["account_number"], line["plan_code"])
    db["accounts"].insert_all(
        (
            {
                "account_number": a["account_number"],
                "customer_id": a["customer_id"],
                "billing_type": a["billing_type"],
                "plan_code": plan_of_account.get(a["account_number"]),
            }
            for a in t["mobile_accounts"]
        ),
        pk="account_number",
        foreign_keys=[("plan_code", "plans")],
    )
    db["lines"].insert_all(
        ({c: line[c] for c in _LINE_COLUMNS} for line in t["lines"]),
        pk="msisdn",
        foreign_keys=[("plan_code", "plans"), ("account_number", "accounts")],
    )
    db["lines"].create_index(["account_number"])
    db["line_settings"].create(
        {
            "msisdn": str,
            "volte_status": str,
            "volte_requested_at": str,
            "volte_effective_at": str,
            "volte_operation_id": int,
        },
        pk="msisdn",
        foreign_keys=[("msisdn", "lines")],
    )
    db["line_settings"].insert_all(
        {"msisdn": s["msisdn"], "volte_status": s["volte_status"]} for s in t["line_settings"]
    )
    db["friends_and_family"].create(
        {"msisdn": str, "slot": int, "number": str, "added_at": str},
        pk=("msisdn", "slot"),
        foreign_keys=[("msisdn", "lines")],
    )
    db["friends_and_family"].insert_all(
        {k: f[k] for k in ("msisdn", "slot", "number")} for f in t["friends_and_family"]
    )
    db["friends_and_family"].create_index(["msisdn", "number"], unique=True)
    db["shared_data"].create(
        {"account_number": str, "msisdn": str, "quota_gb": int, "updated_at": str},
        pk=("account_number", "msisdn"),
        foreign_keys=[("account_number", "accounts"), ("msisdn", "lines")],
    )
    db["shared_data"].insert_all({k: s[k] for k in ("account_number", "msisdn", "quota_gb")} for s in t["shared_data"])
    db["operations"].create(
        {
            "operation_id": int,
            "msisdn": str,
            "account_number": str,
            "operation": str,
            "parameters": str,
            "advisor": str,
            "requested_at": str,
            "effective_at": str,
            "result": str,
            "detail": str,
        },
        pk="operation_id",
        foreign_keys=[("msisdn", "lines")],
    )
    db["operations"].create_index(["msisdn", "operation_id"])
