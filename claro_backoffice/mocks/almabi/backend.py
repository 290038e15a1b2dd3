"""Almabi: the workforce system of the contact centre (Almacontact). Agents and their chain of command (asesor ->
supervisor -> coordinador -> gerente), teams, hires and exits, and the headcount report; shifts and attendance are
in mocks/almabi/attendance.py.

An agent's status is read from their dates against the sandbox's virtual clock: `exited` from the exit date on
(the exit date is the first day they no longer work), `inactive` while on leave (or before the hire date),
`active` otherwise. The headcount of a day counts the agents employed that day (hired on or before it, not yet
exited), on leave or not.

LIMITATIONS (where this mock departs from the real Almabi):
- Almabi is a web tool for people; this is a JSON API over the same concepts, with snake_case fields.
- Only asesores are hired and exited through the API: a leader's exit would leave a team without its chain of
  command, and there is no API to reassign a team (plant such situations with POST /__admin/fixtures).
- A hire starts on the day it is registered (virtual today) and gets the shifts of its rotation group from the
  next day (the first day is induction) to FUTURE_DAYS after today; nobody plans shifts beyond that horizon.
- Leaves (vacaciones, licencias, incapacidades prolongadas) come from the world only: no API creates them.
- History starts with today's staff: agents who left before the seeded month are not in the world, so a
  headcount long before it is understated.
- The coordinadores and the gerente keep office hours that Almabi doesn't plan: no shifts, no attendance.
"""

from __future__ import annotations

import datetime as dt

from claro_backoffice.mocks.kit.problems import conflict, not_found, unprocessable
from claro_backoffice.mocks.kit.sql import immediate
from claro_backoffice.mocks.kit.sql import rows as _rows
from claro_backoffice.world import workforce

SYSTEM = "Almabi"
MAX_REPORT_DAYS = 366  # headcount and movements windows
MAX_EXIT_NOTICE_DAYS = 60  # an exit can be registered up to this many days ahead
LEADERS = ("supervisor", "coordinador", "gerente")
_CHAIN_KEY = {"supervisor": "supervisor", "coordinador": "coordinator", "gerente": "manager"}


def window(first, last, max_days: int) -> tuple[str, str]:
    """('from', 'to') as ISO dates, both included, at most max_days long; 422 when they don't make a window."""
    start, end = dt.date.fromisoformat(first), dt.date.fromisoformat(last)  # dates: the spec checked them
    if end < start:
        raise unprocessable(f"'to' ({end.isoformat()}) is before 'from' ({start.isoformat()})", "invalid-window")
    days = (end - start).days + 1
    if days > max_days:
        raise unprocessable(
            f"{SYSTEM} answers windows of at most {max_days} days; {start.isoformat()} to "
            f"{end.isoformat()} is {days} days",
            "window-too-long",
            max_days=max_days,
        )
    return start.isoformat(), end.isoformat()


def employed(agent: dict, day: str) -> bool:
    return agent["hire_date"] <= day and not (agent["exit_date"] and agent["exit_date"] <= day)


class AlmabiBackend:
    def __init__(self, session):
        self.s = session
        self.db = session.db
        self.now = session.now().replace(microsecond=0)
        self.today = self.now.date()

    # ---- helpers ------------------------------------------------------------------------------------------------
    def _next(self, name: str) -> int:
        value = self.db.execute("SELECT next_value FROM sequences WHERE name = ?", [name]).fetchone()[0]
        self.db.execute("UPDATE sequences SET next_value = next_value + 1 WHERE name = ?", [name])
        return value

    def _agents(self) -> dict[str, dict]:
        return {a["agent_id"]: a for a in _rows(self.db.execute("SELECT * FROM agents ORDER BY agent_id"))}

    def _agent_row(self, agent_id: str) -> dict:
        rows = _rows(self.db.execute("SELECT * FROM agents WHERE agent_id = ?", [agent_id]))
        if not rows:
            raise not_found(f"agent {agent_id} does not exist in {SYSTEM}", "agent-not-found")
        return rows[0]

    def _team_row(self, team_id: str) -> dict:
        rows = _rows(self.db.execute("SELECT * FROM teams WHERE team_id = ?", [team_id]))
        if not rows:
            known = ", ".join(r[0] for r in self.db.execute("SELECT team_id FROM teams ORDER BY team_id"))
            raise not_found(f"team {team_id} does not exist in {SYSTEM}; the teams are {known}", "team-not-found")
        return rows[0]

    def status(self, agent: dict) -> str:
        today = self.today.isoformat()
        if agent["exit_date"] and agent["exit_date"] <= today:
            return "exited"
        if agent["hire_date"] > today:
            return "inactive"
        if agent["leave_from"] and agent["leave_from"] <= today <= (agent["leave_until"] or today):
            return "inactive"
        return "active"

    def summary(self, agent: dict | None) -> dict | None:
        if agent is None:
            return None
        return {
            "agent_id": agent["agent_id"],
            "username": agent["username"],
            "full_name": f"{agent['first_name']} {agent['last_name']}",
            "role": agent["role"],
            "status": self.status(agent),
        }

    def view(self, agent: dict, agents: dict[str, dict] | None = None) -> dict:
        agents = agents if agents is not None else self._agents()
        chain = {"supervisor": None, "coordinator": None, "manager": None}
        boss, seen = agents.get(agent["reports_to"]), set()
        while boss and boss["agent_id"] not in seen:
            seen.add(boss["agent_id"])
            chain[_CHAIN_KEY.get(boss["role"], "manager")] = self.summary(boss)
            boss = agents.get(boss["reports_to"])
        view = {k: v for k, v in agent.items() if k not in ("rotation", "leave_from", "leave_until", "leave_reason")}
        view.update(
            full_name=f"{agent['first_name']} {agent['last_name']}",
            status=self.status(agent),
            chain=chain,
            leave=(
                {"from": agent["leave_from"], "until": agent["leave_until"], "reason": agent["leave_reason"]}
                if agent["leave_from"]
                else None
            ),
        )
        return view

    # ---- agents -------------------------------------------------------------------------------------------------
    def list_agents(self, team_id=None, role=None, status=None, username=None, document_number=None) -> list[dict]:
        if team_id:
            self._team_row(team_id)
        agents = self._agents()
        out = []
        for agent in agents.values():
            if (
                (team_id and agent["team_id"] != team_id)
                or (role and agent["role"] != role)
                or (username and agent["username"] != username)
                or (document_number and agent["document_number"] != document_number)
                or (status and self.status(agent) != status)
            ):
                continue
            out.append(self.view(agent, agents))
        return out

    def get_agent(self, agent_id: str) -> dict:
        return self.view(self._agent_row(agent_id))

    def hire(self, body: dict) -> dict:
        team = self._team_row(body["team_id"])
        with immediate(self.db):
            doc_type, doc = body.get("document_type", "CC"), body["document_number"]
            for other in _rows(
                self.db.execute("SELECT * FROM agents WHERE document_type = ? AND document_number = ?", [doc_type, doc])
            ):
                if self.status(other) != "exited":
                    raise conflict(
                        f"{doc_type} {doc} already belongs to agent {other['agent_id']} "
                        f"({other['username']}), who works in {SYSTEM} until an exit is registered",
                        "agent-exists",
                        agent_id=other["agent_id"],
                    )
            number = self._next("agent")
            user = workforce.username("asesor", self._next("asesor"))
            agent = {
                "agent_id": workforce.agent_id(number),
                "username": user,
                "document_type": doc_type,
                "document_number": doc,
                "first_name": body["first_name"],
                "last_name": body["last_name"],
                "email": f"{user}@{workforce.EMAIL_DOMAIN}",
                "role": "asesor",
                "team_id": team["team_id"],
                "reports_to": team["supervisor_id"],
                "hire_date": self.today.isoformat(),
                "exit_date": None,
                "exit_reason": None,
                "leave_from": None,
                "leave_until": None,
                "leave_reason": None,
                "rotation": number % len(workforce.PATTERNS),
            }
            self.db["agents"].insert(agent)
            self._movement(
                "hire", agent, self.today.isoformat(), body.get("reason", "reemplazo"), body.get("recorded_by")
            )
            self._plan_shifts(agent)
        return self.view(agent)

    def _plan_shifts(self, agent: dict) -> None:
        """The hire's shifts from tomorrow to the planning horizon, by their rotation group."""
        last = self.today + dt.timedelta(days=workforce.FUTURE_DAYS)
        closed = workforce.co_holidays(self.today, last)
        for offset in range(1, workforce.FUTURE_DAYS + 1):
            day = self.today + dt.timedelta(days=offset)
            times = workforce.shift_times(agent["rotation"], day, closed)
            if times is None:
                continue
            start, end, pattern = times
            self.db.execute(
                'INSERT INTO shifts (shift_id, agent_id, team_id, date, start, "end", pattern, status) '
                "VALUES (?, ?, ?, ?, ?, ?, ?, 'scheduled')",
                [
                    f"SHF{self._next('shift'):06d}",
                    agent["agent_id"],
                    agent["team_id"],
                    day.isoformat(),
                    start.isoformat(),
                    end.isoformat(),
                    pattern,
                ],
            )

    def _movement(self, kind: str, agent: dict, date: str, reason: str | None, recorded_by: str | None) -> dict:
        row = {
            "movement_id": f"MOV{self._next('movement'):05d}",
            "type": kind,
            "agent_id": agent["agent_id"],
            "team_id": agent["team_id"],
            "role": agent["role"],
            "date": date,
            "reason": reason,
            "recorded_by": recorded_by,
            "recorded_at": self.now.isoformat(),
        }
        self.db["movements"].insert(row)
        return dict(row, username=agent["username"])

    def register_exit(self, agent_id: str, body: dict) -> dict:
        with immediate(self.db):
            agent = self._agent_row(agent_id)
            if agent["exit_date"]:
                raise conflict(
                    f"agent {agent_id} ({agent['username']}) already has an exit registered in {SYSTEM}: "
                    f"{agent['exit_reason']} from {agent['exit_date']}",
                    "already-exited",
                    exit_date=agent["exit_date"],
                )
            if agent["role"] != "asesor":
                raise unprocessable(
                    f"agent {agent_id} ({agent['username']}) is a {agent['role']}: {SYSTEM} only "
                    "registers exits of asesores here, a leader's team must be reassigned first",
                    "leader-exit",
                )
            exit_date = dt.date.fromisoformat(body["exit_date"]) if "exit_date" in body else self.today
            latest = self.today + dt.timedelta(days=MAX_EXIT_NOTICE_DAYS)
            if not self.today <= exit_date <= latest:
                raise unprocessable(
                    f"the exit date {exit_date.isoformat()} of agent {agent_id} must be between today "
                    f"({self.today.isoformat()}) and {latest.isoformat()}",
                    "invalid-exit-date",
                )
            if exit_date.isoformat() <= agent["hire_date"]:
                raise unprocessable(
                    f"agent {agent_id} was hired on {agent['hire_date']}: the exit date (their first "
                    "day out) must come after it",
                    "invalid-exit-date",
                )
            worked = self.db.execute(
                "SELECT MAX(date) FROM attendance WHERE agent_id = ? AND date >= ?", [agent_id, exit_date.isoformat()]
            ).fetchone()[0]
            if worked:
                raise unprocessable(
                    f"agent {agent_id} has attendance recorded on {worked}: the exit date (their first "
                    "day out) must come after it",
                    "attendance-after-exit",
                )
            cancelled = [
                r[0]
                for r in self.db.execute(
                    "SELECT shift_id FROM shifts WHERE agent_id = ? AND date >= ? AND status = 'scheduled' ORDER BY "
                    "shift_id",
                    [agent_id, exit_date.isoformat()],
                )
            ]
            self.db.execute(
                "UPDATE shifts SET status = 'cancelled', cancel_reason = 'retiro' WHERE agent_id = ? AND "
                "date >= ? AND status = 'scheduled'",
                [agent_id, exit_date.isoformat()],
            )
            self.db.execute(
                "UPDATE agents SET exit_date = ?, exit_reason = ? WHERE agent_id = ?",
                [exit_date.isoformat(), body["reason"], agent_id],
            )
            agent.update(exit_date=exit_date.isoformat(), exit_reason=body["reason"])
            movement = self._movement("exit", agent, exit_date.isoformat(), body["reason"], body.get("recorded_by"))
        return {"agent": self.view(agent), "movement": movement, "cancelled_shifts": cancelled}

    # ---- teams --------------------------------------------------------------------------------------------------
    def _team_view(self, team: dict, agents: dict[str, dict]) -> dict:
        members = [
            a
            for a in agents.values()
            if a["team_id"] == team["team_id"] and a["role"] == "asesor" and self.status(a) != "exited"
        ]
        return dict(
            team,
            supervisor=self.summary(agents.get(team["supervisor_id"])),
            coordinator=self.summary(agents.get(team["coordinator_id"])),
            manager=self.summary(agents.get(team["manager_id"])),
            headcount={
                "active": sum(self.status(a) == "active" for a in members),
                "inactive": sum(self.status(a) == "inactive" for a in members),
            },
        )

    def teams(self) -> list[dict]:
        agents = self._agents()
        return [self._team_view(t, agents) for t in _rows(self.db.execute("SELECT * FROM teams ORDER BY team_id"))]

    def team(self, team_id: str) -> dict:
        team, agents = self._team_row(team_id), self._agents()
        view = self._team_view(team, agents)
        view["members"] = [
            self.summary(a)
            for a in sorted(agents.values(), key=lambda a: a["username"])
            if a["team_id"] == team_id and a["role"] == "asesor" and self.status(a) != "exited"
        ]
        return view

    # ---- movements and headcount --------------------------------------------------------------------------------
    def movements(self, first, last, kind=None, team_id=None, agent_id=None) -> list[dict]:
        start, end = window(first, last, MAX_REPORT_DAYS)
        if team_id:
            self._team_row(team_id)
        if agent_id:
            self._agent_row(agent_id)
        return _rows(
            self.db.execute(
                "SELECT m.*, a.username FROM movements m JOIN agents a ON a.agent_id = m.agent_id WHERE m.date "
                "BETWEEN ? AND ? AND (? IS NULL OR m.type = ?) AND (? IS NULL OR m.team_id = ?) AND (? IS NULL OR "
                "m.agent_id = ?) ORDER BY m.date, m.movement_id",
                [start, end, kind, kind, team_id, team_id, agent_id, agent_id],
            )
        )

    def headcount(self, first, last, team_id=None, role=None) -> dict:
        start, end = window(first, last, MAX_REPORT_DAYS)
        teams = [self._team_row(team_id)] if team_id else _rows(self.db.execute("SELECT * FROM teams ORDER BY team_id"))
        agents = [
            a
            for a in self._agents().values()
            if (not role or a["role"] == role) and (not team_id or a["team_id"] == team_id)
        ]

        def count(group: list[dict]) -> dict:
            exits = [a for a in group if a["exit_date"] and start <= a["exit_date"] <= end]
            reasons: dict[str, int] = {}
            for a in exits:
                reasons[a["exit_reason"]] = reasons.get(a["exit_reason"], 0) + 1
            return {
                "headcount_start": sum(employed(a, start) for a in group),
                "headcount_end": sum(employed(a, end) for a in group),
                "hires": sum(start <= a["hire_date"] <= end for a in group),
                "exits": len(exits),
                "exits_by_reason": dict(sorted(reasons.items())),
            }

        report = {"from": start, "to": end, "team_id": team_id, "role": role, **count(agents)}
        report["teams"] = [
            dict(team_id=t["team_id"], **count([a for a in agents if a["team_id"] == t["team_id"]])) for t in teams
        ]
        return report
