"""AC's slice of the world: mobile subscribers, their accounts and lines, the mobile plan catalogue, the
typification codes (every line of business, so a home code can be told apart from an unknown one), the history of
line status changes, a few past ticklers and two adjustment requests awaiting a supervisor (AJC00000001, AJC00000002:
mocks/kit/adjustments.py)."""

from __future__ import annotations

import datetime as dt
import random

from claro_backoffice.mocks.kit.adjustments import create_table, seeded_at
from claro_backoffice.world.build import World
from claro_backoffice.world.people import SUBSCRIBER_FIELDS

# What serves each table, for fixtures (mocks/kit/served.py): the spec's schemas whose same-named
# properties a planted value must fit; a "!column" is not checked (stored in another form, or another meaning).
SERVED_AS = {
    "subscribers": ("Subscriber",),
    "accounts": ("Account",),
    "plans": ("Plan",),
    "lines": ("Line",),
    "typifications": ("Typification",),
    "line_status_changes": ("StatusChange",),
    "ticklers": ("Tickler",),
    "adjustments": ("Adjustment",),
}

_ADVISORS = tuple(f"asesor.premium{n:02d}" for n in range(1, 13))
_PAST_TEXTS = {
    "SAC": "Cliente consulta por WhatsApp: {description}. Se brinda la información y el cliente queda conforme.",
    "SOPORTE": "Cliente reporta: {description}. Se valida la línea en AC y se dan recomendaciones.",
    "PQR": "Cliente radica: {description}. Se genera CUN y se informa el plazo de respuesta de 15 días hábiles.",
    "VENTAS": "Cliente interesado: {description}. Se envía la oferta por WhatsApp.",
}
_SUSPENSION_TEXTS = {
    "solicitud_cliente": "Cliente solicita suspensión temporal de la línea {msisdn}.",
    "hurto": "Cliente reporta hurto del equipo; se suspende la línea {msisdn} y se informa la reposición de SIM.",
}


def seed(db, world: World) -> None:
    t = world.tables
    mobiles = {a["customer_id"] for a in t["mobile_accounts"]}
    db["subscribers"].insert_all(
        (
            {c: p[c] for c in SUBSCRIBER_FIELDS} | {"segment": "premium" if p["premium"] else "masivo"}
            for p in t["parties"]
            if p["customer_id"] in mobiles
        ),
        pk="customer_id",
    )
    db["subscribers"].create_index(["document_type", "document_number"], unique=True)
    db["subscribers"].create_index(["contact_mobile"])
    db["accounts"].insert_all(t["mobile_accounts"], pk="account_number", foreign_keys=[("customer_id", "subscribers")])
    db["accounts"].create_index(["customer_id"])
    db["plans"].insert_all(t["mobile_plans"], pk="plan_code")
    db["lines"].insert_all(
        t["lines"], pk="msisdn", foreign_keys=[("account_number", "accounts"), ("plan_code", "plans")]
    )
    db["lines"].create_index(["account_number"])
    db["lines"].create_index(["customer_id"])
    db["lines"].create_index(["iccid"], unique=True)
    db["typifications"].insert_all(t["typifications"], pk="code")
    db["line_status_changes"].create(
        {
            "change_id": int,
            "msisdn": str,
            "status": str,
            "reason": str,
            "advisor": str,
            "iccid": str,
            "changed_at": str,
        },
        pk="change_id",
    )
    db["line_status_changes"].create_index(["msisdn"])
    db["line_status_changes"].insert_all(_past_suspensions(world))
    db["ticklers"].create(
        {
            "tickler_id": int,
            "account_number": str,
            "msisdn": str,
            "code": str,
            "description": str,
            "category": str,
            "text": str,
            "advisor": str,
            "resolved_first_contact": int,
            "cun": str,
            "created_at": str,
        },
        pk="tickler_id",
        foreign_keys=[("account_number", "accounts")],
    )
    db["ticklers"].create_index(["account_number", "created_at"])
    db["ticklers"].insert_all(sorted(_past_ticklers(world), key=lambda r: r["created_at"]))
    first, second = [a for a in t["mobile_accounts"] if a["billing_type"] == "postpago"][:2]
    create_table(
        db,
        [
            {
                "adjustment_id": "AJC00000001",
                "account_number": first["account_number"],
                "customer_id": first["customer_id"],
                "amount": 64000,
                "reason": "Cobro de larga distancia internacional que no corresponde al plan",
                "advisor": "asesor.premium03",
                "requested_at": seeded_at(world.now, 3, 11),
            },
            {
                "adjustment_id": "AJC00000002",
                "account_number": second["account_number"],
                "customer_id": second["customer_id"],
                "amount": 150000,
                "reason": "Cobro de equipo ya pagado de contado",
                "advisor": "asesor.premium09",
                "requested_at": seeded_at(world.now, 1, 9),
            },
        ],
    )


def _at(world: World, day: dt.date, hour: int, minute: int) -> str:
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=world.now.tzinfo).isoformat()


def _past_suspensions(world: World):
    """The suspension behind each line the world has suspended; billing suspends for mora, an advisor otherwise."""
    rng = random.Random(f"{world.config.seed}:ac:suspensions")
    for line in world.tables["lines"]:
        if line["status"] != "suspendida":
            continue
        advisor = None if line["suspension_reason"] == "mora" else rng.choice(_ADVISORS)
        yield {
            "msisdn": line["msisdn"],
            "status": "suspendida",
            "reason": line["suspension_reason"],
            "advisor": advisor,
            "iccid": line["iccid"],
            "changed_at": _at(world, dt.date.fromisoformat(line["suspended_at"]), rng.randrange(8, 18), 0),
        }


def _past_ticklers(world: World):
    """A tickler for each suspension an advisor made, and about one account in five with an earlier contact."""
    rng = random.Random(f"{world.config.seed}:ac:ticklers")
    codes = {c["code"]: c for c in world.tables["typifications"] if c["line"] in ("movil", "ambos")}
    lines_of: dict[str, list[dict]] = {}
    for line in world.tables["lines"]:
        lines_of.setdefault(line["account_number"], []).append(line)
        if line["suspension_reason"] in _SUSPENSION_TEXTS:
            code = codes["SAC-SUS-01"]
            yield {
                "account_number": line["account_number"],
                "msisdn": line["msisdn"],
                "code": code["code"],
                "description": code["description"],
                "category": code["category"],
                "text": _SUSPENSION_TEXTS[line["suspension_reason"]].format(msisdn=line["msisdn"]),
                "advisor": rng.choice(_ADVISORS),
                "resolved_first_contact": 1,
                "cun": None,
                "created_at": _at(
                    world, dt.date.fromisoformat(line["suspended_at"]), rng.randrange(8, 18), rng.randrange(60)
                ),
            }
    for account in world.tables["mobile_accounts"]:
        if rng.random() >= 0.2:
            continue
        code = codes[rng.choice(sorted(codes))]
        pqr = code["category"] == "PQR"
        day = world.now.date() - dt.timedelta(days=rng.randrange(5, 90))
        yield {
            "account_number": account["account_number"],
            "msisdn": rng.choice(lines_of[account["account_number"]])["msisdn"],
            "code": code["code"],
            "description": code["description"],
            "category": code["category"],
            "text": _PAST_TEXTS[code["category"]].format(description=code["description"].lower()),
            "advisor": rng.choice(_ADVISORS),
            "resolved_first_contact": int(not pqr and rng.random() < 0.8),
            "cun": f"{rng.randrange(10**15, 10**16)}" if pqr else None,
            "created_at": _at(world, day, rng.randrange(7, 19), rng.randrange(60)),
        }
