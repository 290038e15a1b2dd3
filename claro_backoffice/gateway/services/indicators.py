"""The procedure's five indicators (section 5) for a window of Bogotá days, both included, as GET /indicators
gives them: PUNTUALIDAD, NPS and FCR (with the procedure's own repeat rate) computed here from the CRM's rows
(conversations, cases), AUSENTISMO and ROTACIÓN from Almabi through services/workforce.py.

The three CRM indicators are pure functions over rows (testable without I/O); `indicators()` reads the rows, asks
Almabi for the team's advisors when a team is given, and puts the five together. Every `value` is a percentage
with two decimals (NPS: points from −100 to 100), None when the denominator is 0. Definitions:

- PUNTUALIDAD: conversations that asked for an advisor on a day of the window; on time when the first advisor
  message (the welcome sent on taking it) came less than THRESHOLD_SECONDS after the request (< 600 s: "antes
  de 10 minutos"; one at exactly 600 s is late). Abandoned ones, and ones still queued past the threshold, are
  in the denominator as not on time; one still queued and younger than the threshold is left out (`pending`)
  until decided. By advisor: the advisor who took it (an abandoned
  conversation has none, so with `team` only conversations taken by the team's advisors count); by day of request.
  A conversation that ended with no case (an advisor's reason, or inactivity) counts here like any other
  (`closedWithoutCase` says how many); with no case it is in no NPS or FCR count.
- NPS: surveys answered on a day of the window; % promoters (9–10) − % detractors (0–6) over answered surveys;
  numerator = promoters − detractors, denominator = answered. By the case's advisor; by day of answer.
- FCR: cases typified on a day of the window; numerator = those typified resolvedFirstContact with no repeat
  contact: no later case of the same customer with the same typification code created within the repeat window
  (CASE_REPEAT_WINDOW_DAYS) after it. Later cases count whenever they were created, so a case whose window has not
  elapsed yet may still lose its FCR (`provisional` counts them). By the typifying case's advisor and day.
- repeatRate (the procedure's formula): second interactions ÷ interactions attended as solved at first contact
  (spc): numerator = cases typified in the window that repeat (same customer, same code, created within the repeat
  window after it) an earlier case typified spc; denominator = cases typified spc in the window. By advisor, a
  repeat is charged to the advisor of the spc case that did not hold.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from concurrent.futures import Executor
from typing import TypeGuard

from claro_backoffice.core.timezone import BOGOTA
from claro_backoffice.gateway.backoffice import Backoffice
from claro_backoffice.gateway.backoffice.base import CallContext
from claro_backoffice.gateway.cases.conversations import expire_queue
from claro_backoffice.gateway.cases.store import CrmStore, rows
from claro_backoffice.gateway.services import workforce
from claro_backoffice.gateway.services.workforce import percent
from claro_backoffice.gateway.settings import GatewaySettings

THRESHOLD_SECONDS = 600
MAX_DAYS = workforce.MAX_ATTENDANCE_DAYS
PUNCTUALITY = (
    "PUNTUALIDAD: conversations whose first advisor message came before 600 s (under 10 minutes) from the "
    "customer asking for an advisor ÷ conversations that asked for an advisor on a day of the window; "
    "abandoned ones (and ones still queued after 600 s) count as not on time; ones still queued "
    "under 600 s are left out (pending); one that ended with no case counts like any other (closedWithoutCase)"
)
NPS = (
    "NPS: % promoters (9–10) − % detractors (0–6) over the surveys answered on a day of the window; numerator = "
    "promoters − detractors, denominator = answered surveys"
)
FCR = (
    "FCR: cases typified on a day of the window as resolved at first contact with no later case of the same "
    "customer with the same typification code created within {days} days ÷ cases typified on a day of the window"
)
REPEAT_RATE = (
    "repeatRate: cases typified on a day of the window that repeat (same customer, same typification code, "
    "created within {days} days after it) a case typified as resolved at first contact ÷ cases typified as "
    "resolved at first contact on a day of the window"
)


def day_of(moment: str) -> str:
    """The Bogotá date of a stored ISO date-time."""
    return dt.datetime.fromisoformat(moment).astimezone(BOGOTA).date().isoformat()


def _in(moment: str | None, first: str, last: str) -> TypeGuard[str]:
    """True when the moment is set and its Bogotá day is within [first, last] (then it is a str)."""
    if not moment:
        return False
    return first <= day_of(moment) <= last


def _keep(advisor: str | None, advisors: set[str] | None) -> bool:
    return advisors is None or advisor in advisors


class _Tally:
    """numerator/denominator per key (advisor or day), shaped as sorted breakdown rows."""

    def __init__(self, key: str) -> None:
        self.key = key
        self.counts: dict[str, tuple[int, int]] = {}

    def add(self, key: str | None, hit: bool, denominator: int = 1) -> None:
        if key is None:
            return
        n, d = self.counts.get(key, (0, 0))
        self.counts[key] = (n + int(hit), d + denominator)

    def rows(self) -> list[dict]:
        return [
            {self.key: k, "numerator": n, "denominator": d, "value": percent(n, d)}
            for k, (n, d) in sorted(self.counts.items())
        ]


def punctuality(
    conversations: list[dict], now: dt.datetime, first: str, last: str, advisors: set[str] | None = None
) -> dict:
    """conversations: CRM rows (advisor_requested_at, first_advisor_message_at, status, advisor)."""
    by_advisor, by_day = _Tally("advisor"), _Tally("date")
    on_time = total = abandoned = pending = late_unanswered = without_case = 0
    for c in conversations:
        requested = c.get("advisor_requested_at")
        if not _in(requested, first, last) or not _keep(c.get("advisor"), advisors):
            continue
        asked = dt.datetime.fromisoformat(requested)
        if c.get("first_advisor_message_at"):
            hit = (dt.datetime.fromisoformat(c["first_advisor_message_at"]) - asked).total_seconds() < THRESHOLD_SECONDS
        elif c.get("status") == "queued" and (now - asked).total_seconds() < THRESHOLD_SECONDS:
            pending += 1
            continue
        else:
            hit = False
            if c.get("status") == "abandoned":
                abandoned += 1
            else:
                late_unanswered += 1
        total += 1
        on_time += hit
        without_case += c.get("status") == "closed" and not c.get("cases")
        by_advisor.add(c.get("advisor"), hit)
        by_day.add(day_of(requested), hit)
    return {
        "indicator": "PUNTUALIDAD",
        "numerator": on_time,
        "denominator": total,
        "value": percent(on_time, total),
        "definition": PUNCTUALITY,
        "thresholdSeconds": THRESHOLD_SECONDS,
        "abandoned": abandoned,
        "queuedPastThreshold": late_unanswered,
        "pending": pending,
        "closedWithoutCase": without_case,
        "byAdvisor": by_advisor.rows(),
        "byDay": by_day.rows(),
    }


def nps_counts(scores: list[int]) -> dict:
    """{numerator, denominator, value, promoters, passives, detractors} of 0–10 answers."""
    promoters = sum(1 for s in scores if s >= 9)
    detractors = sum(1 for s in scores if s <= 6)
    answered = len(scores)
    value = round(100 * (promoters - detractors) / answered, 2) if answered else None
    return {
        "numerator": promoters - detractors,
        "denominator": answered,
        "value": value,
        "promoters": promoters,
        "passives": answered - promoters - detractors,
        "detractors": detractors,
    }


def nps(cases: list[dict], first: str, last: str, advisors: set[str] | None = None) -> dict:
    """cases: CRM rows (survey_score, survey_at, advisor)."""
    answered = [
        c
        for c in cases
        if c.get("survey_score") is not None
        and _in(c.get("survey_at"), first, last)
        and _keep(c.get("advisor"), advisors)
    ]

    def grouped(key: Callable[[dict], str | None], name: str) -> list[dict]:
        groups: dict[str | None, list[int]] = {}
        for c in answered:
            groups.setdefault(key(c), []).append(c["survey_score"])
        return [{name: k} | nps_counts(v) for k, v in sorted(groups.items()) if k is not None]

    return {
        "indicator": "NPS",
        **nps_counts([c["survey_score"] for c in answered]),
        "definition": NPS,
        "byAdvisor": grouped(lambda c: c.get("advisor"), "advisor"),
        "byDay": grouped(lambda c: day_of(c["survey_at"]), "date"),
    }


def _order(case: dict) -> tuple:
    return dt.datetime.fromisoformat(case["created_at"]), case["id"]


def _repeats(earlier: dict, later: dict, window: dt.timedelta) -> bool:
    """`later` is a repeat contact of `earlier`: same customer and code, created after it within the window."""
    if later["customer_id"] != earlier["customer_id"] or later["typification_code"] != earlier["typification_code"]:
        return False
    return _order(earlier) < _order(later) and _order(later)[0] - _order(earlier)[0] <= window


def fcr(
    cases: list[dict], now: dt.datetime, first: str, last: str, window_days: int, advisors: set[str] | None = None
) -> dict:
    """cases: CRM rows (id, customer_id, typification_code, resolved_first_contact, typified_at, created_at,
    advisor), every typified case (a repeat may fall outside the window or the team)."""
    window = dt.timedelta(days=window_days)
    typified = [c for c in cases if c.get("typification_code") and c.get("typified_at")]
    by_customer: dict[str, list[dict]] = {}
    for c in typified:
        by_customer.setdefault(c["customer_id"], []).append(c)
    in_window = [c for c in typified if _in(c["typified_at"], first, last)]
    fcr_advisor, fcr_day = _Tally("advisor"), _Tally("date")
    solved = provisional = 0
    for c in in_window:
        if not _keep(c.get("advisor"), advisors):
            continue
        spc = bool(c["resolved_first_contact"])
        held = spc and not any(_repeats(c, other, window) for other in by_customer[c["customer_id"]])
        solved += held
        provisional += held and _order(c)[0] + window > now
        fcr_advisor.add(c.get("advisor"), held)
        fcr_day.add(day_of(c["typified_at"]), held)
    rate_advisor = _Tally("advisor")
    repeats = spc_cases = 0
    for c in in_window:
        if c["resolved_first_contact"] and _keep(c.get("advisor"), advisors):
            spc_cases += 1
            rate_advisor.add(c.get("advisor"), False)
        broken = [
            e
            for e in by_customer[c["customer_id"]]
            if e["resolved_first_contact"] and _repeats(e, c, window) and _keep(e.get("advisor"), advisors)
        ]
        if broken:
            repeats += 1
            rate_advisor.add(max(broken, key=_order).get("advisor"), True, denominator=0)
    total = sum(d for _, d in fcr_day.counts.values())
    return {
        "indicator": "FCR",
        "numerator": solved,
        "denominator": total,
        "value": percent(solved, total),
        "definition": FCR.format(days=window_days),
        "repeatWindowDays": window_days,
        "provisional": provisional,
        "byAdvisor": fcr_advisor.rows(),
        "byDay": fcr_day.rows(),
        "repeatRate": {
            "numerator": repeats,
            "denominator": spc_cases,
            "value": percent(repeats, spc_cases),
            "definition": REPEAT_RATE.format(days=window_days),
            "byAdvisor": rate_advisor.rows(),
        },
    }


def _crm_rows(crm: CrmStore, sandbox: str, now: dt.datetime, abandon_minutes: int) -> tuple[list[dict], list[dict]]:
    """The rows the indicators need, once the queue's abandonment is applied (as every read of conversations does)."""
    with crm.write(sandbox) as db:
        expire_queue(db, now, abandon_minutes)
    with crm.read(sandbox) as db:
        conversations = rows(
            db.execute(
                "SELECT id, status, advisor, advisor_requested_at, first_advisor_message_at, "
                "(SELECT COUNT(*) FROM cases WHERE cases.conversation_id = conversations.id) AS cases "
                "FROM conversations WHERE advisor_requested_at IS NOT NULL"
            )
        )
        cases = rows(
            db.execute(
                "SELECT id, customer_id, advisor, typification_code, resolved_first_contact, typified_at, created_at, "
                "survey_score, survey_at FROM cases"
            )
        )
    return conversations, cases


def _workforce(indicator: dict) -> dict:
    """workforce.py's shape with its per-day rows under byDay, as the other indicators have them."""
    shaped = dict(indicator)
    if "days" in shaped:
        shaped["byDay"] = shaped.pop("days")
    return shaped


def indicators(
    backoffice: Backoffice,
    executor: Executor,
    crm: CrmStore,
    settings: GatewaySettings,
    now: dt.datetime,
    ctx: CallContext,
    first: str,
    last: str,
    team: str | None = None,
) -> dict:
    first, last = workforce.window(first, last, MAX_DAYS)
    absent = executor.submit(workforce.absenteeism, backoffice, ctx, first, last, team)
    rotated = executor.submit(workforce.rotation, backoffice, ctx, first, last, team)
    advisors = None
    if team:
        advisors = {a["username"] for a in backoffice.almabi.agents(ctx, team_id=team, role="asesor")}
    conversations, cases = _crm_rows(crm, ctx.sandbox, now, settings.abandon_minutes)
    return {
        "from": first,
        "to": last,
        "teamId": team,
        "computedAt": now.isoformat(),
        "advisors": None if advisors is None else sorted(advisors),
        "indicators": [
            punctuality(conversations, now, first, last, advisors),
            nps(cases, first, last, advisors),
            fcr(cases, now, first, last, settings.repeat_window_days, advisors),
            _workforce(absent.result()),
            _workforce(rotated.result()),
        ],
    }
