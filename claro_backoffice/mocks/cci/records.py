"""Connection records (voice, data, SMS) derived on demand, never stored.

Each line has a usage profile drawn from `Random(f"{seed}:{msisdn}:profile")` and shaped by its plan. Each
hour of a line's life is a bucket whose records come from `Random(f"{seed}:{msisdn}:{hour}")` (hour = Unix
hours), so any window is the union of whole buckets, filtered: the same records every time, whatever the
window or page. The network then acts on each record at its start: an attempt on a cell whose site (or the
cell itself) has an active incident fails (outage, maintenance window) or often fails (degradation). Those
effects draw from a per-record generator, so planting an incident changes only the records inside it.

When an incident acts (same rule as SARA's): from `opened_at`; a maintenance window until its scheduled end
(`estimated_resolution_at`) or its resolution; an outage or degradation until `resolved_at` (an open one keeps
acting past its estimated restoration); a ticket closed without `resolved_at` acts on nothing.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import math
import random

from claro_backoffice.core.timezone import BOGOTA

APN, MMS_APN = "internet.comcel.com.co", "mms.comcel.com.co"
FINAL_TICKET_STATES = frozenset({"resolved", "closed", "rejected", "cancelled"})
# Share of a day's traffic per local hour (0-23): quiet nights, busy evenings.
HOUR_WEIGHTS = (
    0.15,
    0.08,
    0.05,
    0.05,
    0.08,
    0.25,
    0.6,
    0.9,
    1.0,
    1.1,
    1.1,
    1.1,
    1.2,
    1.1,
    1.0,
    1.0,
    1.1,
    1.2,
    1.3,
    1.3,
    1.2,
    1.0,
    0.7,
    0.35,
)
_WEIGHT_SUM = sum(HOUR_WEIGHTS)
HOME_CELL_SHARE = 0.8  # the rest of the time the line is on another cell of its municipality


def parse_time(text) -> dt.datetime | None:
    """An ISO-8601 date or date-time; Bogotá time when it has no offset; None when unreadable."""
    if not text:
        return None
    try:
        value = dt.datetime.fromisoformat(str(text).strip().replace("z", "Z"))
    except ValueError:
        return None
    return value.replace(tzinfo=BOGOTA) if value.tzinfo is None else value


def iso(value: dt.datetime) -> str:
    return value.astimezone(BOGOTA).isoformat(timespec="seconds")


# ---- incidents --------------------------------------------------------------------------------------------------
@dataclasses.dataclass(frozen=True)
class Outage:
    incident_id: str
    aviso: int
    site_id: str
    cell_id: str | None
    impact: str
    start: dt.datetime | None
    end: dt.datetime | None  # None: still acting

    def acts_on(self, cell_id: str, site_id: str, when: dt.datetime) -> bool:
        return (
            self.site_id == site_id
            and self.cell_id in (None, "", cell_id)
            and (self.start is None or self.start <= when)
            and (self.end is None or when < self.end)
        )


def outage_of(incident: dict) -> Outage | None:
    start, end = parse_time(incident["opened_at"]), parse_time(incident["resolved_at"])
    if incident["impact"] == "maintenance":
        scheduled_end = parse_time(incident["estimated_resolution_at"])
        if scheduled_end and (end is None or scheduled_end < end):
            end = scheduled_end
    if end is None and incident["state"] in FINAL_TICKET_STATES:
        return None
    return Outage(
        incident["incident_id"],
        incident["aviso"],
        incident["site_id"],
        incident["cell_id"] or None,
        incident["impact"],
        start,
        end,
    )


# ---- the line's usage profile ----------------------------------------------------------------------------------
@dataclasses.dataclass(frozen=True)
class Profile:
    calls_per_day: float
    call_mean_s: float
    sms_per_day: float
    sessions_per_day: float
    bytes_per_session: float


def profile(seed: str, msisdn: str, plan: dict | None) -> Profile:
    """Usage shaped by the plan: unlimited minutes call more, a pay-per-use prepaid line uses little, the data
    allowance (shared among the lines of a family plan) bounds the month's bytes."""
    rng = random.Random(f"{seed}:{msisdn}:profile")
    plan = plan or {"minutes": 0, "sms": 0, "data_gb": 0, "shared_data_gb": 0}
    share = rng.uniform(0.3, 0.85)
    call_mean_s = rng.uniform(70, 220)
    minutes, sms, data_gb = plan["minutes"], plan["sms"], plan["data_gb"]
    if minutes is None:
        calls = rng.uniform(5, 12)
    elif minutes == 0:
        calls = rng.uniform(0.5, 2)
    else:
        calls = min(minutes * share / 30 / (call_mean_s / 60), 10)
    texts = rng.uniform(1, 4) if sms is None else rng.uniform(0.1, 0.5) if sms == 0 else min(sms * share / 30, 3)
    if data_gb is None:
        month_gb = rng.uniform(60, 150)
    elif data_gb == 0:
        month_gb = rng.uniform(0.2, 1.0)
    else:
        month_gb = data_gb * share / (3 if plan["shared_data_gb"] else 1)
    sessions = rng.uniform(12, 36)
    return Profile(calls, call_mean_s, texts, sessions, month_gb * 1e9 / 30 / sessions)


# ---- buckets ------------------------------------------------------------------------------------------------------
def _count(rng: random.Random, mean: float) -> int:
    """A Poisson draw (Knuth): how many events of a kind in one hour."""
    limit, k, p = math.exp(-mean), 0, rng.random()
    while p > limit:
        k += 1
        p *= rng.random()
    return k


def _number(rng: random.Random, contacts: list[str]) -> str:
    if contacts and rng.random() < 0.7:
        return rng.choice(contacts)
    return (
        rng.choice(("310", "311", "312", "313", "314", "315", "316", "317", "318", "320", "321", "350"))
        + f"{rng.randrange(10**7):07d}"
    )


@dataclasses.dataclass
class LineContext:
    seed: str
    msisdn: str
    home_cell: dict
    other_cells: list[dict]  # the other cells of the home municipality, ordered by cell_id
    volte: bool
    contacts: list[str]
    profile: Profile
    outages: list[Outage]


def _cell(ctx: LineContext, rng: random.Random) -> dict:
    at_home, pick = rng.random(), rng.random()
    if at_home < HOME_CELL_SHARE or not ctx.other_cells:
        return ctx.home_cell
    return ctx.other_cells[int(pick * len(ctx.other_cells))]


def _voice_rat(ctx: LineContext, technology: str) -> tuple[str, bool]:
    if technology in ("4G", "5G"):
        return ("4G", True) if ctx.volte else ("3G", False)  # VoLTE, or circuit-switched fallback to 3G
    return technology, False


def bucket(ctx: LineContext, hour: int) -> list[dict]:
    """The records of one Unix hour, network effects included, ordered by start."""
    rng = random.Random(f"{ctx.seed}:{ctx.msisdn}:{hour}")
    start = dt.datetime.fromtimestamp(hour * 3600, BOGOTA)
    weight = HOUR_WEIGHTS[start.hour] / _WEIGHT_SUM * (0.85 if start.weekday() >= 5 else 1.0)
    p, out = ctx.profile, []
    for kind, per_day, letter in (
        ("voice", p.calls_per_day, "V"),
        ("sms", p.sms_per_day, "S"),
        ("data", p.sessions_per_day, "D"),
    ):
        for k in range(_count(rng, per_day * weight)):
            at = start + dt.timedelta(seconds=rng.randrange(3600))
            cell = _cell(ctx, rng)
            record = {
                "record_id": f"{ctx.msisdn}-{hour}-{letter}{k:02d}",
                "type": kind,
                "started_at": at,
                "cell_id": cell["cell_id"],
                "incident_id": None,
            }
            outgoing = rng.random() < (0.55 if kind == "voice" else 0.6)
            roll = rng.random()
            if kind == "voice":
                other = _number(rng, ctx.contacts)
                duration = min(int(rng.expovariate(1 / p.call_mean_s)) + 5, 3600)
                result = "failed" if roll < 0.02 else "no_answer" if roll < 0.13 else "completed"
                rat, volte = _voice_rat(ctx, cell["technology"])
                record.update(
                    direction="outgoing" if outgoing else "incoming",
                    calling_number=ctx.msisdn if outgoing else other,
                    called_number=other if outgoing else ctx.msisdn,
                    duration_s=duration if result == "completed" else 0,
                    result=result,
                    failure_cause="network_congestion" if result == "failed" else None,
                    rat=rat,
                    volte=volte,
                )
            elif kind == "sms":
                other = _number(rng, ctx.contacts)
                failed = roll < 0.01
                record.update(
                    direction="outgoing" if outgoing else "incoming",
                    originator=ctx.msisdn if outgoing else other,
                    destination=other if outgoing else ctx.msisdn,
                    duration_s=0,
                    result="failed" if failed else "completed",
                    failure_cause="network_congestion" if failed else None,
                    rat=_voice_rat(ctx, cell["technology"])[0],
                )
            else:
                duration = int(rng.uniform(20, 1800))
                down = int(p.bytes_per_session * rng.lognormvariate(-0.32, 0.8))  # mean 1
                up = int(down * rng.uniform(0.04, 0.2))
                failed = roll < 0.005
                record.update(
                    apn=MMS_APN if rng.random() < 0.02 else APN,
                    duration_s=0 if failed else duration,
                    bytes_up=0 if failed else up,
                    bytes_down=0 if failed else down,
                    result="failed" if failed else "completed",
                    failure_cause="network_congestion" if failed else None,
                    rat=cell["technology"],
                )
            out.extend(_network(ctx, record, cell, outgoing))
    for record in out:
        record["ended_at"] = record["started_at"] + dt.timedelta(seconds=record["duration_s"])
    out.sort(key=lambda r: (r["started_at"], r["record_id"]))
    return out


def _network(ctx: LineContext, record: dict, cell: dict, outgoing: bool) -> list[dict]:
    """The record as the network let it happen: failed in an outage, often failed when degraded."""
    acting = [o for o in ctx.outages if o.acts_on(cell["cell_id"], cell["site_id"], record["started_at"])]
    if not acting:
        return [record]
    severity = {"degraded": 1, "maintenance": 2, "outage": 3}
    outage = max(acting, key=lambda o: severity[o.impact])
    rng = random.Random(f"{ctx.seed}:{record['record_id']}:net")
    record["incident_id"] = outage.incident_id
    if outage.impact == "degraded":
        if rng.random() < {"voice": 0.35, "sms": 0.2, "data": 0.25}[record["type"]]:
            dropped_call = record["type"] == "voice" and rng.random() < 0.5  # cut part-way rather than not set up
            _fail(record, "radio_degraded", kept_share=rng.uniform(0.1, 0.9) if dropped_call else 0.0)
        elif record["type"] == "data":
            record["bytes_down"] = int(record["bytes_down"] * 0.3)
            record["bytes_up"] = int(record["bytes_up"] * 0.3)
        return [record]
    _fail(record, "cell_unavailable" if outgoing or record["type"] == "data" else "subscriber_unreachable")
    records = [record]
    if (outgoing or record["type"] == "data") and rng.random() < 0.6:  # the customer tries again
        retry = dict(
            record,
            record_id=record["record_id"] + "R",
            started_at=record["started_at"] + dt.timedelta(seconds=rng.randrange(30, 300)),
        )
        records.append(retry)
    return records


def _fail(record: dict, cause: str, kept_share: float = 0.0) -> None:
    """Turn a record into a failed attempt; a dropped call keeps `kept_share` of its duration."""
    record.update(result="failed", failure_cause=cause, duration_s=int(record["duration_s"] * kept_share))
    if record["type"] == "data":
        record["bytes_up"] = record["bytes_down"] = 0


def records(ctx: LineContext, start: dt.datetime, end: dt.datetime, ended_by: dt.datetime) -> list[dict]:
    """The records that started in [start, end) and were over by `ended_by` (the virtual now)."""
    if start >= end:
        return []
    first, last = math.floor(start.timestamp() / 3600), math.ceil(end.timestamp() / 3600)
    out = []
    for hour in range(first - 1, last):  # a retry can start a few minutes into the next hour
        for record in bucket(ctx, hour):
            if start <= record["started_at"] < end and record["ended_at"] <= ended_by:
                out.append(record)
    out.sort(key=lambda r: (r["started_at"], r["record_id"]))
    return out


def public(record: dict) -> dict:
    return dict(record, started_at=iso(record["started_at"]), ended_at=iso(record["ended_at"]))
