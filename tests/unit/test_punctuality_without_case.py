"""PUNTUALIDAD counts a conversation that ended without a case like any other, and says how many did
(gateway/services/indicators.py, pure over rows)."""

from __future__ import annotations

import datetime as dt

from claro_backoffice.core.timezone import BOGOTA
from claro_backoffice.gateway.services import indicators

NOW = dt.datetime(2026, 11, 4, 18, 0, tzinfo=BOGOTA)


def at(hour: int, minute: int = 0) -> str:
    return dt.datetime(2026, 11, 4, hour, minute, tzinfo=BOGOTA).isoformat()


def test_conversations_ended_without_a_case_are_in_the_denominator_and_counted_apart():
    rows = [
        # informationOnly, taken after 2 min: on time, no case
        {
            "status": "closed",
            "advisor": "a1",
            "advisor_requested_at": at(9),
            "first_advisor_message_at": at(9, 2),
            "cases": 0,
        },
        # inactivity, taken after 12 min: late, no case
        {
            "status": "closed",
            "advisor": "a2",
            "advisor_requested_at": at(10),
            "first_advisor_message_at": at(10, 12),
            "cases": 0,
        },
        # a case, taken after 1 min: on time
        {
            "status": "closed",
            "advisor": "a1",
            "advisor_requested_at": at(11),
            "first_advisor_message_at": at(11, 1),
            "cases": 1,
        },
        # abandoned: late, and not a conversation that "ended without a case" after an advisor took it
        {
            "status": "abandoned",
            "advisor": None,
            "advisor_requested_at": at(12),
            "first_advisor_message_at": None,
            "cases": 0,
        },
    ]
    found = indicators.punctuality(rows, NOW, "2026-11-04", "2026-11-04")
    assert (found["numerator"], found["denominator"], found["value"]) == (2, 4, 50.0)
    assert found["closedWithoutCase"] == 2 and found["abandoned"] == 1
