"""Almabi: the contact centre's workforce (Almacontact): agents and their chain of command, teams, scheduled
shifts, attendance, hires and exits, and the raw counts behind AUSENTISMO and ROTACIÓN.

The only code that knows this system's URLs and JSON (openapi/mocks/almabi.yaml). Answers are camelCase copies of
its records: agents (agentId, username, fullName, role, status, teamId, reportsTo, hireDate, exitDate, exitReason,
leave, chain{supervisor, coordinator, manager}), teams, shifts (shiftId, agentId, username, role, teamId, date,
start, end, status, attendanceStatus), attendance (shiftId, ..., status, minutesLate, absenceReason), movements and
the two reports. Paged lists (shifts, attendance) are read whole, page by page. Its 4xx (an unknown agent or team:
404; a window too long or reversed: 422) come back as DownstreamError with its own detail.
"""

from __future__ import annotations

from claro_backoffice.gateway.backoffice.base import CallContext, camel
from claro_backoffice.gateway.backoffice.control import ControlAPI

PAGE = 1000


def _params(**values: object) -> dict:
    return {k: v for k, v in values.items() if v is not None}


class AlmabiAdapter(ControlAPI):
    system = "almabi"

    def agents(
        self,
        ctx: CallContext,
        team_id: str | None = None,
        role: str | None = None,
        status: str | None = None,
        username: str | None = None,
    ) -> list[dict]:
        params = _params(team_id=team_id, role=role, status=status, username=username)
        return camel(self.get("/agents", ctx, params=params)["agents"])

    def agent_by_username(self, ctx: CallContext, username: str) -> dict | None:
        found = self.agents(ctx, username=username)
        return found[0] if found else None

    def teams(self, ctx: CallContext) -> list[dict]:
        return camel(self.get("/teams", ctx)["teams"])

    def _pages(self, path: str, key: str, ctx: CallContext, params: dict) -> list[dict]:
        items, offset = [], 0
        while True:
            page = self.get(path, ctx, params=params | {"limit": PAGE, "offset": offset})
            items += page[key]
            offset += len(page[key])
            if not page[key] or offset >= page["total"]:
                return camel(items)

    def shifts(
        self,
        ctx: CallContext,
        from_date: str,
        to_date: str,
        team_id: str | None = None,
        agent_id: str | None = None,
        status: str | None = None,
    ) -> list[dict]:
        params = _params(**{"from": from_date, "to": to_date}, team_id=team_id, agent_id=agent_id, status=status)
        return self._pages("/shifts", "shifts", ctx, params)

    def attendance(
        self, ctx: CallContext, from_date: str, to_date: str, team_id: str | None = None, role: str | None = None
    ) -> list[dict]:
        params = _params(**{"from": from_date, "to": to_date}, team_id=team_id, role=role)
        return self._pages("/attendance", "attendance", ctx, params)

    def movements(
        self, ctx: CallContext, from_date: str, to_date: str, kind: str | None = None, team_id: str | None = None
    ) -> list[dict]:
        params = _params(**{"from": from_date, "to": to_date}, type=kind, team_id=team_id)
        return camel(self.get("/movements", ctx, params=params)["movements"])

    def attendance_summary(
        self, ctx: CallContext, from_date: str, to_date: str, team_id: str | None = None, role: str | None = None
    ) -> dict:
        params = _params(**{"from": from_date, "to": to_date}, team_id=team_id, role=role)
        return camel(self.get("/reports/attendance-summary", ctx, params=params))

    def headcount(
        self, ctx: CallContext, from_date: str, to_date: str, team_id: str | None = None, role: str | None = None
    ) -> dict:
        params = _params(**{"from": from_date, "to": to_date}, team_id=team_id, role=role)
        return camel(self.get("/reports/headcount", ctx, params=params))
