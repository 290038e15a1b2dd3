"""Diagnosticador's slice of the world: home accounts (as far as a network check needs them), their services,
the nodes, the cable modems / ONTs, the node incidents (AVISOs) and the support typification codes that T&D and
Diagnosticador give.

Tables a fixture (POST /__admin/fixtures) patches to plant a situation:
- `incidents`: one row = one AVISO. Insert {"node": "BOG-N001", "state": "inProgress"} and you have a massive
  incident on that node: `aviso` (INTEGER PRIMARY KEY AUTOINCREMENT) continues the sequence, every other column
  has a default, and missing times are filled from the virtual clock on the next request.
- `modem_overrides`: one row per modem (mac_address) whose state or measurements are forced:
  {"mac_address": "...", "status": "offline"} is a modem without sync.
- `cable_modems.line_quality`: good | noisy (signal out of range) | congested (slow but clean signal).
"""

from __future__ import annotations

import datetime as dt
import random

from claro_backoffice.world.build import World

# What serves each table, for fixtures (mocks/kit/served.py): the spec's schemas whose same-named
# properties a planted value must fit; a "!column" is not checked (stored in another form, or another meaning).
SERVED_AS = {
    "world_info": (),
    "nodes": ("Node",),
    "accounts": (),
    "services": ("Service",),
    "cable_modems": ("Modem",),
    "modem_overrides": ("Modem", "Signal"),
    "incidents": ("Incident", "!affected_services"),
    "aviso_accounts": ("AssociatedAccount",),
    "typifications": ("Typification",),
}

INCIDENT_STATES = ("acknowledged", "inProgress", "resolved", "closed", "cancelled")
ALL_SERVICES = "internet,tv,telefonia"
# What each world incident takes down: services affected and whether modems drop (outage) or degrade.
_WORLD_IMPACT = {
    "Falla de plataforma CMTS: módems sin registro": ("internet,telefonia", "outage"),
    "Daño en amplificador de red HFC": (ALL_SERVICES, "degradation"),
    "Degradación de plataforma de televisión digital": ("tv", "degradation"),
}
_LINE_QUALITY = (("good", 0.90), ("noisy", 0.05), ("congested", 0.05))

_INCIDENTS_DDL = f"""
CREATE TABLE incidents (
    aviso INTEGER PRIMARY KEY AUTOINCREMENT,
    scope TEXT NOT NULL DEFAULT 'node' CHECK (scope IN ('node', 'account')),
    node TEXT REFERENCES nodes(node),
    account_number TEXT REFERENCES accounts(account_number),
    kind TEXT NOT NULL DEFAULT 'external_network' CHECK (kind IN ('platform', 'external_network')),
    severity TEXT NOT NULL DEFAULT 'outage' CHECK (severity IN ('outage', 'degradation')),
    affected_services TEXT NOT NULL DEFAULT '{ALL_SERVICES}',
    description TEXT NOT NULL DEFAULT 'Falla masiva reportada en el nodo',
    state TEXT NOT NULL DEFAULT 'acknowledged' CHECK (state IN ({", ".join(f"'{s}'" for s in INCIDENT_STATES)})),
    opened_at TEXT,
    status_change_at TEXT,
    status_change_reason TEXT,
    estimated_resolution_at TEXT,
    resolved_at TEXT,
    closed_at TEXT,
    origin TEXT NOT NULL DEFAULT 'fixture',
    escalated_by TEXT,
    CHECK ((scope = 'node' AND node IS NOT NULL) OR (scope = 'account' AND account_number IS NOT NULL))
)"""

_OVERRIDES_DDL = """
CREATE TABLE modem_overrides (
    mac_address TEXT PRIMARY KEY REFERENCES cable_modems(mac_address),
    status TEXT CHECK (status IS NULL OR status IN ('online', 'degraded', 'offline')),
    downstream_power_dbmv REAL,
    downstream_snr_db REAL,
    upstream_power_dbmv REAL,
    optical_rx_power_dbm REAL,
    real_down_mbps INTEGER,
    real_up_mbps INTEGER,
    uptime_seconds INTEGER,
    reason TEXT
)"""

# The accounts associated to an AVISO (customers attached to an existing massive); deleting the AVISO drops them.
_ASSOCIATIONS_DDL = """
CREATE TABLE aviso_accounts (
    aviso INTEGER NOT NULL REFERENCES incidents(aviso) ON DELETE CASCADE,
    account_number TEXT NOT NULL REFERENCES accounts(account_number),
    associated_at TEXT NOT NULL,
    advisor TEXT NOT NULL,
    PRIMARY KEY (aviso, account_number)
)"""


def seed(db, world: World) -> None:
    t = world.tables
    db["world_info"].insert({"id": 1, "seed": world.config.seed, "reference_now": world.now.isoformat()}, pk="id")
    db["nodes"].insert_all(t["nodes"], pk="node")
    db["accounts"].insert_all(
        (
            {
                "account_number": a["account_number"],
                "customer_id": a["customer_id"],
                "status": a["status"],
                "node": a["node"],
                "municipality": a["municipality"],
                "cuenta_matriz": a["cuenta_matriz"],
            }
            for a in t["home_accounts"]
        ),
        pk="account_number",
        foreign_keys=[("node", "nodes")],
    )
    db["accounts"].create_index(["node"])
    db["services"].insert_all(
        (
            {
                k: s[k]
                for k in (
                    "service_id",
                    "account_number",
                    "service_type",
                    "plan_name",
                    "down_mbps",
                    "up_mbps",
                    "technology",
                    "status",
                )
            }
            for s in t["home_services"]
        ),
        pk="service_id",
        foreign_keys=[("account_number", "accounts")],
    )
    db["services"].create_index(["account_number"])
    db["cable_modems"].insert_all(
        _modems(world),
        pk="mac_address",
        not_null={"line_quality"},
        defaults={"line_quality": "good"},
        foreign_keys=[("account_number", "accounts"), ("node", "nodes")],
    )
    db["cable_modems"].create_index(["account_number"], unique=True)
    db["cable_modems"].create_index(["node"])
    db.execute(_OVERRIDES_DDL)
    db.execute(_INCIDENTS_DDL)
    db["incidents"].create_index(["node", "state"])
    db["incidents"].create_index(["account_number"])
    db["incidents"].insert_all(_world_incidents(world))
    # New AVISOs continue the world's sequence, cell (SARA) AVISOs included, and are never reused in a sandbox.
    last = max((i["aviso"] for i in t["incidents"]), default=5_100_000)
    db.execute("UPDATE sqlite_sequence SET seq = ? WHERE name = 'incidents'", [last])
    db.execute(_ASSOCIATIONS_DDL)
    db["aviso_accounts"].create_index(["account_number"])
    db["typifications"].insert_all(
        (
            c
            for c in t["typifications"]
            if c["category"] == "SOPORTE"
            and c["line"] in ("hogar", "ambos")
            and c["source"] in ("T&D", "Diagnosticador")
        ),
        pk="code",
    )
    db.conn.commit()


def _modems(world: World):
    """World modems plus what only the network knows: line quality and when the modem last booted."""
    rng = random.Random(f"{world.config.seed}:diagnosticador:modems")
    for modem in world.tables["cable_modems"]:
        quality = rng.choices([q for q, _ in _LINE_QUALITY], weights=[w for _, w in _LINE_QUALITY])[0]
        booted = world.now - dt.timedelta(minutes=rng.randrange(90, 40 * 24 * 60))
        yield dict(modem, line_quality=quality, last_boot_at=booted.isoformat())


def _world_incidents(world: World):
    for inc in world.tables["incidents"]:
        if inc["scope"] != "node":
            continue  # radio (cell) incidents belong to SARA
        services, severity = _WORLD_IMPACT.get(inc["description"], (ALL_SERVICES, "outage"))
        resolved = inc["resolved_at"]
        closed = None
        if inc["state"] == "closed" and resolved:
            closed = min(dt.datetime.fromisoformat(resolved) + dt.timedelta(hours=24), world.now).isoformat()
        yield {
            "aviso": inc["aviso"],
            "scope": "node",
            "node": inc["node"],
            "account_number": None,
            "kind": inc["kind"],
            "severity": severity,
            "affected_services": services,
            "description": inc["description"],
            "state": inc["state"],
            "opened_at": inc["opened_at"],
            "status_change_at": closed or resolved or inc["opened_at"],
            "status_change_reason": None,
            "estimated_resolution_at": inc["estimated_resolution_at"],
            "resolved_at": resolved,
            "closed_at": closed,
            "origin": "world",
            "escalated_by": None,
        }
