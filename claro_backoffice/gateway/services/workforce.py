"""The workforce as supervisors read it (Almabi): agents with their chain of command, attendance per agent and
day, and the two Almabi indicators of the procedure (section 5), which GET /indicators also uses:

- AUSENTISMO = absent asesor shifts ÷ scheduled asesor shifts in the window (both days included), as the procedure
  writes it: "agentes faltantes / el total de agentes programados", counted in agent-days (an agent has at most one
  shift a day). Late is present. A scheduled shift whose attendance is not registered yet (today's, the future's)
  is scheduled and not absent, so a window reaching into the future lowers the rate: `overRegistered` gives the
  rate over registered shifts only (present + late + absent), and `unrecorded` says how many were left out there.
  Cancelled shifts (exits, leave) are not scheduled.
- ROTACIÓN = asesor exits dated in the window ÷ asesores active on the window's first day ("agentes retirados / el
  total de agentes activos"). An exit's date is the first day out. `overAverageHeadcount` gives the usual HR
  variant over the window's average headcount, (employed on the first day + employed on the last day) / 2.

Only asesores count (they are the agents who answer customers; leaders' exits are not registered in Almabi).
`value` is a percentage with two decimals, None when the denominator is 0.
"""

from __future__ import annotations

import datetime as dt
from concurrent.futures import Executor

from claro_backoffice.gateway.backoffice import Backoffice
from claro_backoffice.gateway.backoffice.base import CallContext
from claro_backoffice.gateway.domain_errors import RuleBroken

MAX_ATTENDANCE_DAYS = 62  # Almabi's window for shifts and attendance
MAX_MOVEMENT_DAYS = 366
ABSENTEEISM = (
    "AUSENTISMO: absent asesor shifts ÷ scheduled asesor shifts in the window; late counts as present; a shift "
    "whose attendance is not registered yet counts as scheduled, not absent"
)
ABSENTEEISM_REGISTERED = (
    "absent asesor shifts ÷ asesor shifts with attendance registered (present, late or absent) in the window; "
    "unregistered shifts are left out (see unrecorded)"
)
ROTATION = "ROTACIÓN: asesor exits dated in the window ÷ asesores active (employed) on the window's first day"
ROTATION_AVERAGE = (
    "asesor exits dated in the window ÷ average asesor headcount ((employed on the first day + employed on the "
    "last day) / 2)"
)


def window(first: str, last: str, max_days: int) -> tuple[str, str]:
    """Both ends (dates, as the spec checked) as ISO dates; 422 for a reversed window or one longer than max_days."""
    start, end = dt.date.fromisoformat(first), dt.date.fromisoformat(last)
    if end < start:
        raise RuleBroken(f"the window ends ({end}) before it starts ({start})", "workforce-window")
    if (end - start).days > max_days:
        raise RuleBroken(f"the window {start}..{end} is longer than {max_days} days", "workforce-window")
    return start.isoformat(), end.isoformat()


def percent(numerator: float, denominator: float) -> float | None:
    return round(100 * numerator / denominator, 2) if denominator else None


def _ref(leader: dict | None) -> dict | None:
    return (
        None
        if leader is None
        else {
            "id": leader["agentId"],
            "username": leader["username"],
            "fullName": leader["fullName"],
            "role": leader["role"],
        }
    )


def agent_view(agent: dict) -> dict:
    chain = agent.get("chain") or {}
    return {
        "id": agent["agentId"],
        "username": agent["username"],
        "fullName": agent["fullName"],
        "firstName": agent["firstName"],
        "role": agent["role"],
        "status": agent["status"],
        "teamId": agent["teamId"],
        "supervisor": _ref(chain.get("supervisor")),
        "coordinator": _ref(chain.get("coordinator")),
        "manager": _ref(chain.get("manager")),
        "hireDate": agent["hireDate"],
        "exitDate": agent["exitDate"],
        "exitReason": agent["exitReason"],
        "leave": agent["leave"],
    }


def agents(
    backoffice: Backoffice,
    ctx: CallContext,
    team: str | None = None,
    status: str | None = None,
    role: str | None = None,
) -> list[dict]:
    return [agent_view(a) for a in backoffice.almabi.agents(ctx, team_id=team, status=status, role=role)]


def attendance(backoffice: Backoffice, ctx: CallContext, first: str, last: str, team: str | None = None) -> dict:
    """Every scheduled shift of the window with its attendance (status `unrecorded` when not registered)."""
    first, last = window(first, last, MAX_ATTENDANCE_DAYS)
    almabi = backoffice.almabi
    registered = {a["shiftId"]: a for a in almabi.attendance(ctx, first, last, team_id=team)}
    records, totals = [], {"scheduled": 0, "present": 0, "late": 0, "absent": 0, "unrecorded": 0}
    for shift in almabi.shifts(ctx, first, last, team_id=team, status="scheduled"):
        seen = registered.get(shift["shiftId"])
        status = seen["status"] if seen else "unrecorded"
        totals["scheduled"] += 1
        totals[status] += 1
        records.append(
            {
                "date": shift["date"],
                "agentId": shift["agentId"],
                "username": shift["username"],
                "role": shift["role"],
                "teamId": shift["teamId"],
                "shiftId": shift["shiftId"],
                "shiftStart": shift["start"],
                "shiftEnd": shift["end"],
                "status": status,
                "minutesLate": seen["minutesLate"] if seen else None,
                "absenceReason": seen["absenceReason"] if seen else None,
            }
        )
    return {"from": first, "to": last, "teamId": team, "totals": totals, "records": records}


def absenteeism(backoffice: Backoffice, ctx: CallContext, first: str, last: str, team: str | None = None) -> dict:
    """AUSENTISMO for GET /indicators: numerator, denominator, value (%), the definition, per day and by reason."""
    first, last = window(first, last, MAX_ATTENDANCE_DAYS)
    summary = backoffice.almabi.attendance_summary(ctx, first, last, team_id=team, role="asesor")

    def counts(c: dict) -> dict:
        recorded = c["present"] + c["late"] + c["absent"]
        return {
            "numerator": c["absent"],
            "denominator": c["scheduled"],
            "value": percent(c["absent"], c["scheduled"]),
            "scheduled": c["scheduled"],
            "unrecorded": c["unrecorded"],
            "overRegistered": {
                "numerator": c["absent"],
                "denominator": recorded,
                "value": percent(c["absent"], recorded),
            },
        }

    totals = counts(summary["totals"])
    totals["overRegistered"]["definition"] = ABSENTEEISM_REGISTERED
    return {
        "indicator": "AUSENTISMO",
        **totals,
        "definition": ABSENTEEISM,
        "absencesByReason": summary["absencesByReason"],
        "days": [{"date": d["date"]} | counts(d) for d in summary["days"]],
    }


def rotation(backoffice: Backoffice, ctx: CallContext, first: str, last: str, team: str | None = None) -> dict:
    """ROTACIÓN for GET /indicators: numerator (exits), denominator (active at the start), value (%), definition."""
    first, last = window(first, last, MAX_MOVEMENT_DAYS)
    report = backoffice.almabi.headcount(ctx, first, last, team_id=team, role="asesor")
    exits, active = report["exits"], report["headcountStart"]
    average = (report["headcountStart"] + report["headcountEnd"]) / 2
    return {
        "indicator": "ROTACIÓN",
        "numerator": exits,
        "denominator": active,
        "value": percent(exits, active),
        "definition": ROTATION,
        "overAverageHeadcount": {
            "numerator": exits,
            "denominator": average,
            "value": percent(exits, average),
            "definition": ROTATION_AVERAGE,
        },
        "headcountStart": report["headcountStart"],
        "headcountEnd": report["headcountEnd"],
        "hires": report["hires"],
        "exitsByReason": report["exitsByReason"],
    }


def summary(
    backoffice: Backoffice, executor: Executor, ctx: CallContext, first: str, last: str, team: str | None = None
) -> dict:
    first, last = window(first, last, MAX_ATTENDANCE_DAYS)
    absent = executor.submit(absenteeism, backoffice, ctx, first, last, team)
    rotated = executor.submit(rotation, backoffice, ctx, first, last, team)
    return {"from": first, "to": last, "teamId": team, "absenteeism": absent.result(), "rotation": rotated.result()}
