"""SARA's slice of the world: the municipalities (DANE codes), the radio cells of every site, and the radio
incidents (AVISOs) opened on sites, with the impact each one has on its cells.

A cell's stored `state` is the state set by hand, without a ticket (what a fixture plants with a plain row
update). The state the world derived from an open incident is not copied there: SARA derives it from the
incident itself at the virtual now (backend.effective_state), so resolving the ticket or moving the clock
restores the cell. At the world's reference moment both readings are the same.
"""

from __future__ import annotations

from claro_backoffice.world.build import World

# What serves each table, for fixtures (mocks/kit/served.py): the spec's schemas whose same-named
# properties a planted value must fit; a "!column" is not checked (stored in another form, or another meaning).
SERVED_AS = {
    "municipalities": ("Municipality",),
    "cells": ("CellStatus",),
    "incidents": ("Ticket",),
}

CELL_STATES = ("in_service", "degraded", "outage", "maintenance")
TECHNOLOGIES = ("2G", "3G", "4G", "5G")
TICKET_STATES = ("acknowledged", "pending", "held", "inProgress", "resolved", "closed", "rejected", "cancelled")
DEFAULT_DESCRIPTION = "Estación base fuera de servicio"


def _in(values) -> str:
    return ", ".join(f"'{v}'" for v in values)


def _when(column: str, nullable: bool = True) -> str:
    check = f"datetime({column}) IS NOT NULL"
    return f"CHECK ({column} IS NULL OR {check})" if nullable else f"NOT NULL CHECK ({check})"


SCHEMA = (
    """CREATE TABLE municipalities (
        code TEXT PRIMARY KEY CHECK (length(code) = 5), name TEXT NOT NULL, department_code TEXT NOT NULL,
        department TEXT NOT NULL, latitude REAL NOT NULL, longitude REAL NOT NULL, abbr TEXT)""",
    f"""CREATE TABLE cells (
        cell_id TEXT PRIMARY KEY, site_id TEXT NOT NULL,
        municipality_code TEXT NOT NULL REFERENCES municipalities (code),
        latitude REAL NOT NULL CHECK (latitude BETWEEN -90 AND 90),
        longitude REAL NOT NULL CHECK (longitude BETWEEN -180 AND 180),
        azimuth INTEGER NOT NULL DEFAULT 0 CHECK (azimuth BETWEEN 0 AND 359),
        technology TEXT NOT NULL CHECK (technology IN ({_in(TECHNOLOGIES)})),
        state TEXT NOT NULL DEFAULT 'in_service' CHECK (state IN ({_in(CELL_STATES)})))""",
    "CREATE INDEX cells_site ON cells (site_id)",
    "CREATE INDEX cells_municipality ON cells (municipality_code)",
    "CREATE INDEX cells_position ON cells (latitude, longitude)",
    f"""CREATE TABLE incidents (
        incident_id TEXT PRIMARY KEY, aviso INTEGER NOT NULL UNIQUE, site_id TEXT NOT NULL, cell_id TEXT,
        impact TEXT NOT NULL DEFAULT 'outage' CHECK (impact IN ({_in(CELL_STATES[1:])})),
        description TEXT NOT NULL DEFAULT '{DEFAULT_DESCRIPTION}',
        state TEXT NOT NULL DEFAULT 'acknowledged' CHECK (state IN ({_in(TICKET_STATES)})),
        opened_at TEXT {_when("opened_at", nullable=False)},
        estimated_resolution_at TEXT {_when("estimated_resolution_at")},
        resolved_at TEXT {_when("resolved_at")})""",
    "CREATE INDEX incidents_site ON incidents (site_id)",
)


def _impacts(world: World) -> dict[str, str]:
    """incident_id -> the cell state the incident causes (outage, degraded or maintenance), as the world says."""
    return {i["incident_id"]: i["impact"] for i in world.tables["incidents"] if i["scope"] == "cell"}


def seed(db, world: World) -> None:
    for statement in SCHEMA:
        db.execute(statement)
    t = world.tables
    db["municipalities"].insert_all(
        {
            "code": m["code"],
            "name": m["name"],
            "department_code": m["department_code"],
            "department": m["department"],
            "latitude": m["lat"],
            "longitude": m["lon"],
            "abbr": m["abbr"],
        }
        for m in world.catalogues.municipalities
    )
    impacts = _impacts(world)
    open_impact_of_site = {
        i["site_id"]: impacts[i["incident_id"]]
        for i in t["incidents"]
        if i["scope"] == "cell" and i["resolved_at"] is None
    }
    db["cells"].insert_all(
        dict(c, state="in_service" if open_impact_of_site.get(c["site_id"]) == c["state"] else c["state"])
        for c in t["cells"]
    )
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
