"""Business time for the procedure, America/Bogota, Colombian holidays from the `holidays` package.

- PQR deadlines (Res. CRC 5050/2016, arts. 2.1.24.x): N business days, Mon–Fri (Saturdays too when the operator
  counts them) minus holidays; day 1 is the first business day AFTER filing, whatever the hour of filing; due at
  the end of that day (23:59:59 Bogotá).
- Contact hours for callbacks and visits (Ley 2300/2023, the safe reading): Mon–Fri 07:00–19:00,
  Sat 08:00–15:00, never Sundays or holidays. The end of a window is outside it (19:00 is too late).

Pure functions: the caller gives the moment (the sandbox's virtual time), nothing reads a clock here.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from claro_backoffice.core.timezone import BOGOTA

if TYPE_CHECKING:  # imported for real on first use only (colombian_holidays)
    from holidays import HolidayBase

END_OF_DAY = dt.time(23, 59, 59)
# weekday -> (opens, closes); Sunday absent: never
CONTACT_HOURS = {0: (7, 19), 1: (7, 19), 2: (7, 19), 3: (7, 19), 4: (7, 19), 5: (8, 15)}
_DAY_NAMES = ("lunes", "martes", "miércoles", "jueves", "viernes", "sábado", "domingo")


def colombian_holidays(*years: int) -> HolidayBase:
    """Colombia's holidays for these years (the object grows to other years when asked about them)."""
    import holidays  # imported on first use: ~9 MB a process not using it never pays (issue 7)

    return holidays.country_holidays("CO", years=list(years))


def _local(moment: dt.datetime) -> dt.datetime:
    if moment.tzinfo is None:
        raise ValueError("a moment must carry its time zone")
    return moment.astimezone(BOGOTA)


def is_business_day(day: dt.date, count_saturdays: bool = False, calendar: HolidayBase | None = None) -> bool:
    calendar = calendar if calendar is not None else colombian_holidays(day.year)
    working = day.weekday() < 5 or (count_saturdays and day.weekday() == 5)
    return working and day not in calendar


def add_business_days(start: dt.date, business_days: int, count_saturdays: bool = False) -> dt.date:
    """The `business_days`-th business day after `start` (start itself never counts)."""
    if business_days < 1:
        raise ValueError("business_days must be >= 1")
    calendar = colombian_holidays(start.year, start.year + 1)
    day, counted = start, 0
    while counted < business_days:
        day += dt.timedelta(days=1)
        if is_business_day(day, count_saturdays, calendar):
            counted += 1
    return day


def pqr_due(filed_at: dt.datetime, business_days: int = 15, count_saturdays: bool = False) -> dt.datetime:
    """When a PQR filed at `filed_at` must be answered: the end (23:59:59 Bogotá) of the `business_days`-th
    business day after the filing day. Also the extension (+15 from the first due date) and the appeal window."""
    day = add_business_days(_local(filed_at).date(), business_days, count_saturdays)
    return dt.datetime.combine(day, END_OF_DAY, tzinfo=BOGOTA)


def _window(day: dt.date, calendar: HolidayBase) -> tuple[dt.datetime, dt.datetime] | None:
    hours = CONTACT_HOURS.get(day.weekday())
    if hours is None or day in calendar:
        return None
    return (
        dt.datetime.combine(day, dt.time(hours[0]), tzinfo=BOGOTA),
        dt.datetime.combine(day, dt.time(hours[1]), tzinfo=BOGOTA),
    )


def in_contact_hours(moment: dt.datetime) -> bool:
    local = _local(moment)
    window = _window(local.date(), colombian_holidays(local.year))
    return window is not None and window[0] <= local < window[1]


def next_contact_moment(moment: dt.datetime) -> dt.datetime:
    """`moment` itself when it is inside contact hours, else the next opening (Bogotá time)."""
    local = _local(moment)
    calendar = colombian_holidays(local.year, local.year + 1)
    day = local.date()
    for _ in range(30):  # at most a few days: no run of 30 days without a window exists
        window = _window(day, calendar)
        if window is not None and local < window[1]:
            return max(local, window[0])
        day += dt.timedelta(days=1)
    raise AssertionError("no contact window within 30 days")  # pragma: no cover


def contact_hours_error(moment: dt.datetime) -> str | None:
    """None inside contact hours; otherwise why not, and the next allowed moment (for a 422 detail)."""
    local = _local(moment)
    if in_contact_hours(local):
        return None
    calendar = colombian_holidays(local.year)
    day = local.date()
    if day in calendar:
        why = f"{day.isoformat()} is a holiday in Colombia ({calendar.get(day)})"
    elif day.weekday() == 6:
        why = f"{day.isoformat()} is a Sunday"
    else:
        opens, closes = CONTACT_HOURS[day.weekday()]
        why = f"{local.strftime('%H:%M')} on a {_DAY_NAMES[day.weekday()]} is outside {opens:02d}:00–{closes:02d}:00"
    following = next_contact_moment(local)
    return (
        f"{local.isoformat()} is outside legal contact hours (Ley 2300/2023: Mon–Fri 07:00–19:00, "
        f"Sat 08:00–15:00, never Sundays or holidays): {why}; the next allowed moment is {following.isoformat()}"
    )
