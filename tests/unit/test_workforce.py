"""world/workforce.py: the contact centre's workforce is deterministic, bounded, independent of the rest of the
world's randomness, and keeps its own invariants (chain of command, working days, a month of history)."""

from __future__ import annotations

import datetime as dt
import json
import random
import subprocess
import sys
from collections import Counter

import holidays

from claro_backoffice.core.timezone import BOGOTA
from claro_backoffice.world import workforce
from claro_backoffice.world.config import WorldConfig
from claro_backoffice.world.workforce import make_workforce, shift_times

REFERENCE = dt.date(2026, 11, 4)


def build(seed=20220207, size=200, reference=REFERENCE):
    config = WorldConfig(seed=seed, size=size, reference_date=reference)
    return make_workforce(config, dt.datetime.combine(reference, dt.time(8), BOGOTA))


def dump(tables) -> str:
    return json.dumps(tables, sort_keys=True, ensure_ascii=False)


def test_same_seed_same_workforce_other_seed_another():
    first = build()
    assert dump(first) == dump(build())
    other = build(seed=7)
    assert [a["document_number"] for a in other["agents"]] != [a["document_number"] for a in first["agents"]]
    assert dump(other) != dump(first)


def test_the_same_in_a_new_process_whatever_the_hash_seed():
    script = (
        "import datetime as d, json; from claro_backoffice.world.workforce import make_workforce; "
        "from claro_backoffice.world.config import WorldConfig; from claro_backoffice.core.timezone import BOGOTA; "
        "c = WorldConfig(seed=11); print(json.dumps(make_workforce("
        "c, d.datetime.combine(c.reference_date, d.time(8), BOGOTA)), sort_keys=True)[:5000])"
    )
    runs = [
        subprocess.run(
            [sys.executable, "-c", script],
            check=True,
            capture_output=True,
            text=True,
            env={"PYTHONHASHSEED": seed, "PATH": ""},
        ).stdout
        for seed in ("1", "2")
    ]
    assert runs[0] == runs[1] and runs[0]


def test_it_leaves_the_shared_random_state_alone():
    random.seed(99)
    expected = [random.random() for _ in range(3)]
    random.seed(99)
    build()
    assert [random.random() for _ in range(3)] == expected


def test_size_only_scales_the_number_of_teams_within_bounds():
    assert dump(build(size=200)) == dump(build(size=250))
    assert len(build(size=1)["teams"]) == 4
    assert len(build(size=100_000)["teams"]) == 10
    assert len(build(size=200)["teams"]) == 6


def test_chain_of_command_and_identifiers():
    tables = build()
    agents = {a["agent_id"]: a for a in tables["agents"]}
    for key in ("agent_id", "username", "document_number", "email"):
        assert len({a[key] for a in tables["agents"]}) == len(agents), key
    roles = Counter(a["role"] for a in agents.values())
    assert (roles["gerente"], roles["coordinador"], roles["supervisor"]) == (1, 2, 6)
    for team in tables["teams"]:
        assert agents[team["supervisor_id"]]["role"] == "supervisor"
        assert agents[team["supervisor_id"]]["reports_to"] == team["coordinator_id"]
        assert agents[team["coordinator_id"]]["reports_to"] == team["manager_id"]
        members = [a for a in agents.values() if a["team_id"] == team["team_id"] and a["role"] == "asesor"]
        assert 8 <= len(members) <= 13
        assert all(a["reports_to"] == team["supervisor_id"] for a in members)
    assert agents["AGT0001"]["username"] == "ger.premium01" and agents["AGT0001"]["reports_to"] is None
    for n in range(1, workforce.PROTECTED_ADVISORS + 1):
        advisor = next(a for a in agents.values() if a["username"] == f"asesor.premium{n:02d}")
        assert advisor["exit_date"] is None


def test_a_month_of_history_and_two_weeks_ahead():
    tables = build()
    today = REFERENCE.isoformat()
    first, last = (REFERENCE - dt.timedelta(days=31)).isoformat(), (REFERENCE + dt.timedelta(days=14)).isoformat()
    co = holidays.country_holidays("CO", years=[2026])
    agents = {a["agent_id"]: a for a in tables["agents"]}
    for shift in tables["shifts"]:
        day = dt.date.fromisoformat(shift["date"])
        assert first <= shift["date"] <= last and day.weekday() != 6 and day not in co
        assert agents[shift["agent_id"]]["role"] in ("asesor", "supervisor")
    attended = {r["shift_id"] for r in tables["attendance"]}
    assert attended == {s["shift_id"] for s in tables["shifts"] if s["date"] < today}
    statuses = Counter(r["status"] for r in tables["attendance"])
    assert 0.015 < statuses["absent"] / len(tables["attendance"]) < 0.07
    moves = [m for m in tables["movements"] if m["date"] >= first]
    assert {m["type"] for m in moves} == {"hire", "exit"}
    assert all(m["date"] < today for m in moves)
    exits = [a for a in agents.values() if a["exit_date"]]
    assert exits and all(
        not any(s["agent_id"] == a["agent_id"] and s["date"] >= a["exit_date"] for s in tables["shifts"]) for a in exits
    )
    assert len(tables["movements"]) == len(agents) + len(exits)


def test_shift_rules():
    closed = workforce.co_holidays(dt.date(2026, 11, 1), dt.date(2026, 11, 30))
    assert shift_times(0, dt.date(2026, 11, 8), closed) is None  # Sunday
    assert shift_times(0, dt.date(2026, 11, 16), closed) is None  # Independencia de Cartagena
    saturdays = [shift_times(r, dt.date(2026, 11, 7), closed) for r in range(4)]
    assert sum(s is None for s in saturdays) == 2
    for start, end, pattern in (s for s in saturdays if s):
        assert end - start == dt.timedelta(hours=6) and pattern == f"{start.hour:02d}-{end.hour:02d}"
    weekday = {shift_times(r, dt.date(2026, 11, 4), closed)[2] for r in range(4)}
    assert weekday == {"07-15", "08-16", "11-19", "13-21"}
