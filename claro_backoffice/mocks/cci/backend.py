"""CCI: a mobile line's connection records (voice calls, data sessions, SMS) for a time window, paged and
filterable, consistent with the line's plan and status and with the radio incidents on its cells.

Rules:
- The window is `start` + `hours` (1 to 744, i.e. 31 days); without `start` it is the last `hours` up to the
  sandbox's virtual now. Records exist from the line's activation, never after the virtual now, and, for a
  suspended line, never from its suspension on (`suspended_at`, a date: from 00:00 Bogotá that day).
- Records are ordered oldest first, so pages stay put as the clock runs and new records are added at the end.
- An attempt on a cell with an active outage or maintenance window fails (`cell_unavailable`; incoming calls
  and SMS `subscriber_unreachable`) and is often retried; on a degraded cell a share of them fails
  (`radio_degraded`) and data sessions carry less. Each affected record names the incident.

LIMITATIONS (where this mock departs from the real CCI):
- Records are synthetic, derived from the seed, the line and the hour (records.py), not stored: usage volumes
  follow the plan's allowances only roughly (no balance, bundle exhaustion, throttling or roaming), and a
  prepaid 7-day bundle is treated like a monthly one.
- The line is on its home cell 80% of the time and on another cell of its municipality otherwise; there is no
  mobility beyond the municipality, no handover within a call and no per-record location.
- Data sessions are whole sessions (no partial CDRs every N minutes); SMS have no delivery reports.
- Incidents are CCI's own copy (seed and fixtures): planting an outage in SARA does not reach CCI.
- Line status changes made in other systems (AC) do not reach CCI; its own `lines` rows decide.
"""

from __future__ import annotations

import datetime as dt
import json
import math

from claro_backoffice.core.formats import instant
from claro_backoffice.core.timezone import BOGOTA
from claro_backoffice.mocks.cci import records as rec
from claro_backoffice.mocks.kit.problems import not_found
from claro_backoffice.mocks.kit.sql import rows as _rows
from claro_backoffice.world.identifiers import CUENTA_MATRIZ, RR_ACCOUNT
from claro_backoffice.world.phones import is_fixed

MAX_HOURS = 744
EARLIEST = dt.datetime(2000, 1, 1, tzinfo=BOGOTA)
LATEST = dt.datetime(2100, 1, 1, tzinfo=BOGOTA)


def window_start(text: str) -> dt.datetime:
    """The window's start (RFC 3339 with an offset: the spec checked it) in Bogotá time, clamped to 2000-2100 (no
    records outside anyway)."""
    value = instant(text)
    if value.year < EARLIEST.year:
        return EARLIEST
    if value.year >= LATEST.year:
        return LATEST
    return value.astimezone(BOGOTA)


class CciBackend:
    def __init__(self, session):
        self.s = session
        self.db = session.db
        self.now = session.now()

    # ---- lines --------------------------------------------------------------------------------------------------
    def _line(self, number: str) -> dict:
        national = number[2:] if len(number) == 12 and number.startswith("57") else number
        rows = _rows(self.db.execute("SELECT * FROM lines WHERE msisdn = ?", [national]))
        if rows:
            return rows[0]
        raise not_found(self._why_unknown(national), "line-not-found")

    def _why_unknown(self, number: str) -> str:
        only = "CCI holds the connection records of mobile lines only"
        if len(number) == 8 and CUENTA_MATRIZ.match(number):
            return f"{number} is a cuenta matriz (building account, hogar, RR): {only}"
        if len(number) == 8 and RR_ACCOUNT.match(number):
            return f"{number} looks like a home (RR, hogar) account number: {only}; give one of the line's numbers"
        if is_fixed(number):
            return f"{number} is a fixed line (telefonía hogar, RR): {only}"
        lines = [
            r[0]
            for r in self.db.execute(
                "SELECT msisdn FROM lines WHERE account_number = ? ORDER BY msisdn", [number]
            ).fetchall()
        ]
        if lines:
            return (
                f"{number} is a mobile account (AC), not a line: CCI lists records per line; its lines are "
                f"{', '.join(lines)}"
            )
        if len(number) == 10 and number.startswith("3"):
            return f"mobile line {number} does not exist in CCI (not a Claro line in this world, or ported out)"
        return f"{number} is not a mobile number (10 digits starting with 3): {only}"

    def _plan(self, plan_code: str) -> dict | None:
        rows = _rows(self.db.execute("SELECT * FROM plans WHERE plan_code = ?", [plan_code]))
        return rows[0] if rows else None

    def _cell(self, cell_id: str) -> dict:
        rows = _rows(self.db.execute("SELECT * FROM cells WHERE cell_id = ?", [cell_id]))
        return (
            rows[0]
            if rows
            else {"cell_id": cell_id, "site_id": cell_id.split("-")[0], "municipality_code": "", "technology": "4G"}
        )

    @staticmethod
    def _limits(line: dict) -> tuple[dt.datetime, dt.datetime | None]:
        """(first moment with records, suspension moment or None)."""
        active_from = rec.parse_time(line["activation_date"]) or EARLIEST
        suspended = rec.parse_time(line["suspended_at"]) if line["status"] == "suspendida" else None
        return active_from, suspended

    def line_view(self, number: str) -> dict:
        line = self._line(number)
        plan = self._plan(line["plan_code"]) or {}
        cell = self._cell(line["home_cell_id"])
        active_from, suspended = self._limits(line)
        until = min(self.now, suspended) if suspended else self.now
        return {
            "msisdn": line["msisdn"],
            "account_number": line["account_number"],
            "customer_id": line["customer_id"],
            "line_type": line["line_type"],
            "status": line["status"],
            "suspension_reason": line["suspension_reason"],
            "suspended_at": line["suspended_at"],
            "activation_date": line["activation_date"],
            "plan": {
                "plan_code": line["plan_code"],
                "name": plan.get("name"),
                "data_gb": plan.get("data_gb"),
                "minutes": plan.get("minutes"),
                "sms": plan.get("sms"),
            },
            "volte_status": line["volte_status"],
            "home_cell": {k: cell[k] for k in ("cell_id", "site_id", "municipality_code", "technology")},
            "records_from": rec.iso(active_from),
            "records_until": rec.iso(max(until, active_from)),
            "checked_at": rec.iso(self.now),
        }

    # ---- records ------------------------------------------------------------------------------------------------
    def _context(self, line: dict) -> rec.LineContext:
        seed = self.db.execute("SELECT value FROM settings WHERE key = 'record_seed'").fetchone()
        home = self._cell(line["home_cell_id"])
        others = _rows(
            self.db.execute(
                "SELECT * FROM cells WHERE municipality_code = ? AND cell_id != ? ORDER BY cell_id",
                [home["municipality_code"], home["cell_id"]],
            )
        )
        try:
            contacts = [str(c) for c in json.loads(line["contacts"] or "[]")]
        except (ValueError, TypeError):
            contacts = []
        outages = [
            o for o in (rec.outage_of(i) for i in _rows(self.db.execute("SELECT * FROM incidents"))) if o is not None
        ]
        return rec.LineContext(
            seed=seed[0] if seed else "0",
            msisdn=line["msisdn"],
            home_cell=home,
            other_cells=others,
            volte=line["volte_status"] == "active",
            contacts=contacts,
            profile=rec.profile(seed[0] if seed else "0", line["msisdn"], self._plan(line["plan_code"])),
            outages=outages,
        )

    def records(self, number: str, start=None, hours=24, type_=None, result=None, page=1, page_size=50) -> dict:
        line = self._line(number)
        begin = window_start(start) if start is not None else self.now - dt.timedelta(hours=hours)
        end = begin + dt.timedelta(hours=hours)
        active_from, suspended = self._limits(line)
        records_from = max(begin, active_from)
        records_until = min(end, self.now, suspended) if suspended else min(end, self.now)
        found = rec.records(self._context(line), records_from, records_until, self.now)
        found = [
            r for r in found if (type_ is None or r["type"] == type_) and (result is None or r["result"] == result)
        ]
        first = (page - 1) * page_size
        return {
            "msisdn": line["msisdn"],
            "account_number": line["account_number"],
            "customer_id": line["customer_id"],
            "status": line["status"],
            "plan_code": line["plan_code"],
            "home_cell_id": line["home_cell_id"],
            "window": {
                "start": rec.iso(begin),
                "end": rec.iso(end),
                "hours": hours,
                "records_from": rec.iso(records_from),
                "records_until": rec.iso(max(records_until, records_from)),
            },
            "filters": {"type": type_, "result": result},
            "page": page,
            "page_size": page_size,
            "total": len(found),
            "total_pages": math.ceil(len(found) / page_size),
            "summary": self._summary(found),
            "incidents": self._incidents(found),
            "notes": self._notes(line, begin, end, active_from, suspended),
            "records": [rec.public(r) for r in found[first : first + page_size]],
        }

    @staticmethod
    def _summary(found: list[dict]) -> dict:
        return {
            "voice": sum(r["type"] == "voice" for r in found),
            "data": sum(r["type"] == "data" for r in found),
            "sms": sum(r["type"] == "sms" for r in found),
            "failed": sum(r["result"] == "failed" for r in found),
            "voice_seconds": sum(r["duration_s"] for r in found if r["type"] == "voice"),
            "data_bytes": sum(r["bytes_up"] + r["bytes_down"] for r in found if r["type"] == "data"),
        }

    def _incidents(self, found: list[dict]) -> list[dict]:
        """The incidents that acted on records of the window, with how many records each touched."""
        touched: dict[str, list[dict]] = {}
        for r in found:
            if r["incident_id"]:
                touched.setdefault(r["incident_id"], []).append(r)
        out = []
        for incident_id, affected in sorted(touched.items()):
            row = _rows(self.db.execute("SELECT * FROM incidents WHERE incident_id = ?", [incident_id]))[0]
            out.append(
                {
                    "incident_id": incident_id,
                    "aviso": row["aviso"],
                    "site_id": row["site_id"],
                    "impact": row["impact"],
                    "description": row["description"],
                    "opened_at": row["opened_at"],
                    "resolved_at": row["resolved_at"],
                    "estimated_resolution_at": row["estimated_resolution_at"],
                    "records": len(affected),
                    "failed": sum(r["result"] == "failed" for r in affected),
                }
            )
        return out

    def _notes(self, line, begin, end, active_from, suspended) -> list[str]:
        notes = []
        if begin < active_from:
            notes.append(f"La línea se activó el {line['activation_date']}: no hay registros anteriores.")
        if suspended and suspended < end:
            reason = f" ({line['suspension_reason']})" if line["suspension_reason"] else ""
            notes.append(
                f"La línea está suspendida desde {rec.iso(suspended)}{reason}: no hay registros desde entonces."
            )
        if end > self.now:
            notes.append(f"La ventana llega hasta la hora actual ({rec.iso(self.now)}): no hay registros futuros.")
        return notes
