"""CMAX's slice of the world: every mobile line (postpaid, prepaid, business) with its prepaid balance, the bundles
(paquetes) it bought or its plan renews, its recharge history and the services provisioned on the platform.

The world holds the lines and plans; balances, bundles and recharges are derived here, deterministically, from
the world's identifiers (random.Random(f"{seed}:cmax:<purpose>")).
"""

from __future__ import annotations

import datetime as dt
import random

from claro_backoffice.world.build import World

# What serves each table, for fixtures (mocks/kit/served.py): the spec's schemas whose same-named
# properties a planted value must fit; a "!column" is not checked (stored in another form, or another meaning).
SERVED_AS = {
    "bundle_offers": ("BundleOffer",),
    "lines": ("Balance", "Provisioning"),
    "line_services": ("Provisioning/properties/services/items",),
    "bundles": ("Bundle",),
    "recharges": ("Recharge",),
}

# Bundle catalogue (COP, VAT included). data_mb/minutes/sms None = not part of the bundle; -1 = unlimited.
OFFERS = (
    {
        "offer_code": "DAT-1D-1GB",
        "name": "Paquete 1 día 1 GB",
        "price": 3000,
        "validity_days": 1,
        "data_mb": 1024,
        "minutes": None,
        "sms": None,
    },
    {
        "offer_code": "DAT-7D-3GB",
        "name": "Paquete 7 días 3 GB",
        "price": 10000,
        "validity_days": 7,
        "data_mb": 3072,
        "minutes": None,
        "sms": None,
    },
    {
        "offer_code": "DAT-15D-8GB",
        "name": "Paquete 15 días 8 GB",
        "price": 20000,
        "validity_days": 15,
        "data_mb": 8192,
        "minutes": None,
        "sms": None,
    },
    {
        "offer_code": "DAT-30D-20GB",
        "name": "Paquete 30 días 20 GB",
        "price": 40000,
        "validity_days": 30,
        "data_mb": 20480,
        "minutes": None,
        "sms": None,
    },
    {
        "offer_code": "TODO-7D",
        "name": "Paquete Todo Incluido 7 días",
        "price": 15000,
        "validity_days": 7,
        "data_mb": 3072,
        "minutes": 300,
        "sms": 50,
    },
    {
        "offer_code": "VOZ-30D-500",
        "name": "Paquete 30 días 500 minutos",
        "price": 12000,
        "validity_days": 30,
        "data_mb": None,
        "minutes": 500,
        "sms": None,
    },
    {
        "offer_code": "RED-30D",
        "name": "Paquete Redes Sociales 30 días (WhatsApp, Facebook)",
        "price": 8000,
        "validity_days": 30,
        "data_mb": -1,
        "minutes": None,
        "sms": None,
    },
    {
        "offer_code": "ROA-7D-2GB",
        "name": "Paquete Roaming Américas 7 días 2 GB",
        "price": 60000,
        "validity_days": 7,
        "data_mb": 2048,
        "minutes": 60,
        "sms": None,
    },
)
CHANNELS = ("efecty", "pse", "tienda_claro", "app_mi_claro")
FAILURE_REASONS = (
    "Tiempo de espera agotado con la plataforma de recargas",
    "Pago recibido sin confirmación del recaudador",
    "Error de conciliación entre el canal y CMAX",
)
_AMOUNTS = (2000, 3000, 5000, 10000, 10000, 15000, 20000, 20000, 30000, 50000)
SERVICES = ("voz", "datos", "sms", "volte", "roaming")


def seed(db, world: World) -> None:
    t = world.tables
    plans = {p["plan_code"]: p for p in t["mobile_plans"]}
    parties = {p["customer_id"]: p for p in t["parties"]}
    volte = {s["msisdn"]: s["volte_status"] for s in t["line_settings"]}
    db["bundle_offers"].insert_all(OFFERS, pk="offer_code")
    db["lines"].create(
        {
            "msisdn": str,
            "account_number": str,
            "customer_id": str,
            "line_type": str,
            "segment": str,
            "plan_code": str,
            "plan_name": str,
            "status": str,
            "suspension_reason": str,
            "iccid": str,
            "imsi": str,
            "main_balance": int,
            "recharge_outcome": str,
        },
        pk="msisdn",
        not_null={
            "account_number",
            "customer_id",
            "line_type",
            "plan_code",
            "plan_name",
            "status",
            "iccid",
            "imsi",
            "main_balance",
            "segment",
            "recharge_outcome",
        },
        defaults={"status": "activa", "segment": "personas", "main_balance": 0, "recharge_outcome": "applied"},
    )
    db["lines"].insert_all(_lines(world, plans, parties))
    db["lines"].create_index(["account_number"])
    db["lines"].create_index(["customer_id"])
    db["line_services"].create(
        {"msisdn": str, "service": str, "state": str, "detail": str, "updated_at": str},
        pk=("msisdn", "service"),
        foreign_keys=[("msisdn", "lines")],
        not_null={"state"},
        defaults={"state": "active"},
    )
    db["line_services"].insert_all(_services(world, plans, volte))
    db["bundles"].create(
        {
            "bundle_id": str,
            "msisdn": str,
            "offer_code": str,
            "name": str,
            "data_mb": int,
            "minutes": int,
            "sms": int,
            "data_used_mb": int,
            "minutes_used": int,
            "sms_used": int,
            "price": int,
            "source": str,
            "activated_at": str,
            "expires_at": str,
        },
        pk="bundle_id",
        foreign_keys=[("msisdn", "lines")],
        not_null={"msisdn", "offer_code", "name", "activated_at", "expires_at"},
        defaults={"data_used_mb": 0, "minutes_used": 0, "sms_used": 0, "price": 0, "source": "compra"},
    )
    db["bundles"].insert_all(_bundles(world))
    db["bundles"].create_index(["msisdn"])
    db["recharges"].create(
        {
            "reference": str,
            "msisdn": str,
            "amount": int,
            "channel": str,
            "status": str,
            "requested_at": str,
            "applied_at": str,
            "failure_reason": str,
            "reapplied_by": str,
            "reapplied_at": str,
            "balance_after": int,
        },
        pk="reference",
        foreign_keys=[("msisdn", "lines")],
        not_null={"msisdn", "amount", "status", "channel", "requested_at"},
        defaults={"status": "not_applied", "channel": "efecty"},
    )
    db["recharges"].insert_all(_recharges(world))
    db["recharges"].create_index(["msisdn", "requested_at"])


def _lines(world: World, plans: dict, parties: dict):
    rng = random.Random(f"{world.config.seed}:cmax:balance")
    for line in world.tables["lines"]:
        plan = plans[line["plan_code"]]
        prepaid = line["line_type"] == "prepago"
        if prepaid:
            balance = rng.randrange(0, 60001, 50) if rng.random() < 0.85 else 0
        else:
            balance = rng.randrange(500, 20001, 50) if rng.random() < 0.3 else 0
        business = parties[line["customer_id"]]["document_type"] == "NIT"
        yield {
            "msisdn": line["msisdn"],
            "account_number": line["account_number"],
            "customer_id": line["customer_id"],
            "line_type": line["line_type"],
            "segment": "empresas" if business else "personas",
            "plan_code": line["plan_code"],
            "plan_name": plan["name"],
            "status": line["status"],
            "suspension_reason": line["suspension_reason"],
            "iccid": line["iccid"],
            "imsi": "732101" + line["iccid"][7:16],
            "main_balance": balance,
            "recharge_outcome": "applied",
        }


def _services(world: World, plans: dict, volte: dict):
    rng = random.Random(f"{world.config.seed}:cmax:provisioning")
    for line in world.tables["lines"]:
        plan = plans[line["plan_code"]]
        postpaid = line["line_type"] == "postpago"
        states = {
            "voz": "active",
            "datos": "active",
            "sms": "active",
            "volte": "active" if volte.get(line["msisdn"]) == "active" else "inactive",
            "roaming": "active" if postpaid and rng.random() < 0.25 else "inactive",
        }
        details = {s: None for s in SERVICES}
        if not (line["volte_capable"] and plan["volte_allowed"]):
            details["volte"] = "Equipo o plan sin soporte VoLTE"
        if line["status"] == "activa" and rng.random() < 0.04:
            states["datos"] = "error"
            details["datos"] = "Perfil de datos (APN internet.comcel.com.co) sin aprovisionar en HLR"
        since = dt.date.fromisoformat(line["activation_date"]).isoformat()
        for service in SERVICES:
            yield {
                "msisdn": line["msisdn"],
                "service": service,
                "state": states[service],
                "detail": details[service],
                "updated_at": since,
            }


def _at(world: World, rng: random.Random, days_back: int) -> dt.datetime:
    """A moment `days_back` days before the world's now, at a waking hour; never after now."""
    day = world.now - dt.timedelta(days=days_back)
    when = day.replace(hour=rng.randrange(6, 23), minute=rng.randrange(60), second=rng.randrange(60))
    return min(when, world.now - dt.timedelta(minutes=rng.randrange(5, 90)))


def _bundle(world, n, msisdn, offer, activated, used_share, source):
    data = offer["data_mb"]
    return {
        "bundle_id": f"PQ{world.config.seed % 1000:03d}{n:07d}",
        "msisdn": msisdn,
        "offer_code": offer["offer_code"],
        "name": offer["name"],
        "data_mb": data,
        "minutes": offer["minutes"],
        "sms": offer["sms"],
        "data_used_mb": int(data * used_share) if data and data > 0 else 0,
        "minutes_used": int((offer["minutes"] or 0) * used_share * 0.6),
        "sms_used": int((offer["sms"] or 0) * used_share * 0.3),
        "price": offer["price"],
        "source": source,
        "activated_at": activated.isoformat(),
        "expires_at": (activated + dt.timedelta(days=offer["validity_days"])).isoformat(),
    }


def _bundles(world: World):
    """Weekly plan bundles of Todo Incluido lines, data packages bought by prepaid lines, extras of postpaid ones."""
    rng = random.Random(f"{world.config.seed}:cmax:bundles")
    offers = {o["offer_code"]: o for o in OFFERS}
    n = 0
    for line in world.tables["lines"]:
        msisdn = line["msisdn"]
        picks = []
        if line["plan_code"] == "PRE-TODO-7":
            start = _at(world, rng, rng.randrange(0, 7))
            picks += [("TODO-7D", start - dt.timedelta(days=7), 1.0, "plan"), ("TODO-7D", start, rng.random(), "plan")]
        elif line["line_type"] == "prepago":
            if rng.random() < 0.5:
                code = rng.choice(("DAT-1D-1GB", "DAT-7D-3GB", "DAT-7D-3GB", "DAT-15D-8GB", "VOZ-30D-500"))
                days = rng.randrange(0, offers[code]["validity_days"])
                picks.append((code, _at(world, rng, days), rng.random() * 0.9, "compra"))
            if rng.random() < 0.6:
                picks.append(("DAT-7D-3GB", _at(world, rng, rng.randrange(10, 40)), 1.0, "compra"))
            if rng.random() < 0.3:
                picks.append(("RED-30D", _at(world, rng, rng.randrange(0, 30)), 0.0, "recarga"))
        elif rng.random() < 0.15:
            code = rng.choice(("DAT-7D-3GB", "RED-30D", "ROA-7D-2GB"))
            days = rng.randrange(0, offers[code]["validity_days"] + 10)
            picks.append((code, _at(world, rng, days), rng.random(), "compra"))
        for code, activated, used, source in picks:
            n += 1
            yield _bundle(world, n, msisdn, offers[code], activated, used, source)


def _recharges(world: World):
    """Recharges of the last ~4 months: several per prepaid line, a few on postpaid ones; a few never applied
    (and at least one in every world, so the advisor's re-apply case always exists)."""
    rng = random.Random(f"{world.config.seed}:cmax:recharges")
    rows = []
    for line in world.tables["lines"]:
        if line["line_type"] == "prepago":
            count = rng.randrange(3, 11)
        else:
            count = rng.randrange(1, 3) if rng.random() < 0.2 else 0
        for days_back in sorted((rng.randrange(0, 120) for _ in range(count)), reverse=True):
            requested = _at(world, rng, days_back)
            roll = rng.random()
            status = "applied"
            if days_back <= 5 and roll < 0.3:
                status = "pending"
            elif roll < 0.06:
                status = "not_applied"
            applied = requested + dt.timedelta(seconds=rng.randrange(2, 40)) if status == "applied" else None
            rows.append(
                {
                    "msisdn": line["msisdn"],
                    "amount": rng.choice(_AMOUNTS),
                    "channel": rng.choice(CHANNELS),
                    "status": status,
                    "requested_at": requested.isoformat(),
                    "applied_at": applied.isoformat() if applied else None,
                    "failure_reason": rng.choice(FAILURE_REASONS) if status == "not_applied" else None,
                    "reapplied_by": None,
                    "reapplied_at": None,
                    "balance_after": None,
                }
            )
    if rows and not any(r["status"] == "not_applied" for r in rows):
        newest = max(rows, key=lambda r: r["requested_at"])
        newest.update(status="not_applied", applied_at=None, failure_reason=FAILURE_REASONS[0])
    rows.sort(key=lambda r: r["requested_at"])
    for n, row in enumerate(rows, start=1):
        row["reference"] = f"RC{world.config.seed % 1000:03d}{n:07d}"
    return rows
