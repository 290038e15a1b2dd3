"""The leaders' management practices (procedure, section 7): the catalogue (world/data/practices.yaml), the
record of each one held (the gateway's CRM, table `practices`) and the weekly adherence (services/adherence.py).

A practice is led by an Almabi leader whose role owns it (its `goals` name the role) and who is employed: anything
else is a 422 that says why. Its time is the sandbox's virtual now unless given (never in the future); its week is
the ISO week of its Bogotá date.
"""

from __future__ import annotations

import datetime as dt
from importlib import resources

from claro_backoffice.core.formats import instant
from claro_backoffice.core.timezone import BOGOTA
from claro_backoffice.core.yamlload import safe_load
from claro_backoffice.gateway.backoffice import Backoffice
from claro_backoffice.gateway.backoffice.base import CallContext
from claro_backoffice.gateway.cases.ids import next_id
from claro_backoffice.gateway.cases.store import CrmStore, rows
from claro_backoffice.gateway.domain_errors import DomainError, NotFound, RuleBroken
from claro_backoffice.gateway.services import adherence

FREQUENCY_ES = {"daily": "Diaria", "weekly": "Semanal", "fortnightly": "Quincenal", "semiannual": "Semestral"}


def catalogue() -> list[dict]:
    """The catalogue as data, read when asked (a small file; nothing at import time)."""
    text = resources.files("claro_backoffice.world").joinpath("data", "practices.yaml").read_text(encoding="utf-8")
    return [p | {"frequencyEs": FREQUENCY_ES[p["frequency"]], "roles": list(p["goals"])} for p in safe_load(text)]


def _practice(code: str) -> dict:
    found = [p for p in catalogue() if p["code"] == code]
    if not found:
        raise RuleBroken(f"'{code}' is not a practice of the catalogue (GET /practices/catalogue)", "practice")
    return found[0]


def leader(backoffice: Backoffice, ctx: CallContext, username: str, refusal: type[DomainError] = RuleBroken) -> dict:
    """The Almabi agent behind a leader's username: `refusal` (RuleBroken or NotFound) when unknown or not a
    leader."""
    agent = backoffice.almabi.agent_by_username(ctx, username)
    if agent is None:
        raise refusal(f"'{username}' is not an agent in Almabi", "unknown-leader")
    if agent["role"] not in adherence.LEADER_ROLES:
        raise refusal(
            f"'{username}' is an {agent['role']} in Almabi, not a leader (supervisor, coordinador or gerente)",
            "not-a-leader",
        )
    return agent


def _view(record: dict) -> dict:
    return {
        "id": record["id"],
        "practiceCode": record["practice_code"],
        "ledBy": record["led_by"],
        "leaderRole": record["leader_role"],
        "teamId": record["team_id"],
        "heldAt": record["held_at"],
        "week": record["week"],
        "durationMinutes": record["duration_minutes"],
        "attendees": record["attendees"],
        "notes": record["notes"],
        "recordedAt": record["recorded_at"],
    }


def record(
    backoffice: Backoffice, crm: CrmStore, now: dt.datetime, ctx: CallContext, body: dict, recorded_by: str | None
) -> dict:
    practice = _practice(body["practiceCode"])
    agent = leader(backoffice, ctx, body["ledBy"])
    if agent["role"] not in practice["goals"]:
        raise RuleBroken(
            f"{agent['username']} is a {agent['role']}; {practice['name']} is led by {' / '.join(practice['goals'])}",
            "practice-role",
        )
    if agent["status"] == "exited":
        raise RuleBroken(f"{agent['username']} left the operation on {agent['exitDate']}", "leader-exited")
    team = body.get("teamId")
    if agent["role"] == "supervisor":
        if team and team != agent["teamId"]:
            raise RuleBroken(f"{agent['username']} leads {agent['teamId']}, not {team}", "practice-team")
        team = agent["teamId"]
    elif team and team not in {t["teamId"] for t in backoffice.almabi.teams(ctx)}:
        raise RuleBroken(f"{team} is not a team in Almabi", "practice-team")
    held = instant(body["heldAt"]).astimezone(BOGOTA) if body.get("heldAt") else now
    if held > now:
        raise RuleBroken(f"heldAt {held.isoformat()} is after the sandbox's now ({now.isoformat()})", "practice-date")
    if held.date().isoformat() < agent["hireDate"]:
        raise RuleBroken(f"{agent['username']} was hired on {agent['hireDate']}, after {held.date()}", "practice-date")
    values = {
        "practice_code": practice["code"],
        "led_by": agent["username"],
        "leader_role": agent["role"],
        "team_id": team,
        "held_at": held.replace(microsecond=0).isoformat(),
        "held_on": held.date().isoformat(),
        "week": adherence.week_name(held.date()),
        "duration_minutes": body.get("durationMinutes", practice["durationMinutes"]),
        "attendees": body.get("attendees"),
        "notes": body.get("notes"),
        "recorded_by": recorded_by,
        "recorded_at": now.isoformat(),
    }
    with crm.write(ctx.sandbox) as db:
        values["id"] = next_id(db, "PRA")
        db.table("practices").insert(values)
    return _view(values)


def find(
    backoffice: Backoffice,
    crm: CrmStore,
    ctx: CallContext,
    week: str | None = None,
    led_by: str | None = None,
    team: str | None = None,
) -> list[dict]:
    if led_by:
        leader(backoffice, ctx, led_by, NotFound)
    where, args = [], []
    for column, value in (("week", week), ("led_by", led_by), ("team_id", team)):
        if value:
            where.append(f"{column} = ?")
            args.append(value)
    sql = "SELECT * FROM practices" + (" WHERE " + " AND ".join(where) if where else "") + " ORDER BY held_at, id"
    with crm.read(ctx.sandbox) as db:
        return [_view(r) for r in rows(db.execute(sql, args))]


def monday_of(week: str) -> dt.date:
    try:
        return adherence.parse_week(week)
    except ValueError:
        raise RuleBroken(f"{week} is not a week of its year", "practice-week") from None


def week_adherence(backoffice: Backoffice, crm: CrmStore, ctx: CallContext, week: str) -> dict:
    monday = monday_of(week)
    sunday = monday + dt.timedelta(days=6)
    almabi = backoffice.almabi
    leaders = [
        a
        for a in almabi.agents(ctx)
        if a["role"] in adherence.LEADER_ROLES
        and a["hireDate"] <= sunday.isoformat()
        and (a["exitDate"] is None or a["exitDate"] > monday.isoformat())
    ]
    usernames = {a["username"] for a in leaders if a["role"] == "supervisor"}
    worked: dict[str, set] = {u: set() for u in usernames}
    for shift in almabi.shifts(ctx, monday.isoformat(), sunday.isoformat(), status="scheduled"):
        if shift["username"] in worked:
            worked[shift["username"]].add(shift["date"])
    items = catalogue()
    first, last = adherence.span(items, monday)
    with crm.read(ctx.sandbox) as db:
        held = [
            {"practiceCode": r["practice_code"], "ledBy": r["led_by"], "date": r["held_on"]}
            for r in rows(
                db.execute(
                    "SELECT practice_code, led_by, held_on FROM practices WHERE held_on BETWEEN ? AND ?",
                    [first.isoformat(), last.isoformat()],
                )
            )
        ]
    return adherence.compute(items, leaders, held, monday, {u: len(days) for u, days in worked.items()})
