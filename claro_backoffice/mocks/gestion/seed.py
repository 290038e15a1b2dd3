"""Módulo de Gestión's slice of the world: home accounts with their technician zone, the provisioning state of
each home service on its platform (CMTS, OLT or TV headend), the technicians of each zone and the technical
visits already done.

The world holds no provisioning state, technicians or visits: they are derived here, deterministically, from the
world's identifiers. Past visits are the world's past LLS orders, which RR lists too.
"""

from __future__ import annotations

import datetime as dt
import math
import random

from claro_backoffice.world.build import World

# What serves each table, for fixtures (mocks/kit/served.py): the spec's schemas whose same-named
# properties a planted value must fit; a "!column" is not checked (stored in another form, or another meaning).
SERVED_AS = {
    "zones": (),
    "technicians": (),
    "accounts": ("AccountProvisioning",),
    "provisioning": ("ServiceProvisioning",),
    "visits": ("Visit",),
    "sequences": (),
}

ACCOUNTS_PER_TECHNICIAN = 12  # a zone gets max(2, ceil(home accounts / 12)) technicians
MIN_TECHNICIANS = 2
FIRST_LLS_SEQUENCE = 1  # LLS ids booked here: LLS + seed % 1000 (3 digits) + 9 + sequence (6 digits)

_PENDING_DETAILS = ("Orden de aprovisionamiento en cola en la plataforma", "Esperando confirmación de la plataforma")
_FAILED_DETAILS = {
    "CMTS": (
        "El CMTS no registra el cable módem: MAC no aprovisionada",
        "Archivo de configuración rechazado por el CMTS",
    ),
    "OLT": ("La OLT rechazó la ONT: número de serie no autorizado", "Perfil de velocidad no encontrado en la OLT"),
    "HEADEND": ("La cabecera no confirmó el paquete de canales", "Decodificador sin autorización en cabecera"),
}


_PROVISIONING_TABLE = """CREATE TABLE provisioning (
    service_id TEXT PRIMARY KEY, account_number TEXT NOT NULL REFERENCES accounts(account_number),
    service_type TEXT NOT NULL CHECK (service_type IN ('internet', 'tv', 'telefonia')), plan_name TEXT NOT NULL,
    technology TEXT NOT NULL CHECK (technology IN ('HFC', 'FTTH')),
    platform TEXT NOT NULL CHECK (platform IN ('CMTS', 'OLT', 'HEADEND')), platform_element TEXT NOT NULL,
    device TEXT, detail TEXT, ready_at TEXT,
    state TEXT NOT NULL CHECK (state IN ('provisioned', 'pending', 'failed', 'suspended')),
    last_change_at TEXT NOT NULL)"""
_VISITS_TABLE = """CREATE TABLE visits (
    appointment_id TEXT PRIMARY KEY, lls_id TEXT NOT NULL,
    account_number TEXT NOT NULL REFERENCES accounts(account_number), zone_id TEXT NOT NULL REFERENCES zones(zone_id),
    technician TEXT NOT NULL, reason TEXT NOT NULL, contact_phone TEXT,
    advisor TEXT, state TEXT NOT NULL CHECK (state IN ('initialized', 'confirmed', 'completed', 'cancelled', 'failed')),
    slot_start TEXT NOT NULL, slot_end TEXT NOT NULL, created_at TEXT NOT NULL, updated_at TEXT NOT NULL,
    cancellation_reason TEXT, reschedule_count INTEGER NOT NULL DEFAULT 0,
    source TEXT NOT NULL DEFAULT 'gestion' CHECK (source IN ('gestion', 'rr')))"""


def zone_id(node: str) -> str:
    return f"ZT-{node}"


def lls_prefix(seed: int) -> str:
    return f"LLS{seed % 1000:03d}9"


def platform_of(service: dict, node: dict) -> tuple[str, str]:
    """(platform, element) that provisions a service: internet and telephony ride the CMTS (HFC) or the OLT
    (FTTH); TV is authorised in the municipality's headend."""
    if service["service_type"] == "tv":
        return "HEADEND", node["headend"]
    if service["technology"] == "FTTH":
        return "OLT", f"OLT-{node['node']}"
    return "CMTS", "CMTS-" + node["headend"].split(" ", 1)[1]


def seed(db, world: World) -> None:
    t = world.tables
    nodes = {n["node"]: n for n in t["nodes"]}
    homes_per_node: dict[str, int] = {}
    for account in t["home_accounts"]:
        homes_per_node[account["node"]] = homes_per_node.get(account["node"], 0) + 1

    db["zones"].insert_all(
        (
            {
                "zone_id": zone_id(n["node"]),
                "node": n["node"],
                "municipality_code": n["municipality_code"],
                "headend": n["headend"],
                "technology": n["technology"],
            }
            for n in t["nodes"]
        ),
        pk="zone_id",
    )
    db["technicians"].insert_all(
        _technicians(world, homes_per_node), pk="technician_id", foreign_keys=[("zone_id", "zones")]
    )
    db["technicians"].create_index(["zone_id"])

    db["accounts"].insert_all(
        (
            {
                "account_number": a["account_number"],
                "customer_id": a["customer_id"],
                "status": a["status"],
                "municipality": a["municipality"],
                "municipality_code": a["municipality_code"],
                "node": a["node"],
                "zone_id": zone_id(a["node"]),
                "address": a["address"],
            }
            for a in t["home_accounts"]
        ),
        pk="account_number",
        foreign_keys=[("zone_id", "zones")],
    )
    db["accounts"].create_index(["customer_id"])

    # Explicit tables: fixtures (POST /__admin/fixtures) get a clear refusal for a missing or impossible value.
    db.execute(_PROVISIONING_TABLE)
    db["provisioning"].insert_all(_provisioning(world, nodes))
    db["provisioning"].create_index(["account_number"])
    db.execute(_VISITS_TABLE)
    db["visits"].create_index(["lls_id"], unique=True)
    db["visits"].create_index(["account_number"])
    db["visits"].create_index(["zone_id", "slot_start", "state"])
    db["visits"].insert_all(_past_visits(world))

    db["sequences"].insert_all(
        [
            {"name": "lls", "prefix": lls_prefix(world.config.seed), "next_value": FIRST_LLS_SEQUENCE},
            {"name": "appointment", "prefix": "APT", "next_value": db["visits"].count + 1},
        ],
        pk="name",
    )


def _technicians(world: World, homes_per_node: dict[str, int]):
    rng = random.Random(f"{world.config.seed}:gestion:technicians")
    used: set[int] = set()
    for node in world.tables["nodes"]:
        count = max(MIN_TECHNICIANS, math.ceil(homes_per_node.get(node["node"], 0) / ACCOUNTS_PER_TECHNICIAN))
        for _ in range(count):
            number = rng.randrange(1000, 10000)
            while number in used:
                number = rng.randrange(1000, 10000)
            used.add(number)
            yield {"technician_id": f"TEC-{number}", "zone_id": zone_id(node["node"])}


def _provisioning(world: World, nodes: dict[str, dict]):
    """Most services are provisioned long ago; a few are pending (a change in flight) or failed."""
    rng = random.Random(f"{world.config.seed}:gestion:provisioning")
    accounts = world.index("home_accounts", "account_number")
    modems = world.index("cable_modems", "account_number")
    for service in world.tables["home_services"]:
        account = accounts[service["account_number"]]
        platform, element = platform_of(service, nodes[account["node"]])
        roll = rng.random()
        created = dt.datetime.combine(dt.date.fromisoformat(account["created_at"]), dt.time(10), world.now.tzinfo)
        modem = modems.get(service["account_number"]) if service["service_type"] != "tv" else None
        row = {
            "service_id": service["service_id"],
            "account_number": service["account_number"],
            "service_type": service["service_type"],
            "plan_name": service["plan_name"],
            "technology": service["technology"],
            "platform": platform,
            "platform_element": element,
            "device": modem["mac_address"] if modem else None,
            "detail": None,
            "ready_at": None,
        }
        if service["status"] == "suspendido":
            changed = world.now - dt.timedelta(days=rng.randrange(5, 60))
            row.update(state="suspended", detail="Servicio suspendido en la plataforma por estado de la cuenta")
        elif roll < 0.06:
            changed = world.now - dt.timedelta(hours=rng.randrange(1, 6))
            row.update(
                state="pending",
                detail=rng.choice(_PENDING_DETAILS),
                ready_at=(world.now + dt.timedelta(hours=rng.randrange(2, 8))).isoformat(),
            )
        elif roll < 0.12:
            changed = world.now - dt.timedelta(hours=rng.randrange(3, 72))
            row.update(state="failed", detail=rng.choice(_FAILED_DETAILS[platform]))
        else:
            changed = max(created, world.now - dt.timedelta(days=rng.randrange(1, 900)))
            row.update(state="provisioned")
        row["last_change_at"] = changed.isoformat()
        yield row


def _past_visits(world: World):
    """The visits behind the world's past LLS orders (world.tables["lls"]), which RR lists too."""
    parties = world.index("parties", "customer_id")
    accounts = world.index("home_accounts", "account_number")
    for number, order in enumerate(world.tables.get("lls", []), start=1):
        account = accounts[order["account_number"]]
        yield {
            "appointment_id": f"APT{number:08d}",
            "lls_id": order["lls_id"],
            "account_number": account["account_number"],
            "zone_id": zone_id(account["node"]),
            "technician": order["technician"],
            "reason": order["reason"],
            "contact_phone": parties[account["customer_id"]]["contact_mobile"],
            "advisor": None,
            "state": "completed",
            "slot_start": order["slot_start"],
            "slot_end": order["slot_end"],
            "created_at": order["created_at"],
            "updated_at": order["created_at"],
            "cancellation_reason": None,
            "reschedule_count": 0,
            "source": "rr",
        }
