"""Weekly adherence to the management practices (procedure, section 7): each leader's done vs goal per practice.

Definition: for an ISO week (Monday–Sunday, Bogotá), each leader employed in it (supervisors, coordinadores,
gerentes in Almabi) owes every practice whose `goals` name their role:
- daily practices: goal per role × the days the leader worked that week (their scheduled shifts in Almabi;
  coordinadores and gerentes work no shifts, so Monday–Friday); achieved = days with at least one held, capped;
- weekly practices: the role's goal in the week; achieved = held, capped at the goal;
- fortnightly practices: the goal in a fortnight of two ISO weeks (odd week + the next even one; week 53 alone),
  counted in the fortnight's second week only (the first week shows progress with `counted: false`);
- semiannual practices: the goal in the semester (ISO weeks whose Thursday falls in January–June or
  July–December), counted in the semester's last week only.
A leader's adherence % = Σ achieved ÷ Σ goal over the practices counted that week; the operation's % is the same
sums over all leaders. Doing more than the goal never makes up for another practice.
"""

from __future__ import annotations

import datetime as dt

LEADER_ROLES = ("supervisor", "coordinador", "gerente")
WEEKDAYS_WORKED_WITHOUT_SHIFTS = 5


def parse_week(week: str) -> dt.date:
    """'2026-W45' -> that week's Monday; ValueError when the year has no such week."""
    year, number = week.split("-W")
    return dt.date.fromisocalendar(int(year), int(number), 1)


def week_name(day: dt.date) -> str:
    year, number, _ = day.isocalendar()
    return f"{year}-W{number:02d}"


def _semester_weeks(monday: dt.date) -> tuple[dt.date, dt.date]:
    """First and last Monday of the semester (by the weeks' Thursdays) that holds this week."""
    thursday = monday + dt.timedelta(days=3)
    first_month = 1 if thursday.month <= 6 else 7
    start = dt.date(thursday.year, first_month, 1)
    end = dt.date(thursday.year, 6, 30) if first_month == 1 else dt.date(thursday.year, 12, 31)
    first_thursday = start + dt.timedelta(days=(3 - start.weekday()) % 7)
    last_thursday = end - dt.timedelta(days=(end.weekday() - 3) % 7)
    return first_thursday - dt.timedelta(days=3), last_thursday - dt.timedelta(days=3)


def period(frequency: str, monday: dt.date) -> tuple[dt.date, dt.date, bool]:
    """(first day, last day, counted this week) of the period of a practice with this frequency."""
    sunday = monday + dt.timedelta(days=6)
    if frequency in ("daily", "weekly"):
        return monday, sunday, True
    if frequency == "fortnightly":
        number = monday.isocalendar()[1]
        if number == 53:
            return monday, sunday, True
        if number % 2:
            return monday, sunday + dt.timedelta(days=7), False
        return monday - dt.timedelta(days=7), sunday, True
    if frequency == "semiannual":
        first, last = _semester_weeks(monday)
        return first, last + dt.timedelta(days=6), monday == last
    raise ValueError(f"unknown frequency {frequency!r}")


def span(catalogue: list[dict], monday: dt.date) -> tuple[dt.date, dt.date]:
    """The days whose practices a week's adherence needs (the widest period of the catalogue)."""
    periods = [period(p["frequency"], monday) for p in catalogue]
    return min(p[0] for p in periods), max(p[1] for p in periods)


def compute(
    catalogue: list[dict], leaders: list[dict], held: list[dict], monday: dt.date, workdays: dict[str, int]
) -> dict:
    """leaders: [{username, role, ...}]; held: [{practiceCode, ledBy, date (ISO day)}]; workdays: username -> days
    with a shift that week (a leader absent from it works Monday–Friday). Pure: no I/O."""
    sunday = monday + dt.timedelta(days=6)
    rows, total_goal, total_achieved = [], 0, 0
    for leader in leaders:
        practices, goal_sum, achieved_sum = [], 0, 0
        for practice in catalogue:
            per_period = practice["goals"].get(leader["role"])
            if not per_period:
                continue
            first, last, counted = period(practice["frequency"], monday)
            if practice["frequency"] == "daily":
                first, last = monday, sunday
            mine = [
                h
                for h in held
                if h["ledBy"] == leader["username"]
                and h["practiceCode"] == practice["code"]
                and first.isoformat() <= h["date"] <= last.isoformat()
            ]
            if practice["frequency"] == "daily":
                goal = per_period * workdays.get(leader["username"], WEEKDAYS_WORKED_WITHOUT_SHIFTS)
                per_day: dict[str, int] = {}
                for h in mine:
                    per_day[h["date"]] = per_day.get(h["date"], 0) + 1
                achieved = min(goal, sum(min(per_period, n) for n in per_day.values()))
            else:
                goal = per_period
                achieved = min(goal, len(mine))
            practices.append(
                {
                    "practiceCode": practice["code"],
                    "frequency": practice["frequency"],
                    "periodStart": first.isoformat(),
                    "periodEnd": last.isoformat(),
                    "goal": goal,
                    "done": len(mine),
                    "achieved": achieved,
                    "counted": counted,
                }
            )
            if counted:
                goal_sum += goal
                achieved_sum += achieved
        rows.append(
            {
                "username": leader["username"],
                "fullName": leader.get("fullName"),
                "role": leader["role"],
                "teamId": leader.get("teamId"),
                "goal": goal_sum,
                "achieved": achieved_sum,
                "adherence": _percent(achieved_sum, goal_sum),
                "practices": practices,
            }
        )
        total_goal += goal_sum
        total_achieved += achieved_sum
    return {
        "week": week_name(monday),
        "from": monday.isoformat(),
        "to": sunday.isoformat(),
        "goal": total_goal,
        "achieved": total_achieved,
        "adherence": _percent(total_achieved, total_goal),
        "leaders": rows,
    }


def _percent(part: int, whole: int) -> float | None:
    return round(100 * part / whole, 2) if whole else None
