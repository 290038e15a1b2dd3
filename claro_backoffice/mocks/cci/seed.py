"""CCI's slice of the world: the mobile lines (status, suspension, plan, home cell, VoLTE, frequent contacts),
the mobile plans, and CCI's own copy of the radio cells and of the radio incidents (AVISOs) on their sites.

Connection records are not stored: records.py derives them on demand from the seed kept in `settings`, the
line and the hour, so any window is reproducible. Incidents carry their impact (outage, degraded,
maintenance) and their times: that is what makes a line's records fail during an outage.
"""

from __future__ import annotations

import json

from claro_backoffice.world.build import World

# What serves each table, for fixtures (mocks/kit/served.py): the spec's schemas whose same-named
# properties a planted value must fit; a "!column" is not checked (stored in another form, or another meaning).
SERVED_AS = {
    "settings": (),
    "plans": (),
    "cells": (),
    "lines": ("Line",),
    "incidents": ("RecordPage/properties/incidents/items",),
}

LINE_STATUSES = ("activa", "suspendida")
TECHNOLOGIES = ("2G", "3G", "4G", "5G")
IMPACTS = ("degraded", "outage", "maintenance")
TICKET_STATES = ("acknowledged", "pending", "held", "inProgress", "resolved", "closed", "rejected", "cancelled")


def _in(values) -> str:
    return ", ".join(f"'{v}'" for v in values)


def _when(column: str, nullable: bool = True) -> str:
    check = f"datetime({column}) IS NOT NULL"
    return f"CHECK ({column} IS NULL OR {check})" if nullable else f"NOT NULL CHECK ({check})"


SCHEMA = (
    "CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
    """CREATE TABLE plans (
        plan_code TEXT PRIMARY KEY, name TEXT NOT NULL, line_type TEXT NOT NULL,
        data_gb INTEGER CHECK (data_gb IS NULL OR data_gb >= 0),
        minutes INTEGER CHECK (minutes IS NULL OR minutes >= 0),
        sms INTEGER CHECK (sms IS NULL OR sms >= 0), volte_allowed INTEGER NOT NULL DEFAULT 1,
        shared_data_gb INTEGER NOT NULL DEFAULT 0)""",
    f"""CREATE TABLE cells (
        cell_id TEXT PRIMARY KEY, site_id TEXT NOT NULL, municipality_code TEXT NOT NULL,
        technology TEXT NOT NULL CHECK (technology IN ({_in(TECHNOLOGIES)})))""",
    "CREATE INDEX cells_site ON cells (site_id)",
    "CREATE INDEX cells_municipality ON cells (municipality_code)",
    f"""CREATE TABLE lines (
        msisdn TEXT PRIMARY KEY CHECK (length(msisdn) = 10 AND substr(msisdn, 1, 1) = '3'),
        account_number TEXT NOT NULL, customer_id TEXT NOT NULL,
        plan_code TEXT NOT NULL REFERENCES plans (plan_code), line_type TEXT NOT NULL,
        status TEXT NOT NULL DEFAULT 'activa' CHECK (status IN ({_in(LINE_STATUSES)})),
        suspension_reason TEXT, suspended_at TEXT {_when("suspended_at")},
        activation_date TEXT {_when("activation_date", nullable=False)},
        home_cell_id TEXT NOT NULL REFERENCES cells (cell_id),
        volte_status TEXT NOT NULL DEFAULT 'inactive' CHECK (volte_status IN ('active', 'inactive')),
        contacts TEXT NOT NULL DEFAULT '[]',
        CONSTRAINT suspended_line_needs_suspended_at CHECK (status != 'suspendida' OR suspended_at IS NOT NULL))""",
    "CREATE INDEX lines_account ON lines (account_number)",
    "CREATE INDEX lines_home_cell ON lines (home_cell_id)",
    f"""CREATE TABLE incidents (
        incident_id TEXT PRIMARY KEY, aviso INTEGER NOT NULL UNIQUE, site_id TEXT NOT NULL, cell_id TEXT,
        impact TEXT NOT NULL DEFAULT 'outage' CHECK (impact IN ({_in(IMPACTS)})),
        description TEXT NOT NULL DEFAULT 'Estación base fuera de servicio',
        state TEXT NOT NULL DEFAULT 'acknowledged' CHECK (state IN ({_in(TICKET_STATES)})),
        opened_at TEXT {_when("opened_at", nullable=False)},
        estimated_resolution_at TEXT {_when("estimated_resolution_at")},
        resolved_at TEXT {_when("resolved_at")})""",
    "CREATE INDEX incidents_site ON incidents (site_id)",
)


def _impacts(world: World) -> dict[str, str]:
    """incident_id -> the cell state the incident causes (outage, degraded or maintenance), as the world says."""
    return {i["incident_id"]: i["impact"] for i in world.tables["incidents"] if i["scope"] == "cell"}


def _contacts(world: World) -> dict[str, list[str]]:
    """The numbers a line talks to most: its Familia y Amigos numbers and the other lines of its account."""
    t = world.tables
    contacts: dict[str, list[str]] = {line["msisdn"]: [] for line in t["lines"]}
    for friend in t["friends_and_family"]:
        contacts[friend["msisdn"]].append(friend["number"])
    by_account: dict[str, list[str]] = {}
    for line in t["lines"]:
        by_account.setdefault(line["account_number"], []).append(line["msisdn"])
    for line in t["lines"]:
        contacts[line["msisdn"]] += [m for m in by_account[line["account_number"]] if m != line["msisdn"]]
    return contacts


def seed(db, world: World) -> None:
    for statement in SCHEMA:
        db.execute(statement)
    t = world.tables
    db["settings"].insert({"key": "record_seed", "value": str(world.config.seed)})
    db["plans"].insert_all(
        {k: p[k] for k in ("plan_code", "name", "line_type", "data_gb", "minutes", "sms", "shared_data_gb")}
        | {"volte_allowed": int(p["volte_allowed"])}
        for p in t["mobile_plans"]
    )
    db["cells"].insert_all(
        {k: c[k] for k in ("cell_id", "site_id", "municipality_code", "technology")} for c in t["cells"]
    )
    volte = {s["msisdn"]: s["volte_status"] for s in t["line_settings"]}
    contacts = _contacts(world)
    columns = (
        "msisdn",
        "account_number",
        "customer_id",
        "plan_code",
        "line_type",
        "status",
        "suspension_reason",
        "suspended_at",
        "activation_date",
        "home_cell_id",
    )
    db["lines"].insert_all(
        {k: line[k] for k in columns}
        | {"volte_status": volte.get(line["msisdn"], "inactive"), "contacts": json.dumps(contacts[line["msisdn"]])}
        for line in t["lines"]
    )
    impacts = _impacts(world)
    db["incidents"].insert_all(
        {
            "incident_id": i["incident_id"],
            "aviso": i["aviso"],
            "site_id": i["site_id"],
            "cell_id": None,
            "impact": impacts[i["incident_id"]],
            "description": i["description"],
            "state": i["state"],
            "opened_at": i["opened_at"],
            "estimated_resolution_at": i["estimated_resolution_at"],
            "resolved_at": i["resolved_at"],
        }
        for i in t["incidents"]
        if i["scope"] == "cell"
    )
