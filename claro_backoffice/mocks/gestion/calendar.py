"""When a technician may visit a home: 2-hour slots inside the legal contact hours (Ley 2300/2023, applied to
visits as the safe choice): Monday to Friday 07:00-19:00, Saturday 08:00-15:00, never on Sundays or Colombian
public holidays (the `holidays` package). All times are America/Bogota; "now" is the sandbox's virtual clock.

Pure rules: no store, no HTTP. The backend adds capacity (technicians per zone) on top.
"""

from __future__ import annotations

import datetime as dt

from claro_backoffice.core.timezone import BOGOTA

SLOT_LENGTH = dt.timedelta(hours=2)
# weekday -> slot start hours; Saturday's 14:00-15:00 hour is too short for a 2-hour slot.
SLOT_STARTS = {
    0: (7, 9, 11, 13, 15, 17),
    1: (7, 9, 11, 13, 15, 17),
    2: (7, 9, 11, 13, 15, 17),
    3: (7, 9, 11, 13, 15, 17),
    4: (7, 9, 11, 13, 15, 17),
    5: (8, 10, 12),
}
LEAD_TIME = dt.timedelta(hours=4)  # a slot starts at least this long after now (a technician must be routed)
MAX_DAYS = 14  # a slot search covers 1 to 14 calendar days
HORIZON_DAYS = 30  # nothing is booked more than 30 days after today
_DAY_NAMES = ("lunes", "martes", "miércoles", "jueves", "viernes", "sábado", "domingo")


class NotASlot(ValueError):
    """The requested start is not a slot a technician can be booked in; the message says why."""


class Calendar:
    def __init__(self, now: dt.datetime):
        self.now = now.astimezone(BOGOTA)
        self.today = self.now.date()
        # Only today..horizon is ever asked about (check() rejects other days first): a plain dict of those years.
        years = range(self.today.year, self.last_day.year + 1)
        import holidays  # imported on first use: ~9 MB a process not using it never pays (issue 7)

        self.holidays = dict(holidays.country_holidays("CO", years=years, language="es"))

    # ---- days ------------------------------------------------------------------------------------------------
    def closed_reason(self, day: dt.date) -> str | None:
        """Why no technician works that day (Spanish, for the advisor), or None on a working day."""
        if day.weekday() == 6:
            return "domingo"
        name = self.holidays.get(day)
        if name:
            return f"festivo: {name}"
        return None

    def day_slots(self, day: dt.date) -> list[tuple[dt.datetime, dt.datetime]]:
        if self.closed_reason(day):
            return []
        starts = (dt.datetime.combine(day, dt.time(h), BOGOTA) for h in SLOT_STARTS[day.weekday()])
        return [(s, s + SLOT_LENGTH) for s in starts]

    @property
    def earliest_start(self) -> dt.datetime:
        return self.now + LEAD_TIME

    @property
    def last_day(self) -> dt.date:
        return self.today + dt.timedelta(days=HORIZON_DAYS)

    def window(self, first: dt.date | None, days: int) -> list[dt.date]:
        """The days of a search: from `first` (today when absent) for `days` days, inside today..horizon."""
        first = first or self.today
        if first > self.last_day:
            return []
        end = min(first + dt.timedelta(days=days), self.last_day + dt.timedelta(days=1))
        day = max(first, self.today)
        out = []
        while day < end:
            out.append(day)
            day += dt.timedelta(days=1)
        return out

    def candidate_slots(self, days: list[dt.date]) -> list[tuple[dt.datetime, dt.datetime]]:
        """Legal slots of those days that start after the lead time."""
        return [slot for day in days for slot in self.day_slots(day) if slot[0] >= self.earliest_start]

    # ---- one requested start --------------------------------------------------------------------------------
    def check(self, start: dt.datetime) -> tuple[dt.datetime, dt.datetime]:
        """(start, end) when `start` is a bookable slot start now; NotASlot saying why otherwise."""
        try:
            local = start.astimezone(BOGOTA)
        except OverflowError:
            raise NotASlot(f"{start.isoformat()} is far outside the booking window") from None
        day = local.date()
        if local < self.earliest_start:
            raise NotASlot(
                f"{local.isoformat()} is too soon: a visit must start at least "
                f"{int(LEAD_TIME.total_seconds() // 3600)} h after now ({self.now.isoformat()}), from "
                f"{self.earliest_start.isoformat()}"
            )
        if day > self.last_day:
            raise NotASlot(
                f"{local.isoformat()} is more than {HORIZON_DAYS} days ahead (last bookable day "
                f"{self.last_day.isoformat()})"
            )
        closed = self.closed_reason(day)
        if closed:
            raise NotASlot(f"no technical visits on {day.isoformat()} ({closed})")
        for slot in self.day_slots(day):
            if slot[0] == local:
                return slot
        hours = ", ".join(f"{h:02d}:00" for h in SLOT_STARTS[day.weekday()])
        raise NotASlot(
            f"{local.isoformat()} is not a slot start: on {_DAY_NAMES[day.weekday()]} the 2-hour slots start at {hours}"
        )
