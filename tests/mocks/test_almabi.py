"""Almabi through HTTP: the workforce the world describes (agents, chain of command, shifts on working days,
plausible attendance, the month's hires and exits), reports whose counts match the records, and the rules of
attendance, hires and exits driven by the sandbox's virtual clock; reset undoes every write."""

from __future__ import annotations

import datetime as dt
from collections import Counter

import holidays
import pytest

from claro_backoffice.world.workforce import make_workforce

TODAY = dt.date(2026, 11, 4)
MONTH_START, HORIZON = "2026-10-04", "2026-11-18"  # 31 days before today, 14 days after it
WEDNESDAY_8AM = "2026-11-04T08:00:00-05:00"
SUP_SHIFT_0700 = "SHF001374"  # sup.premium04 (TEAM04), today 07:00-15:00
ADVISOR = "AGT0011"  # asesor.premium02, TEAM02, works 07:00-15:00 this week
PATTERNS = {"07-15", "08-16", "11-19", "13-21"}
SATURDAY_PATTERNS = {"07-13", "08-14", "11-17", "13-19"}


@pytest.fixture
def almabi(mock_client):
    client = mock_client("almabi")
    freeze(client, WEDNESDAY_8AM)
    return client


@pytest.fixture(scope="module")
def workforce(world):
    return world.tables if "agents" in world.tables else make_workforce(world.config, world.now)


def freeze(client, when: str) -> None:
    response = client.post("/__admin/clock", json={"set": when, "frozen": True})
    assert response.status_code == 200, response.text


def get(client, url: str, **params) -> dict:
    response = client.get(url, params=params)
    assert response.status_code == 200, response.text
    return response.json()


def all_pages(client, url: str, key: str, **params) -> list[dict]:
    out, offset = [], 0
    while True:
        page = get(client, url, limit=1000, offset=offset, **params)
        out.extend(page[key])
        offset += len(page[key])
        if offset >= page["total"]:
            return out


def all_shifts(client, **params) -> list[dict]:
    return all_pages(client, "/shifts", "shifts", **{"from": MONTH_START, "to": HORIZON, **params})


def month_attendance(client, **params) -> list[dict]:
    return all_pages(client, "/attendance", "attendance", **{"from": MONTH_START, "to": TODAY.isoformat(), **params})


def agents(client, **params) -> dict[str, dict]:
    return {a["agent_id"]: a for a in get(client, "/agents", **params)["agents"]}


def present(client, shift_id: str, recorded_by="sup.premium02", **body):
    return client.post(
        "/attendance", json={"shift_id": shift_id, "status": "present", "recorded_by": recorded_by, **body}
    )


def shift_of(client, agent_id: str, day: str) -> dict:
    shifts = get(client, "/shifts", **{"from": day, "to": day, "agent_id": agent_id})["shifts"]
    assert len(shifts) == 1, shifts
    return shifts[0]


# ---- the world's workforce ------------------------------------------------------------------------------------
def test_agents_and_teams_are_the_worlds(almabi, workforce):
    served = agents(almabi)
    assert set(served) == {a["agent_id"] for a in workforce["agents"]}
    for expected in workforce["agents"]:
        agent = served[expected["agent_id"]]
        for key in (
            "username",
            "document_number",
            "first_name",
            "last_name",
            "role",
            "team_id",
            "reports_to",
            "hire_date",
            "exit_date",
            "exit_reason",
        ):
            assert agent[key] == expected[key], (expected["agent_id"], key)
    teams = get(almabi, "/teams")["teams"]
    assert [(t["team_id"], t["supervisor_id"], t["coordinator_id"], t["manager_id"]) for t in teams] == [
        (t["team_id"], t["supervisor_id"], t["coordinator_id"], t["manager_id"]) for t in workforce["teams"]
    ]
    roles = Counter(a["role"] for a in served.values())
    assert roles["gerente"] == 1 and roles["coordinador"] == 2 and roles["supervisor"] == len(teams) == 6
    assert 50 <= roles["asesor"] <= 75
    # The advisors other systems' history names exist and still work here.
    for n in range(1, 13):
        (agent,) = get(almabi, "/agents", username=f"asesor.premium{n:02d}")["agents"]
        assert agent["status"] == "active" and agent["role"] == "asesor"


def test_every_asesor_has_a_supervisor_coordinator_and_manager(almabi):
    served = agents(almabi)
    teams = {t["team_id"]: t for t in get(almabi, "/teams")["teams"]}
    for agent in served.values():
        chain = agent["chain"]
        if agent["role"] == "asesor":
            team = teams[agent["team_id"]]
            assert chain["supervisor"]["agent_id"] == team["supervisor_id"] == agent["reports_to"]
            assert chain["coordinator"]["agent_id"] == team["coordinator_id"]
            assert chain["manager"]["agent_id"] == team["manager_id"]
            assert [chain[k]["role"] for k in ("supervisor", "coordinator", "manager")] == [
                "supervisor",
                "coordinador",
                "gerente",
            ]
        elif agent["role"] == "gerente":
            assert chain == {"supervisor": None, "coordinator": None, "manager": None}
    team = get(almabi, "/teams/TEAM02")
    assert team["supervisor"]["username"] == "sup.premium02"
    members = {m["agent_id"] for m in team["members"]}
    assert members == {
        a["agent_id"]
        for a in served.values()
        if a["team_id"] == "TEAM02" and a["role"] == "asesor" and a["status"] != "exited"
    }
    assert team["headcount"]["active"] + team["headcount"]["inactive"] == len(members)


def test_statuses_follow_exits_and_leaves(almabi, workforce):
    served = agents(almabi)
    for expected in workforce["agents"]:
        agent = served[expected["agent_id"]]
        if expected["exit_date"]:
            assert agent["status"] == "exited"
        elif expected["leave_from"] and expected["leave_from"] <= TODAY.isoformat() <= expected["leave_until"]:
            assert agent["status"] == "inactive" and agent["leave"]["reason"] == expected["leave_reason"]
        else:
            assert agent["status"] == "active"
    statuses = Counter(a["status"] for a in served.values())
    assert statuses["exited"] >= 2 and statuses["inactive"] >= 1
    assert set(agents(almabi, status="exited")) == {a for a, v in served.items() if v["status"] == "exited"}


def test_shifts_only_on_working_days_within_their_patterns(almabi, workforce):
    co = holidays.country_holidays("CO", years=[2026])
    shifts = all_shifts(almabi)
    assert {s["shift_id"] for s in shifts} == {s["shift_id"] for s in workforce["shifts"]}
    served = agents(almabi)
    per_day = Counter()
    for s in shifts:
        day = dt.date.fromisoformat(s["date"])
        assert day.weekday() != 6 and day not in co, s
        start, end = dt.datetime.fromisoformat(s["start"]), dt.datetime.fromisoformat(s["end"])
        assert start.date() == end.date() == day and start.utcoffset() == dt.timedelta(hours=-5)
        assert s["pattern"] == f"{start.hour:02d}-{end.hour:02d}"
        assert s["pattern"] in (SATURDAY_PATTERNS if day.weekday() == 5 else PATTERNS), s
        agent = served[s["agent_id"]]
        assert agent["role"] in ("asesor", "supervisor") and agent["hire_date"] <= s["date"]
        assert not agent["exit_date"] or s["date"] < agent["exit_date"]
        leave = agent["leave"]
        assert not (leave and leave["from"] <= s["date"] <= leave["until"])
        per_day[(s["agent_id"], s["date"])] += 1
    assert max(per_day.values()) == 1
    # 2026-11-02 (All Saints, observed) and 2026-11-16 (Cartagena) are holidays; Sundays are off.
    dates = {s["date"] for s in shifts}
    assert "2026-11-02" not in dates and "2026-11-16" not in dates and "2026-11-08" not in dates
    assert "2026-11-17" in dates and "2026-11-07" in dates


def test_attendance_is_recorded_for_past_shifts_at_plausible_rates(almabi):
    shifts = all_shifts(almabi, to=TODAY.isoformat())
    records = month_attendance(almabi)
    past = {s["shift_id"] for s in shifts if s["date"] < TODAY.isoformat()}
    assert {r["shift_id"] for r in records} == past
    assert all(s["attendance_status"] is None for s in shifts if s["date"] == TODAY.isoformat())
    statuses = Counter(r["status"] for r in records)
    total = len(records)
    assert total > 1000
    assert 0.85 < statuses["present"] / total < 0.97
    assert 0.015 < statuses["absent"] / total < 0.07
    assert 0.015 < statuses["late"] / total < 0.07
    for r in records:
        if r["status"] == "late":
            assert 5 <= r["minutes_late"] <= 45 and r["absence_reason"] is None
            assert dt.datetime.fromisoformat(r["check_in"]) == (
                dt.datetime.fromisoformat(r["shift_start"]) + dt.timedelta(minutes=r["minutes_late"])
            )
        elif r["status"] == "absent":
            assert r["absence_reason"] in ("incapacidad_medica", "calamidad_domestica", "permiso", "injustificada")
            assert r["check_in"] is None and r["minutes_late"] is None
        else:
            assert r["check_in"] == r["shift_start"]
        assert r["recorded_at"] >= r["shift_start"]
    assert {r["recorded_by"].split(".")[0] for r in records} == {"sup", "coord"}


def test_hires_and_exits_are_dated_inside_the_month(almabi, workforce):
    month = get(almabi, "/movements", **{"from": MONTH_START, "to": "2026-11-03"})["movements"]
    hires = [m for m in month if m["type"] == "hire"]
    exits = [m for m in month if m["type"] == "exit"]
    assert len(hires) >= 2 and len(exits) >= 2
    served = agents(almabi)
    for m in month:
        assert MONTH_START <= m["date"] < TODAY.isoformat()
        agent = served[m["agent_id"]]
        assert m["username"] == agent["username"] and m["team_id"] == agent["team_id"]
        if m["type"] == "exit":
            assert agent["exit_date"] == m["date"] and agent["exit_reason"] == m["reason"]
        else:
            assert agent["hire_date"] == m["date"] and m["reason"] in ("reemplazo", "ampliacion_operacion")
            assert get(almabi, "/shifts", **{"from": m["date"], "to": HORIZON, "agent_id": m["agent_id"]})["total"] > 0
    assert {m["agent_id"] for m in exits} == {a["agent_id"] for a in workforce["agents"] if a["exit_date"]}
    assert get(almabi, "/movements", **{"from": MONTH_START, "to": "2026-11-03", "type": "exit"})["movements"] == exits


# ---- reports ----------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("filters", [{}, {"team_id": "TEAM02"}, {"role": "asesor"}])
def test_attendance_summary_counts_the_records(almabi, filters):
    window = {"from": "2026-10-20", "to": TODAY.isoformat()}
    summary = get(almabi, "/reports/attendance-summary", **window, **filters)
    shift_filters = {k: v for k, v in filters.items() if k != "role"}
    shifts = [
        s
        for s in all_pages(almabi, "/shifts", "shifts", **window, status="scheduled", **shift_filters)
        if "role" not in filters or s["role"] == filters["role"]
    ]
    records = all_pages(almabi, "/attendance", "attendance", **window, **filters)
    by_day = {d["date"]: d for d in summary["days"]}
    assert set(by_day) == {s["date"] for s in shifts}
    for day, counts in by_day.items():
        assert counts["scheduled"] == sum(s["date"] == day for s in shifts)
        for status in ("present", "late", "absent"):
            assert counts[status] == sum(r["date"] == day and r["status"] == status for r in records)
        assert counts["unrecorded"] == sum(s["date"] == day and s["attendance_status"] is None for s in shifts)
    assert (
        summary["totals"]["absent"]
        == sum(summary["absences_by_reason"].values())
        == sum(r["status"] == "absent" for r in records)
    )
    assert summary["totals"]["unrecorded"] == by_day[TODAY.isoformat()]["scheduled"] > 0


def test_headcount_counts_agents_employed_and_the_months_movements(almabi):
    served = agents(almabi, role="asesor")
    report = get(almabi, "/reports/headcount", **{"from": MONTH_START, "to": "2026-11-03", "role": "asesor"})

    def employed(day):
        return sum(a["hire_date"] <= day and not (a["exit_date"] and a["exit_date"] <= day) for a in served.values())

    assert report["headcount_start"] == employed(MONTH_START)
    assert report["headcount_end"] == employed("2026-11-03")
    assert report["hires"] == sum(MONTH_START <= a["hire_date"] <= "2026-11-03" for a in served.values())
    assert report["exits"] == sum(bool(a["exit_date"]) for a in served.values()) >= 2
    assert sum(t["exits"] for t in report["teams"]) == report["exits"]
    assert sum(t["headcount_end"] for t in report["teams"]) == report["headcount_end"]
    team = get(
        almabi, "/reports/headcount", **{"from": MONTH_START, "to": "2026-11-03", "team_id": "TEAM02", "role": "asesor"}
    )
    assert [t["team_id"] for t in team["teams"]] == ["TEAM02"]
    assert team["headcount_end"] == next(t for t in report["teams"] if t["team_id"] == "TEAM02")["headcount_end"]


# ---- attendance rules -------------------------------------------------------------------------------------------
def test_attendance_is_registered_once_after_the_shift_starts(almabi):
    created = present(almabi, SUP_SHIFT_0700, recorded_by="coord.premium02")
    assert created.status_code == 201, created.text
    body = created.json()
    assert (body["status"], body["check_in"], body["recorded_at"]) == (
        "present",
        "2026-11-04T07:00:00-05:00",
        WEDNESDAY_8AM,
    )
    assert get(almabi, f"/shifts/{SUP_SHIFT_0700}")["attendance"]["recorded_by"] == "coord.premium02"
    again = present(almabi, SUP_SHIFT_0700, recorded_by="coord.premium02")
    assert again.status_code == 409 and again.headers["content-type"] == "application/problem+json"
    assert SUP_SHIFT_0700 in again.json()["detail"]
    summary = get(almabi, "/reports/attendance-summary", **{"from": "2026-11-04", "to": "2026-11-04"})
    assert summary["totals"]["present"] == 1


def test_a_shift_that_has_not_started_is_refused(almabi):
    tomorrow = shift_of(almabi, ADVISOR, "2026-11-05")
    refused = present(almabi, tomorrow["shift_id"])
    assert refused.status_code == 422
    assert tomorrow["start"] in refused.json()["detail"] and "2026-11-04T08:00:00-05:00" in refused.json()["detail"]
    late = almabi.post(
        "/attendance",
        json={
            "shift_id": shift_of(almabi, ADVISOR, "2026-11-04")["shift_id"],
            "status": "late",
            "minutes_late": 90,
            "recorded_by": "sup.premium02",
        },
    )
    assert late.status_code == 422 and "08:30:00" in late.json()["detail"]  # 07:00 + 90 min is still ahead


def test_the_clock_opens_a_later_shift_for_registration(almabi):
    later = next(
        s
        for s in get(
            almabi, "/shifts", **{"from": "2026-11-04", "to": "2026-11-04", "team_id": "TEAM02", "limit": 100}
        )["shifts"]
        if s["pattern"] == "13-21" and s["role"] == "asesor"
    )
    assert present(almabi, later["shift_id"]).status_code == 422
    assert almabi.post("/__admin/clock", json={"advance": "PT5H20M"}).status_code == 200  # 13:20
    absent = almabi.post(
        "/attendance",
        json={
            "shift_id": later["shift_id"],
            "status": "absent",
            "absence_reason": "calamidad_domestica",
            "recorded_by": "sup.premium02",
        },
    )
    assert absent.status_code == 201, absent.text
    assert absent.json()["recorded_at"] == "2026-11-04T13:20:00-05:00" and absent.json()["check_in"] is None
    late = almabi.post(
        "/attendance",
        json={
            "shift_id": shift_of(almabi, ADVISOR, "2026-11-04")["shift_id"],
            "status": "late",
            "minutes_late": 20,
            "recorded_by": "sup.premium02",
        },
    )
    assert late.status_code == 201 and late.json()["check_in"] == "2026-11-04T07:20:00-05:00"
    assert get(almabi, "/attendance", **{"from": "2026-11-04", "to": "2026-11-04"})["total"] == 2


def test_attendance_is_registered_by_a_leader_for_a_known_shift(almabi):
    today = shift_of(almabi, ADVISOR, "2026-11-04")["shift_id"]
    for who, words in (("asesor.premium05", "is an asesor"), ("nadie.premium99", "not an Almabi user")):
        refused = present(almabi, today, recorded_by=who)
        assert refused.status_code == 422 and words in refused.json()["detail"]
    missing = present(almabi, "SHF999999")
    assert missing.status_code == 404 and "SHF999999" in missing.json()["detail"]
    wrong = almabi.post("/attendance", json={"shift_id": today, "status": "late", "recorded_by": "sup.premium02"})
    assert wrong.status_code == 400  # late without minutes_late


# ---- hires and exits ----------------------------------------------------------------------------------------------
def test_an_exit_cancels_the_shifts_from_its_date(almabi):
    agent = get(almabi, f"/agents/{ADVISOR}")
    before = get(almabi, "/shifts", **{"from": "2026-11-06", "to": HORIZON, "agent_id": ADVISOR})["shifts"]
    done = almabi.post(
        f"/agents/{ADVISOR}/exit",
        json={"reason": "renuncia_voluntaria", "exit_date": "2026-11-06", "recorded_by": "coord.premium01"},
    )
    assert done.status_code == 201, done.text
    body = done.json()
    assert body["cancelled_shifts"] == [s["shift_id"] for s in before] and before
    assert body["movement"]["type"] == "exit" and body["movement"]["date"] == "2026-11-06"
    assert body["agent"]["status"] == "active"  # works until the 5th
    after = all_shifts(almabi, agent_id=ADVISOR, **{"from": "2026-11-04"})
    assert {s["shift_id"] for s in after if s["status"] == "cancelled"} == set(body["cancelled_shifts"])
    assert all(s["cancel_reason"] == "retiro" for s in after if s["status"] == "cancelled")
    assert [s["status"] for s in after if s["date"] < "2026-11-06"] == ["scheduled", "scheduled"]
    cancelled = present(almabi, body["cancelled_shifts"][0])
    assert cancelled.status_code == 422  # (not started yet, and cancelled: cancelled is said first)
    assert "cancelled" in cancelled.json()["detail"]
    again = almabi.post(f"/agents/{ADVISOR}/exit", json={"reason": "terminacion_contrato"})
    assert again.status_code == 409 and agent["username"] in again.json()["detail"]
    freeze(almabi, "2026-11-06T08:00:00-05:00")
    assert get(almabi, f"/agents/{ADVISOR}")["status"] == "exited"
    movements = get(almabi, "/movements", **{"from": "2026-11-04", "to": "2026-11-06", "type": "exit"})["movements"]
    assert [m["agent_id"] for m in movements] == [ADVISOR]


def test_exit_rules(almabi):
    def exit_(agent_id, **body):
        return almabi.post(f"/agents/{agent_id}/exit", json={"reason": "renuncia_voluntaria", **body})

    assert exit_("AGT0005").status_code == 422  # a supervisor
    past = exit_(ADVISOR, exit_date="2026-11-03")
    assert past.status_code == 422 and "2026-11-04" in past.json()["detail"]
    assert exit_(ADVISOR, exit_date="2027-03-01").status_code == 422  # beyond 60 days
    assert exit_("AGT9999").status_code == 404
    today = shift_of(almabi, ADVISOR, "2026-11-04")["shift_id"]
    assert present(almabi, today).status_code == 201
    worked = exit_(ADVISOR)  # today, but they worked today
    assert worked.status_code == 422 and "2026-11-04" in worked.json()["detail"]
    assert exit_(ADVISOR, exit_date="2026-11-05").status_code == 201


def test_a_hire_joins_a_team_and_the_headcount_from_its_date(almabi):
    body = {
        "first_name": "Laura",
        "last_name": "Gómez Rincón",
        "document_number": "1023456789",
        "team_id": "TEAM03",
        "reason": "ampliacion_operacion",
        "recorded_by": "coord.premium01",
    }
    before = get(almabi, "/reports/headcount", **{"from": "2026-11-03", "to": "2026-11-04", "team_id": "TEAM03"})
    hired = almabi.post("/agents", json=body)
    assert hired.status_code == 201, hired.text
    agent = hired.json()
    existing = [
        int(a["username"].removeprefix("asesor.premium"))
        for a in agents(almabi, role="asesor").values()
        if a["agent_id"] != agent["agent_id"]
    ]
    assert agent["username"] == f"asesor.premium{max(existing) + 1:02d}"
    assert (agent["hire_date"], agent["status"], agent["team_id"], agent["chain"]["supervisor"]["username"]) == (
        "2026-11-04",
        "active",
        "TEAM03",
        "sup.premium03",
    )
    after = get(almabi, "/reports/headcount", **{"from": "2026-11-03", "to": "2026-11-04", "team_id": "TEAM03"})
    assert after["headcount_start"] == before["headcount_start"]  # not employed yesterday
    assert after["headcount_end"] == before["headcount_end"] + 1 and after["hires"] == before["hires"] + 1
    assert agent["agent_id"] in {m["agent_id"] for m in get(almabi, "/teams/TEAM03")["members"]}
    shifts = all_shifts(almabi, agent_id=agent["agent_id"], **{"from": "2026-11-04"})
    assert shifts and min(s["date"] for s in shifts) == "2026-11-05" and max(s["date"] for s in shifts) <= HORIZON
    movement = get(almabi, "/movements", **{"from": "2026-11-04", "to": "2026-11-04", "type": "hire"})["movements"]
    assert [(m["agent_id"], m["reason"]) for m in movement] == [(agent["agent_id"], "ampliacion_operacion")]
    duplicate = almabi.post("/agents", json=body)
    assert duplicate.status_code == 409 and agent["agent_id"] in duplicate.json()["detail"]
    unknown = almabi.post("/agents", json=dict(body, document_number="1023456780", team_id="TEAM42"))
    assert unknown.status_code == 404 and "TEAM42" in unknown.json()["detail"]


def test_reset_undoes_hires_exits_and_attendance(almabi):
    assert (
        almabi.post(
            "/agents",
            json={"first_name": "Ana", "last_name": "Ruiz Díaz", "document_number": "52000111", "team_id": "TEAM01"},
        ).status_code
        == 201
    )
    assert almabi.post(f"/agents/{ADVISOR}/exit", json={"reason": "renuncia_voluntaria"}).status_code == 201
    assert present(almabi, SUP_SHIFT_0700, recorded_by="coord.premium02").status_code == 201
    assert almabi.post("/__admin/reset").status_code == 200
    assert get(almabi, f"/agents/{ADVISOR}")["exit_date"] is None
    assert get(almabi, "/agents", document_number="52000111")["agents"] == []
    assert get(almabi, f"/shifts/{SUP_SHIFT_0700}")["attendance"] is None
    assert get(almabi, "/movements", **{"from": "2026-11-04", "to": "2026-11-30"})["movements"] == []


# ---- bad input, fixtures, sandboxes ---------------------------------------------------------------------------------
def test_windows_and_unknown_identifiers_get_problems(almabi):
    reversed_ = almabi.get("/attendance", params={"from": "2026-11-04", "to": "2026-11-01"})
    assert reversed_.status_code == 422 and "before" in reversed_.json()["detail"]
    too_long = almabi.get("/shifts", params={"from": "2026-09-01", "to": "2026-11-04"})
    assert too_long.status_code == 422 and "62 days" in too_long.json()["detail"]
    assert almabi.get("/reports/headcount", params={"from": "2026-01-01", "to": "2026-11-04"}).status_code == 200
    assert almabi.get("/shifts", params={"from": "2026-11-04"}).status_code == 400  # 'to' is required
    for url, word in (("/agents/AGT0999", "AGT0999"), ("/teams/TEAM99", "TEAM99"), ("/shifts/SHF000000", "SHF000000")):
        response = almabi.get(url)
        assert response.status_code == 404 and word in response.json()["detail"]
        assert response.headers["content-type"] == "application/problem+json"
    assert almabi.get("/agents", params={"team_id": "TEAM77"}).status_code == 404


def test_fixtures_plant_a_leave_and_a_corrected_absence(almabi):
    record = month_attendance(almabi, agent_id=ADVISOR, status="present")[0]
    planted = almabi.post(
        "/__admin/fixtures",
        json={
            "description": "ausencia corregida y vacaciones",
            "changes": [
                {
                    "table": "attendance",
                    "update": {
                        "where": {"shift_id": record["shift_id"]},
                        "set": {"status": "absent", "absence_reason": "permiso", "check_in": None},
                    },
                },
                {
                    "table": "agents",
                    "update": {
                        "where": {"agent_id": ADVISOR},
                        "set": {"leave_from": "2026-11-04", "leave_until": "2026-11-20", "leave_reason": "vacaciones"},
                    },
                },
            ],
        },
    )
    assert planted.status_code == 200, planted.text
    assert get(almabi, f"/agents/{ADVISOR}")["status"] == "inactive"
    day = get(
        almabi, "/reports/attendance-summary", **{"from": record["date"], "to": record["date"], "team_id": "TEAM02"}
    )
    absent = month_attendance(almabi, team_id="TEAM02", status="absent")
    assert day["totals"]["absent"] == sum(r["date"] == record["date"] for r in absent)
    assert record["shift_id"] in {r["shift_id"] for r in absent}
    bad = almabi.post(
        "/__admin/fixtures",
        json={
            "changes": [
                {
                    "table": "attendance",
                    "update": {"where": {"shift_id": record["shift_id"]}, "set": {"status": "late"}},
                }
            ]
        },
    )  # late needs its minutes
    assert bad.status_code in (400, 422)


def test_another_seed_gives_another_workforce(almabi):
    assert almabi.post("/__admin/sandboxes", json={"name": "almabi-seed-7", "seed": 7}).status_code == 201
    try:
        other = almabi.get("/agents", headers={"X-Sandbox": "almabi-seed-7"}).json()["agents"]
        mine = get(almabi, "/agents")["agents"]
        assert [a["document_number"] for a in other] != [a["document_number"] for a in mine]
        assert {a["username"] for a in other} >= {f"asesor.premium{n:02d}" for n in range(1, 13)}
    finally:
        almabi.delete("/__admin/sandboxes/almabi-seed-7")
