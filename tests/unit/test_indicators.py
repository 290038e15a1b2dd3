"""The CRM indicators as pure functions over rows (gateway/services/indicators.py)."""

from __future__ import annotations

import datetime as dt

from claro_backoffice.core.timezone import BOGOTA
from claro_backoffice.gateway.services import indicators

NOW = dt.datetime(2026, 11, 4, 12, 0, tzinfo=BOGOTA)


def at(day: int, hour: int, minute: int = 0, second: int = 0) -> str:
    return dt.datetime(2026, 11, day, hour, minute, second, tzinfo=BOGOTA).isoformat()


def test_nps_of_the_domain_example_is_20():
    counts = indicators.nps_counts([10, 9, 9, 8, 7, 6, 3, 10, 0, 9])
    assert counts == {"numerator": 2, "denominator": 10, "value": 20.0, "promoters": 5, "passives": 2, "detractors": 3}
    assert indicators.nps_counts([])["value"] is None


def test_nps_counts_answered_surveys_of_the_window_by_advisor_and_day():
    cases = [
        {"survey_score": 10, "survey_at": at(2, 9), "advisor": "a1"},
        {"survey_score": 3, "survey_at": at(3, 9), "advisor": "a2"},
        {"survey_score": None, "survey_at": None, "advisor": "a1"},
        {"survey_score": 9, "survey_at": at(5, 9), "advisor": "a1"},
    ]  # outside the window
    found = indicators.nps(cases, "2026-11-01", "2026-11-04")
    assert (found["numerator"], found["denominator"], found["value"]) == (0, 2, 0.0)
    assert [(r["advisor"], r["value"]) for r in found["byAdvisor"]] == [("a1", 100.0), ("a2", -100.0)]
    assert [r["date"] for r in found["byDay"]] == ["2026-11-02", "2026-11-03"]
    assert indicators.nps(cases, "2026-11-01", "2026-11-04", {"a2"})["value"] == -100.0


def conversation(requested: str, first: str | None, status: str, advisor: str | None = None) -> dict:
    return {"advisor_requested_at": requested, "first_advisor_message_at": first, "status": status, "advisor": advisor}


def test_punctuality_counts_abandoned_as_late_and_leaves_young_queued_ones_out():
    rows = [
        conversation(at(2, 8), at(2, 8, 9, 59), "assigned", "a1"),  # 599 s: on time
        conversation(at(2, 9), at(2, 9, 10), "closed", "a1"),  # exactly 600 s: late ("antes de 10 minutos")
        conversation(at(3, 8), None, "abandoned"),  # abandoned: late
        conversation(at(4, 11), None, "queued"),  # 60 min queued, not taken: late
        conversation(at(4, 11, 55), None, "queued"),  # 5 min old: pending
        conversation(at(5, 8), at(5, 8, 1), "assigned", "a2"),
    ]  # outside the window
    found = indicators.punctuality(rows, NOW, "2026-11-01", "2026-11-04")
    assert (found["numerator"], found["denominator"], found["value"]) == (1, 4, 25.0)
    assert (found["abandoned"], found["queuedPastThreshold"], found["pending"]) == (1, 1, 1)
    assert found["byAdvisor"] == [{"advisor": "a1", "numerator": 1, "denominator": 2, "value": 50.0}]
    assert [(r["date"], r["numerator"], r["denominator"]) for r in found["byDay"]] == [
        ("2026-11-02", 1, 2),
        ("2026-11-03", 0, 1),
        ("2026-11-04", 0, 1),
    ]
    assert indicators.punctuality(rows, NOW, "2026-11-01", "2026-11-04", {"a1"})["denominator"] == 2


def case(cid: str, customer: str, code: str, created: str, spc: bool, advisor: str = "a1") -> dict:
    return {
        "id": cid,
        "customer_id": customer,
        "typification_code": code,
        "created_at": created,
        "typified_at": created,
        "resolved_first_contact": int(spc),
        "advisor": advisor,
    }


def test_fcr_and_the_procedures_repeat_rate():
    rows = [
        case("C1", "X", "SAC-FAC-01", at(1, 9), True, "a1"),  # repeated by C2 within 7 days: not FCR
        case("C2", "X", "SAC-FAC-01", at(3, 9), True, "a2"),  # FCR (nothing after it); a repeat of C1
        case("C3", "Y", "SAC-FAC-01", at(1, 9), True, "a1"),  # Y's later case has another code: FCR
        case("C4", "Y", "SOP-INT-01", at(2, 9), False, "a2"),  # not solved at first contact
        case("C5", "Z", "SAC-FAC-01", at(2, 9), True, "a1"),
    ]  # repeated exactly 7 days later: not FCR
    rows.append(case("C6", "Z", "SAC-FAC-01", at(9, 9), True, "a2"))
    found = indicators.fcr(rows, NOW, "2026-11-01", "2026-11-04", 7)
    assert (found["numerator"], found["denominator"], found["value"]) == (2, 5, 40.0)
    assert found["provisional"] == 2
    assert [(r["advisor"], r["numerator"], r["denominator"]) for r in found["byAdvisor"]] == [
        ("a1", 1, 3),
        ("a2", 1, 2),
    ]
    rate = found["repeatRate"]
    assert (rate["numerator"], rate["denominator"], rate["value"]) == (1, 4, 25.0)
    assert [(r["advisor"], r["numerator"], r["denominator"]) for r in rate["byAdvisor"]] == [("a1", 1, 3), ("a2", 0, 1)]
    # A shorter window: C2 (2 days after C1) is no repeat any more.
    assert indicators.fcr(rows, NOW, "2026-11-01", "2026-11-04", 1)["numerator"] == 4
