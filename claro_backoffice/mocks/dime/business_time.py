"""Business time for the resolver areas' SLAs: Monday to Friday 07:00-19:00 America/Bogota, Colombian public
holidays excluded (the `holidays` package, country "CO")."""

from __future__ import annotations

import datetime as dt

from claro_backoffice.core.timezone import BOGOTA

OPENS = dt.time(7)
CLOSES = dt.time(19)


def colombian_holidays():
    import holidays  # imported on first use: ~9 MB a process not using it never pays (issue 7)

    return holidays.country_holidays("CO")


def is_business_day(day: dt.date, co_holidays=None) -> bool:
    co_holidays = colombian_holidays() if co_holidays is None else co_holidays
    return day.weekday() < 5 and day not in co_holidays


def add_business_hours(start: dt.datetime, hours: float, co_holidays=None) -> dt.datetime:
    """The moment `hours` business hours after `start`. Time outside business hours does not count: a start on
    a Saturday counts from the next business day's 07:00, and a deadline can fall at 19:00 exactly."""
    co_holidays = colombian_holidays() if co_holidays is None else co_holidays
    moment = start.astimezone(BOGOTA)
    remaining = dt.timedelta(hours=hours)
    while True:
        day = moment.date()
        opens = dt.datetime.combine(day, OPENS, tzinfo=BOGOTA)
        closes = dt.datetime.combine(day, CLOSES, tzinfo=BOGOTA)
        if not is_business_day(day, co_holidays) or moment >= closes:
            moment = dt.datetime.combine(day + dt.timedelta(days=1), OPENS, tzinfo=BOGOTA)
            continue
        moment = max(moment, opens)
        if remaining <= closes - moment:
            return moment + remaining
        remaining -= closes - moment
        moment = dt.datetime.combine(day + dt.timedelta(days=1), OPENS, tzinfo=BOGOTA)
