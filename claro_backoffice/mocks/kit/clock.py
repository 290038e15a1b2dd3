"""The sandbox's virtual clock (America/Bogota), kept in the sandbox's own SQLite.

It is either running (virtual time advances with real time from a base) or frozen (stands still until set or
advanced). Every time rule of a mock reads it instead of datetime.now().
"""

from __future__ import annotations

import datetime as dt
import re
import time
from typing import Any

import sqlite_utils

from claro_backoffice.core.timezone import BOGOTA

TABLE = "_admin_clock"
_DURATION = re.compile(
    r"^(?P<sign>-)?P(?:(?P<weeks>\d+)W)?(?:(?P<days>\d+)D)?"
    r"(?:T(?:(?P<hours>\d+)H)?(?:(?P<minutes>\d+)M)?(?:(?P<seconds>\d+(?:\.\d+)?)S)?)?$"
)


class InvalidDuration(ValueError):
    pass


def parse_duration(text: str) -> dt.timedelta:
    """ISO-8601 durations in weeks, days, hours, minutes and seconds ('P1D', 'PT2H30M', '-PT15M').

    Years and months are refused: their length depends on the date, and a clock advance must be exact.
    """
    match = _DURATION.match(text or "")
    if not match or text.rstrip("T").endswith("P") or text.endswith("T"):
        raise InvalidDuration(
            f"'{text}' is not an ISO-8601 duration such as P1D, PT2H30M or -PT15M (years and months are not accepted)"
        )
    parts = {k: float(v) for k, v in match.groupdict().items() if v and k != "sign"}
    delta = dt.timedelta(
        weeks=parts.get("weeks", 0),
        days=parts.get("days", 0),
        hours=parts.get("hours", 0),
        minutes=parts.get("minutes", 0),
        seconds=parts.get("seconds", 0),
    )
    return -delta if match.group("sign") else delta


def ensure_table(db: sqlite_utils.Database) -> None:
    db.execute(
        f"CREATE TABLE IF NOT EXISTS {TABLE} (id INTEGER PRIMARY KEY CHECK (id = 1), "
        "virtual_base TEXT NOT NULL, real_base REAL NOT NULL, frozen INTEGER NOT NULL)"
    )


def start(db: sqlite_utils.Database, virtual: dt.datetime, frozen: bool, real_now: float | None = None) -> None:
    """(Re)base the clock: virtual time `virtual` at real time now."""
    db.execute(
        f"INSERT OR REPLACE INTO {TABLE} (id, virtual_base, real_base, frozen) VALUES (1, ?, ?, ?)",
        [virtual.astimezone(BOGOTA).isoformat(), time.time() if real_now is None else real_now, int(frozen)],
    )


class VirtualClock:
    """One request's view of the clock: its row is read once (a view asks the time several times: ~60 reads a case
    flow, issue 18), and again after this clock sets it. A running clock still moves with real time between reads."""

    def __init__(self, db: sqlite_utils.Database) -> None:
        self.db = db
        self._read: tuple[str, float, int] | None = None

    def _row(self) -> tuple[str, float, int]:  # virtual_base, real_base, frozen
        if self._read is None:
            self._read = self.db.execute(f"SELECT virtual_base, real_base, frozen FROM {TABLE} WHERE id = 1").fetchone()
        return self._read

    def now(self) -> dt.datetime:
        base, real_base, frozen = self._row()
        virtual = dt.datetime.fromisoformat(base)
        if not frozen:
            virtual += dt.timedelta(seconds=time.time() - real_base)
        return virtual.astimezone(BOGOTA)

    @property
    def frozen(self) -> bool:
        return bool(self._row()[2])

    def set(self, when: dt.datetime, frozen: bool | None = None) -> dt.datetime:
        if when.tzinfo is None:
            when = when.replace(tzinfo=BOGOTA)
        start(self.db, when, self.frozen if frozen is None else frozen)
        self.db.conn.commit()
        self._read = None
        return self.now()

    def advance(self, delta: dt.timedelta) -> dt.datetime:
        return self.set(self.now() + delta)

    def state(self) -> dict[str, Any]:
        return {"now": self.now().isoformat(), "frozen": self.frozen, "timezone": BOGOTA.key}
