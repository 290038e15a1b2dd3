"""Almabi's shifts and attendance: the planned shifts of asesores and supervisores, attendance registered for them
(present, late with the minutes, absent with the reason), and the daily attendance summary.

Rules: attendance is registered once per shift (409 for a second time), only for a scheduled (not cancelled) shift,
only once the shift has started by the sandbox's virtual clock (for a late arrival, once start + minutes late has
passed), and only by a leader (supervisor, coordinador or gerente) who is still employed. Listings and the summary
cover windows of at most MAX_WINDOW_DAYS days.

LIMITATIONS: see mocks/almabi/backend.py; besides, a registration can't be corrected or deleted through the API
(plant corrections with POST /__admin/fixtures), and the check-in time is the shift start (present) or the start
plus the minutes late, not a clock-in terminal's reading.
"""

from __future__ import annotations

import datetime as dt

from claro_backoffice.mocks.almabi.backend import LEADERS, SYSTEM, AlmabiBackend, window
from claro_backoffice.mocks.kit.problems import conflict, not_found, unprocessable
from claro_backoffice.mocks.kit.sql import immediate
from claro_backoffice.mocks.kit.sql import rows as _rows

MAX_WINDOW_DAYS = 62

_SHIFT_SELECT = (
    "SELECT s.*, a.username, a.role, t.status AS attendance_status FROM shifts s "
    "JOIN agents a ON a.agent_id = s.agent_id LEFT JOIN attendance t ON t.shift_id = s.shift_id"
)
_ATTENDANCE_SELECT = (
    'SELECT t.*, a.username, a.role, s.start AS shift_start, s."end" AS shift_end FROM attendance t '
    "JOIN agents a ON a.agent_id = t.agent_id JOIN shifts s ON s.shift_id = t.shift_id"
)


class AttendanceBackend(AlmabiBackend):
    def _check_filters(self, team_id=None, agent_id=None) -> None:
        if team_id:
            self._team_row(team_id)
        if agent_id:
            self._agent_row(agent_id)

    def _page(self, select: str, where: str, args: list, order: str, limit: int, offset: int) -> tuple[int, list]:
        count_sql = f"SELECT COUNT(*) FROM ({select} WHERE {where})"
        total = self.db.execute(count_sql, args).fetchone()[0]
        rows = _rows(
            self.db.execute(f"{select} WHERE {where} ORDER BY {order} LIMIT ? OFFSET ?", [*args, limit, offset])
        )
        return total, rows

    # ---- shifts -------------------------------------------------------------------------------------------------
    def shifts(self, first, last, agent_id=None, team_id=None, status=None, limit=200, offset=0) -> dict:
        start, end = window(first, last, MAX_WINDOW_DAYS)
        self._check_filters(team_id, agent_id)
        where = (
            "s.date BETWEEN ? AND ? AND (? IS NULL OR s.agent_id = ?) AND (? IS NULL OR s.team_id = ?) "
            "AND (? IS NULL OR s.status = ?)"
        )
        total, rows = self._page(
            _SHIFT_SELECT,
            where,
            [start, end, agent_id, agent_id, team_id, team_id, status, status],
            "s.date, s.start, s.agent_id",
            limit,
            offset,
        )
        return {"from": start, "to": end, "total": total, "limit": limit, "offset": offset, "shifts": rows}

    def _shift_row(self, shift_id: str) -> dict:
        rows = _rows(self.db.execute(f"{_SHIFT_SELECT} WHERE s.shift_id = ?", [shift_id]))
        if not rows:
            raise not_found(f"shift {shift_id} does not exist in {SYSTEM}", "shift-not-found")
        return rows[0]

    def shift(self, shift_id: str) -> dict:
        shift = self._shift_row(shift_id)
        records = _rows(self.db.execute(f"{_ATTENDANCE_SELECT} WHERE t.shift_id = ?", [shift_id]))
        return dict(shift, attendance=records[0] if records else None)

    # ---- attendance ---------------------------------------------------------------------------------------------
    def attendance(self, first, last, team_id=None, agent_id=None, status=None, role=None, limit=200, offset=0) -> dict:
        start, end = window(first, last, MAX_WINDOW_DAYS)
        self._check_filters(team_id, agent_id)
        where = (
            "t.date BETWEEN ? AND ? AND (? IS NULL OR t.team_id = ?) AND (? IS NULL OR t.agent_id = ?) "
            "AND (? IS NULL OR t.status = ?) AND (? IS NULL OR a.role = ?)"
        )
        total, rows = self._page(
            _ATTENDANCE_SELECT,
            where,
            [start, end, team_id, team_id, agent_id, agent_id, status, status, role, role],
            "t.date, s.start, t.agent_id",
            limit,
            offset,
        )
        return {"from": start, "to": end, "total": total, "limit": limit, "offset": offset, "attendance": rows}

    def register(self, body: dict) -> dict:
        shift_id, status = body["shift_id"], body["status"]
        with immediate(self.db):
            shift = self._shift_row(shift_id)
            if shift["attendance_status"]:
                raise conflict(
                    f"shift {shift_id} of {shift['username']} on {shift['date']} already has its attendance "
                    f"registered in {SYSTEM} ({shift['attendance_status']})",
                    "attendance-exists",
                )
            if shift["status"] != "scheduled":
                raise unprocessable(
                    f"shift {shift_id} of {shift['username']} on {shift['date']} was cancelled "
                    f"({shift['cancel_reason']}): there is no attendance to register",
                    "shift-cancelled",
                )
            self._check_recorder(body["recorded_by"])
            start = dt.datetime.fromisoformat(shift["start"])
            minutes = body.get("minutes_late") if status == "late" else None
            due = start + dt.timedelta(minutes=minutes or 0)
            if self.now < due:
                what = f"{minutes} minutes after its start ({start.isoformat()})" if minutes else "it starts"
                raise unprocessable(
                    f"shift {shift_id} of {shift['username']} starts at {start.isoformat()}: its "
                    f"attendance can be registered from {due.isoformat()} ({what}); {SYSTEM}'s clock "
                    f"reads {self.now.isoformat()}",
                    "shift-not-started",
                )
            row = {
                "shift_id": shift_id,
                "agent_id": shift["agent_id"],
                "team_id": shift["team_id"],
                "date": shift["date"],
                "status": status,
                "minutes_late": minutes,
                "absence_reason": body.get("absence_reason") if status == "absent" else None,
                "check_in": None if status == "absent" else due.isoformat(),
                "recorded_by": body["recorded_by"],
                "recorded_at": self.now.isoformat(),
            }
            self.db["attendance"].insert(row)
        return dict(
            row, username=shift["username"], role=shift["role"], shift_start=shift["start"], shift_end=shift["end"]
        )

    def _check_recorder(self, username: str) -> None:
        rows = _rows(self.db.execute("SELECT * FROM agents WHERE username = ?", [username]))
        if not rows or rows[0]["role"] not in LEADERS or self.status(rows[0]) == "exited":
            what = (
                f"is an {rows[0]['role']}"
                if rows and rows[0]["role"] not in LEADERS
                else "has left the operation"
                if rows
                else f"is not an {SYSTEM} user"
            )
            raise unprocessable(
                f"{username} {what}: attendance is registered by a supervisor, coordinador or gerente "
                "who is still employed",
                "not-a-leader",
            )

    # ---- report -------------------------------------------------------------------------------------------------
    def attendance_summary(self, first, last, team_id=None, role=None) -> dict:
        start, end = window(first, last, MAX_WINDOW_DAYS)
        self._check_filters(team_id)
        where = (
            "s.status = 'scheduled' AND s.date BETWEEN ? AND ? AND (? IS NULL OR s.team_id = ?) "
            "AND (? IS NULL OR a.role = ?)"
        )
        args = [start, end, team_id, team_id, role, role]
        counts = ", ".join(
            f"COALESCE(SUM(CASE WHEN t.status = '{k}' THEN 1 ELSE 0 END), 0) AS {k}"
            for k in ("present", "late", "absent")
        )
        days = _rows(
            self.db.execute(
                f"SELECT s.date, COUNT(*) AS scheduled, {counts}, COALESCE(SUM(CASE WHEN t.shift_id IS NULL THEN 1 "
                "ELSE 0 END), 0) AS unrecorded FROM shifts s JOIN agents a ON a.agent_id = s.agent_id LEFT JOIN "
                f"attendance t ON t.shift_id = s.shift_id WHERE {where} GROUP BY s.date ORDER BY s.date",
                args,
            )
        )
        reasons = {
            r[0]: r[1]
            for r in self.db.execute(
                "SELECT t.absence_reason, COUNT(*) FROM shifts s JOIN agents a ON a.agent_id = s.agent_id JOIN "
                f"attendance t ON t.shift_id = s.shift_id WHERE {where} AND t.status = 'absent' GROUP BY "
                "t.absence_reason ORDER BY t.absence_reason",
                args,
            )
        }
        totals = {k: sum(d[k] for d in days) for k in ("scheduled", "present", "late", "absent", "unrecorded")}
        return {
            "from": start,
            "to": end,
            "team_id": team_id,
            "role": role,
            "totals": totals,
            "absences_by_reason": reasons,
            "days": days,
        }
