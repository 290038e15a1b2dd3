"""Almabi's slice of the world: the contact centre's teams, agents (asesores, supervisores, coordinadores and the
gerente), their shifts, attendance, and hires and exits (world/workforce.py).

The world holds these tables once world/build.py adds them; until then they are made here with the same
generator, from the world's seed and reference date, so the result is the same either way.
"""

from __future__ import annotations

from claro_backoffice.world import workforce
from claro_backoffice.world.build import World

# What serves each table, for fixtures (mocks/kit/served.py): the spec's schemas whose same-named
# properties a planted value must fit; a "!column" is not checked (stored in another form, or another meaning).
SERVED_AS = {
    "teams": ("Team",),
    "agents": ("Agent",),
    "shifts": ("Shift",),
    "attendance": ("Attendance",),
    "movements": ("Movement",),
    "sequences": (),
}

_TEAMS = """CREATE TABLE teams (
    team_id TEXT PRIMARY KEY, name TEXT NOT NULL, channel TEXT NOT NULL,
    line_of_business TEXT NOT NULL CHECK (line_of_business IN ('hogar', 'movil')),
    supervisor_id TEXT NOT NULL, coordinator_id TEXT NOT NULL, manager_id TEXT NOT NULL)"""
_AGENTS = """CREATE TABLE agents (
    agent_id TEXT PRIMARY KEY, username TEXT NOT NULL UNIQUE,
    document_type TEXT NOT NULL CHECK (document_type IN ('CC', 'CE')), document_number TEXT NOT NULL,
    first_name TEXT NOT NULL, last_name TEXT NOT NULL, email TEXT NOT NULL,
    role TEXT NOT NULL CHECK (role IN ('asesor', 'supervisor', 'coordinador', 'gerente')),
    team_id TEXT REFERENCES teams(team_id), reports_to TEXT REFERENCES agents(agent_id),
    hire_date TEXT NOT NULL, exit_date TEXT, exit_reason TEXT CHECK (exit_reason IN ({exit_reasons})),
    leave_from TEXT, leave_until TEXT, leave_reason TEXT CHECK (leave_reason IN ({leave_reasons})),
    rotation INTEGER NOT NULL CHECK (rotation BETWEEN 0 AND 3))"""
_SHIFTS = """CREATE TABLE shifts (
    shift_id TEXT PRIMARY KEY, agent_id TEXT NOT NULL REFERENCES agents(agent_id),
    team_id TEXT NOT NULL REFERENCES teams(team_id), date TEXT NOT NULL, start TEXT NOT NULL, "end" TEXT NOT NULL,
    pattern TEXT NOT NULL, status TEXT NOT NULL CHECK (status IN ('scheduled', 'cancelled')), cancel_reason TEXT)"""
_ATTENDANCE = """CREATE TABLE attendance (
    shift_id TEXT PRIMARY KEY REFERENCES shifts(shift_id), agent_id TEXT NOT NULL REFERENCES agents(agent_id),
    team_id TEXT NOT NULL, date TEXT NOT NULL, status TEXT NOT NULL CHECK (status IN ('present', 'late', 'absent')),
    minutes_late INTEGER CHECK ((status = 'late') = (minutes_late IS NOT NULL)),
    absence_reason TEXT CHECK ((status = 'absent') = (absence_reason IS NOT NULL)
                               AND (absence_reason IS NULL OR absence_reason IN ({absence_reasons}))),
    check_in TEXT, recorded_by TEXT NOT NULL, recorded_at TEXT NOT NULL)"""
_MOVEMENTS = """CREATE TABLE movements (
    movement_id TEXT PRIMARY KEY, type TEXT NOT NULL CHECK (type IN ('hire', 'exit')),
    agent_id TEXT NOT NULL REFERENCES agents(agent_id), team_id TEXT, role TEXT NOT NULL, date TEXT NOT NULL,
    reason TEXT, recorded_by TEXT, recorded_at TEXT NOT NULL)"""


def _values(names) -> str:
    return ", ".join(f"'{n}'" for n in names)


def seed(db, world: World) -> None:
    tables = world.tables
    db.execute(_TEAMS)
    db.execute(
        _AGENTS.format(exit_reasons=_values(workforce.EXIT_REASONS), leave_reasons=_values(workforce.LEAVE_REASONS))
    )
    db.execute(_SHIFTS)
    db.execute(_ATTENDANCE.format(absence_reasons=_values(workforce.ABSENCE_REASONS)))
    db.execute(_MOVEMENTS)
    db["teams"].insert_all(tables["teams"])
    db["agents"].insert_all(tables["agents"])
    db["agents"].create_index(["team_id"])
    db["agents"].create_index(["document_number"])
    db["shifts"].insert_all(tables["shifts"])
    db["shifts"].create_index(["date", "start"])
    db["shifts"].create_index(["agent_id", "date"])
    db["attendance"].insert_all(tables["attendance"])
    db["attendance"].create_index(["date"])
    db["attendance"].create_index(["agent_id", "date"])
    db["movements"].insert_all(tables["movements"])
    db["movements"].create_index(["date"])
    advisors = sum(a["role"] == "asesor" for a in tables["agents"])
    db["sequences"].insert_all(
        [
            {"name": "agent", "next_value": len(tables["agents"]) + 1},
            {"name": "asesor", "next_value": advisors + 1},
            {"name": "shift", "next_value": len(tables["shifts"]) + 1},
            {"name": "movement", "next_value": len(tables["movements"]) + 1},
        ],
        pk="name",
    )
