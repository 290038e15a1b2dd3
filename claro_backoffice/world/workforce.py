"""The contact centre's workforce (Almacontact, as Almabi holds it): agents and their chain of command, teams,
scheduled shifts, attendance, hires and exits.

    gerente (1) -> coordinadores (1 per 3 teams) -> supervisores (1 per team) -> asesores (~10 per team)

History covers HISTORY_DAYS before the world's reference date, with attendance for every past day; shifts are
scheduled for FUTURE_DAYS after it (no attendance yet) and for today (its attendance not taken yet). Only
supervisores and asesores work shifts; coordinadores and the gerente keep office hours that Almabi doesn't plan.

Independent of the customer population except for a mild scaling of the number of teams (4 to 10), and drawn
from its own random.Random and Faker instances, so adding it to a world changes no other table.
"""

from __future__ import annotations

import datetime as dt
import math
import random
from typing import TYPE_CHECKING

from claro_backoffice.core.timezone import BOGOTA
from claro_backoffice.world.config import WorldConfig

if TYPE_CHECKING:
    from faker import Faker

HISTORY_DAYS = 31  # days of history before the reference date
FUTURE_DAYS = 14  # days of scheduled shifts after it
ASESORES_PER_TEAM = (9, 11)
PROTECTED_ADVISORS = 12  # asesor.premium01-12 sign other systems' history: never among the month's exits
# Weekday shift patterns (start hour, end hour); a Saturday shift starts at the same hour and lasts 6 h.
PATTERNS = ((7, 15), (8, 16), (11, 19), (13, 21))
SATURDAY_HOURS = 6
ABSENCE_REASONS = ("incapacidad_medica", "calamidad_domestica", "permiso", "injustificada")
_ABSENCE_WEIGHTS = (40, 15, 20, 25)
EXIT_REASONS = (
    "renuncia_voluntaria",
    "terminacion_contrato",
    "despido_justa_causa",
    "abandono_de_cargo",
    "periodo_prueba_no_superado",
)
_EXIT_WEIGHTS = (55, 15, 10, 10, 10)
HIRE_REASONS = ("reemplazo", "ampliacion_operacion")
LEAVE_REASONS = (
    "vacaciones",
    "licencia_maternidad",
    "licencia_paternidad",
    "incapacidad_prolongada",
    "licencia_no_remunerada",
)
LINES_OF_BUSINESS = ("hogar", "movil")
USERNAME_PREFIX = {"asesor": "asesor", "supervisor": "sup", "coordinador": "coord", "gerente": "ger"}
EMAIL_DOMAIN = "almacontact.com.co"


def co_holidays(first: dt.date, last: dt.date) -> dict[dt.date, str]:
    import holidays  # only when a world is built

    return dict(holidays.country_holidays("CO", years=range(first.year, last.year + 1), language="es"))


def is_working_day(day: dt.date, closed: dict[dt.date, str]) -> bool:
    return day.weekday() != 6 and day not in closed


def shift_times(rotation: int, day: dt.date, closed: dict[dt.date, str]) -> tuple[dt.datetime, dt.datetime, str] | None:
    """(start, end, pattern) of the shift an agent of rotation group `rotation` (0-3) works on `day`, or None.

    The weekday pattern rotates every ISO week; Saturdays are worked every other week (6 h); never on Sundays
    or Colombian holidays."""
    if not is_working_day(day, closed):
        return None
    week = day.isocalendar()[1]
    start_hour, end_hour = PATTERNS[(rotation + week) % len(PATTERNS)]
    if day.weekday() == 5:
        if (rotation + week) % 2:
            return None
        end_hour = start_hour + SATURDAY_HOURS
    start = dt.datetime.combine(day, dt.time(start_hour), BOGOTA)
    end = dt.datetime.combine(day, dt.time(end_hour), BOGOTA)
    return start, end, f"{start_hour:02d}-{end_hour:02d}"


def username(role: str, number: int) -> str:
    return f"{USERNAME_PREFIX[role]}.premium{number:02d}"


def agent_id(number: int) -> str:
    return f"AGT{number:04d}"


def team_count(size: int) -> int:
    return max(4, min(10, 4 + size // 100))


class _People:
    """Names from Faker es_CO and unique synthetic CC numbers."""

    def __init__(self, rng: random.Random, fake: Faker):
        self.rng, self.fake = rng, fake
        self.used: set[str] = set()

    def person(self) -> dict:
        doc = None
        while doc is None or doc in self.used:
            doc = str(
                self.rng.choice(
                    (self.rng.randrange(1_000_000_000, 1_130_000_000), self.rng.randrange(10_000_000, 99_999_999))
                )
            )
        self.used.add(doc)
        return {
            "document_type": "CC",
            "document_number": doc,
            "first_name": self.fake.first_name(),
            "last_name": f"{self.fake.last_name()} {self.fake.last_name()}",
        }


def make_workforce(config: WorldConfig, now: dt.datetime) -> dict[str, list[dict]]:
    from faker import Faker  # imported when a world is built: a warm start never needs it (~14 MB, issue 7)

    rng = random.Random(f"{config.seed}:workforce")
    fake = Faker("es_CO")
    fake.seed_instance(f"{config.seed}:workforce")
    people = _People(rng, fake)
    today = now.astimezone(BOGOTA).date()
    first_day, last_day = today - dt.timedelta(days=HISTORY_DAYS), today + dt.timedelta(days=FUTURE_DAYS)
    closed = co_holidays(first_day, last_day)
    month_days = [first_day + dt.timedelta(days=i) for i in range(HISTORY_DAYS)]
    month_workdays = [d for d in month_days if is_working_day(d, closed) and d.weekday() < 5]

    agents: list[dict] = []
    counters = {role: 0 for role in USERNAME_PREFIX}

    def add_agent(role: str, team_id: str | None, reports_to: str | None, hire_date: dt.date) -> dict:
        counters[role] += 1
        number = len(agents) + 1
        user = username(role, counters[role])
        row = {
            "agent_id": agent_id(number),
            "username": user,
            **people.person(),
            "email": f"{user}@{EMAIL_DOMAIN}",
            "role": role,
            "team_id": team_id,
            "reports_to": reports_to,
            "hire_date": hire_date.isoformat(),
            "exit_date": None,
            "exit_reason": None,
            "leave_from": None,
            "leave_until": None,
            "leave_reason": None,
            "rotation": number % len(PATTERNS),
        }
        agents.append(row)
        return row

    def past_date(min_days: int, max_days: int) -> dt.date:
        return today - dt.timedelta(days=rng.randrange(min_days, max_days))

    manager = add_agent("gerente", None, None, past_date(5 * 365, 9 * 365))
    n_teams = team_count(config.size)
    coordinators = [
        add_agent("coordinador", None, manager["agent_id"], past_date(3 * 365, 7 * 365))
        for _ in range(math.ceil(n_teams / 3))
    ]
    teams = []
    for i in range(n_teams):
        line = LINES_OF_BUSINESS[i % 2]
        team_id = f"TEAM{i + 1:02d}"
        coordinator = coordinators[i * len(coordinators) // n_teams]
        sup = add_agent("supervisor", team_id, coordinator["agent_id"], past_date(400, 5 * 365))
        teams.append(
            {
                "team_id": team_id,
                "name": f"Premium {'Hogar' if line == 'hogar' else 'Móvil'} {chr(ord('A') + i // 2)}",
                "line_of_business": line,
                "channel": "whatsapp_premium",
                "supervisor_id": sup["agent_id"],
                "coordinator_id": coordinator["agent_id"],
                "manager_id": manager["agent_id"],
            }
        )
    sup_of = {t["team_id"]: t["supervisor_id"] for t in teams}

    # The staff before this month; then the month's hires (a cohort or two) take the next numbers.
    staff = []
    for team in teams:
        for _ in range(rng.randint(*ASESORES_PER_TEAM)):
            staff.append(team["team_id"])
    rng.shuffle(staff)
    for team_id in staff:
        add_agent("asesor", team_id, sup_of[team_id], past_date(HISTORY_DAYS + 20, 4 * 365))
    n_hires = max(2, min(6, round(len(staff) * 0.05)))
    cohorts = sorted(rng.sample(month_workdays[3:], 2))
    hires = []
    for k in range(n_hires):
        team_id = min(teams, key=lambda t: (sum(a["team_id"] == t["team_id"] for a in agents), t["team_id"]))["team_id"]
        hires.append(add_agent("asesor", team_id, sup_of[team_id], cohorts[k % 2]))

    # Exits in the month, and leaves (one already over, two going on today).
    protected = {username("asesor", n) for n in range(1, PROTECTED_ADVISORS + 1)}
    veterans = [a for a in agents if a["role"] == "asesor" and a["username"] not in protected and a not in hires]
    n_exits = max(2, min(8, round(len(staff) * 0.06)))
    chosen = rng.sample(veterans, n_exits + 3)
    for agent in chosen[:n_exits]:
        agent["exit_date"] = rng.choice(month_workdays[1:]).isoformat()
        agent["exit_reason"] = rng.choices(EXIT_REASONS, _EXIT_WEIGHTS)[0]
    leaves = (
        (HISTORY_DAYS - 2, 12, "vacaciones"),
        (9, 21, "vacaciones"),
        (20, 120, rng.choice(("licencia_maternidad", "incapacidad_prolongada"))),
    )
    for agent, (ago, length, reason) in zip(chosen[n_exits:], leaves, strict=True):
        start = today - dt.timedelta(days=ago)
        agent.update(
            leave_from=start.isoformat(),
            leave_until=(start + dt.timedelta(days=length)).isoformat(),
            leave_reason=reason,
        )

    shifts, attendance = _schedule(rng, agents, first_day, last_day, today, closed)
    movements = _movements(rng, agents, hires, teams)
    return {"teams": teams, "agents": agents, "shifts": shifts, "attendance": attendance, "movements": movements}


def works_on(agent: dict, day: dt.date) -> bool:
    """Employed that day, not on leave, and in a role that works shifts."""
    iso = day.isoformat()
    if agent["role"] not in ("asesor", "supervisor") or iso < agent["hire_date"]:
        return False
    if agent["exit_date"] and iso >= agent["exit_date"]:
        return False
    return not (agent["leave_from"] and agent["leave_from"] <= iso <= agent["leave_until"])


def _schedule(
    rng: random.Random,
    agents: list[dict],
    first_day: dt.date,
    last_day: dt.date,
    today: dt.date,
    closed: dict[dt.date, str],
) -> tuple[list[dict], list[dict]]:
    shifts: list[dict] = []
    attendance: list[dict] = []
    leaders = {a["agent_id"]: a for a in agents}
    day = first_day
    while day <= last_day:
        for agent in agents:
            times = shift_times(agent["rotation"], day, closed) if works_on(agent, day) else None
            if times is None:
                continue
            start, end, pattern = times
            shift = {
                "shift_id": f"SHF{len(shifts) + 1:06d}",
                "agent_id": agent["agent_id"],
                "team_id": agent["team_id"],
                "date": day.isoformat(),
                "start": start.isoformat(),
                "end": end.isoformat(),
                "pattern": pattern,
                "status": "scheduled",
                "cancel_reason": None,
            }
            shifts.append(shift)
            if day < today:
                boss = leaders[agent["reports_to"]]
                attendance.append(_attendance(rng, shift, start, boss["username"]))
        day += dt.timedelta(days=1)
    return shifts, attendance


def _attendance(rng: random.Random, shift: dict, start: dt.datetime, recorded_by: str) -> dict:
    roll = rng.random()
    row = {
        "shift_id": shift["shift_id"],
        "agent_id": shift["agent_id"],
        "team_id": shift["team_id"],
        "date": shift["date"],
        "minutes_late": None,
        "absence_reason": None,
        "recorded_by": recorded_by,
    }
    if roll < 0.04:
        row.update(
            status="absent",
            absence_reason=rng.choices(ABSENCE_REASONS, _ABSENCE_WEIGHTS)[0],
            check_in=None,
            recorded_at=(start + dt.timedelta(minutes=30)).isoformat(),
        )
    elif roll < 0.08:
        late = rng.randrange(5, 46)
        check_in = start + dt.timedelta(minutes=late)
        row.update(
            status="late",
            minutes_late=late,
            check_in=check_in.isoformat(),
            recorded_at=(check_in + dt.timedelta(minutes=rng.randrange(1, 15))).isoformat(),
        )
    else:
        row.update(
            status="present",
            check_in=start.isoformat(),
            recorded_at=(start + dt.timedelta(minutes=rng.randrange(1, 15))).isoformat(),
        )
    return row


def _movements(rng: random.Random, agents: list[dict], hires: list[dict], teams: list[dict]) -> list[dict]:
    """Every agent's hire (most long before the month), and the month's exits, in date order."""
    coordinator_of = {t["team_id"]: t["coordinator_id"] for t in teams}
    names = {a["agent_id"]: a["username"] for a in agents}
    events = []
    for agent in agents:
        recorder = names[coordinator_of[agent["team_id"]]] if agent["team_id"] else names[agents[0]["agent_id"]]
        events.append(
            (agent["hire_date"], "hire", agent, rng.choice(HIRE_REASONS) if agent in hires else None, recorder)
        )
        if agent["exit_date"]:
            events.append((agent["exit_date"], "exit", agent, agent["exit_reason"], recorder))
    events.sort(key=lambda e: (e[0], e[2]["agent_id"], e[1]))
    rows = []
    for n, (date, kind, agent, reason, recorder) in enumerate(events, start=1):
        at = dt.datetime.combine(dt.date.fromisoformat(date), dt.time(7 if kind == "hire" else 18), BOGOTA)
        rows.append(
            {
                "movement_id": f"MOV{n:05d}",
                "type": kind,
                "agent_id": agent["agent_id"],
                "team_id": agent["team_id"],
                "role": agent["role"],
                "date": date,
                "reason": reason,
                "recorded_by": recorder,
                "recorded_at": at.isoformat(),
            }
        )
    return rows
