"""PQR deadlines and legal contact hours (core/calendar.py): Bogotá time, Colombian holidays."""

from __future__ import annotations

import datetime as dt

import pytest

from claro_backoffice.core.calendar import (
    contact_hours_error,
    in_contact_hours,
    next_contact_moment,
    pqr_due,
)
from claro_backoffice.core.timezone import BOGOTA


def at(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text).replace(tzinfo=BOGOTA)


def test_the_domain_example_skips_christmas_new_year_and_epiphany():
    # 25-Dec, 1-Jan and Mon 12-Jan-2026 (Epiphany, moved) are holidays; day 1 is Tue 23-Dec
    assert pqr_due(at("2025-12-22T10:30:00")) == at("2026-01-15T23:59:59")


def test_filing_late_in_the_day_or_on_a_sunday_still_starts_counting_the_next_business_day():
    assert pqr_due(at("2025-12-22T23:50:00")) == at("2026-01-15T23:59:59")
    # Sun 21-Dec: day 1 is Mon 22-Dec, so one business day earlier than filing on the Monday
    assert pqr_due(at("2025-12-21T09:00:00")) == at("2026-01-14T23:59:59")


def test_semana_santa_and_a_monday_holiday_are_not_counted():
    # filed Fri 20-Mar-2026: Mon 23-Mar (San José) and Thu 2 / Fri 3-Apr (Semana Santa) are holidays
    # 24,25,26,27,30,31-Mar (6), 1,6,7,8,9,10,13,14,15-Apr (15)
    assert pqr_due(at("2026-03-20T16:00:00")) == at("2026-04-15T23:59:59")


def test_saturdays_count_when_the_setting_says_so():
    # 23,24,26,27,29,30,31-Dec (7), 2,3,5,6,7,8,9,10-Jan (15): Saturdays 27-Dec, 3 and 10-Jan counted
    assert pqr_due(at("2025-12-22T10:30:00"), count_saturdays=True) == at("2026-01-10T23:59:59")


def test_the_evidence_extension_counts_from_the_first_due_date():
    first = pqr_due(at("2025-12-22T10:30:00"))
    # 16,19,20,21,22,23,26,27,28,29,30-Jan (11), 2,3,4,5-Feb (15)
    assert pqr_due(first, 15) == at("2026-02-05T23:59:59")


def test_a_moment_without_time_zone_is_refused():
    with pytest.raises(ValueError, match="time zone"):
        pqr_due(dt.datetime(2025, 12, 22, 10))


@pytest.mark.parametrize(
    "moment, inside",
    [
        ("2026-11-04T07:00:00", True),  # Wednesday, opening
        ("2026-11-04T06:59:59", False),
        ("2026-11-04T18:59:59", True),
        ("2026-11-04T19:00:00", False),  # closing is outside
        ("2026-11-07T08:00:00", True),  # Saturday 08–15
        ("2026-11-07T15:00:00", False),
        ("2026-11-07T07:30:00", False),
        ("2026-11-08T10:00:00", False),  # Sunday
        ("2026-11-16T10:00:00", False),  # Mon 16-Nov-2026: Independencia de Cartagena (moved)
    ],
)
def test_contact_hours(moment, inside):
    assert in_contact_hours(at(moment)) is inside
    assert (contact_hours_error(at(moment)) is None) is inside


def test_contact_hours_use_bogota_time_whatever_zone_the_moment_is_in():
    utc = dt.datetime(2026, 11, 4, 23, 30, tzinfo=dt.UTC)  # 18:30 in Bogotá
    assert in_contact_hours(utc)
    assert not in_contact_hours(utc + dt.timedelta(hours=1))


def test_next_contact_moment_skips_sunday_and_a_monday_holiday():
    # Sat 14-Nov-2026 after 15:00 -> Sunday -> Mon 16-Nov holiday -> Tue 17-Nov 07:00
    assert next_contact_moment(at("2026-11-14T15:30:00")) == at("2026-11-17T07:00:00")
    assert next_contact_moment(at("2026-11-04T05:00:00")) == at("2026-11-04T07:00:00")
    assert next_contact_moment(at("2026-11-04T10:15:00")) == at("2026-11-04T10:15:00")


def test_the_error_says_why_and_when_it_is_allowed_again():
    sunday = contact_hours_error(at("2026-11-15T10:00:00"))
    assert "2026-11-15 is a Sunday" in sunday and "2026-11-17T07:00:00-05:00" in sunday
    holiday = contact_hours_error(at("2026-11-16T10:00:00"))
    assert "holiday" in holiday and "Cartagena" in holiday
    evening = contact_hours_error(at("2026-11-06T19:30:00"))
    assert "19:30" in evening and "viernes" in evening and "2026-11-07T08:00:00-05:00" in evening
