"""The spec's string formats, checked the same way by the gateway and every mock (README "Dates and times").

`date-time` is RFC 3339 with its offset (2026-11-04T08:00:00-05:00 or ...Z): a value without one is refused,
never guessed to be Bogotá time, and so is one that has no Bogotá time (0001-01-01T00:00:00Z is in year 0
there), which every rule would have to convert. `date` is a calendar date YYYY-MM-DD. jsonschema's own Draft 4
checker leaves `date` unchecked and words its refusals without the expected form; this one says what would have
been accepted.
"""

from __future__ import annotations

import datetime as dt
import re

from jsonschema import FormatChecker
from jsonschema.exceptions import FormatError
from rfc3339_validator import validate_rfc3339

from claro_backoffice.core.timezone import BOGOTA

_DATE = re.compile(r"\d{4}-\d{2}-\d{2}", re.ASCII)
EXPECTED = {
    "date-time": "an RFC 3339 date-time with an offset (and a Bogotá time within years 1 to 9999), such as "
    "2026-11-04T08:00:00-05:00 (Bogotá) or 2026-11-04T13:00:00Z",
    "date": "a date YYYY-MM-DD, such as 2026-11-04",
}


def _is_date_time(value: object) -> bool:
    # RFC 3339 allows a lower-case t and z; the validator's pattern is upper-case only.
    if not isinstance(value, str):
        return True
    if not validate_rfc3339(value.upper()):
        return False
    try:
        instant(value).astimezone(BOGOTA)
    except OverflowError:
        return False
    return True


def _is_date(value: object) -> bool:
    # The pattern first: fromisoformat also takes 20261104 and 2026-W45-3.
    if not isinstance(value, str):
        return True
    if not _DATE.fullmatch(value):
        return False
    try:
        dt.date.fromisoformat(value)
    except ValueError:
        return False
    return True


class SpecFormats(FormatChecker):
    """A FormatChecker for `date-time` and `date` whose refusal names the expected form."""

    def __init__(self) -> None:
        super().__init__(formats=())
        self.checks("date-time")(_is_date_time)
        self.checks("date")(_is_date)

    def check(self, instance: object, format: str) -> None:  # noqa: A002 (jsonschema's signature)
        try:
            super().check(instance, format)
        except FormatError as exc:
            assert isinstance(instance, str)  # both checks pass anything but a string
            shown = instance if len(instance) <= 100 else instance[:100] + "…"
            raise FormatError(f"{shown!r} is not {EXPECTED[format]}", cause=exc.cause) from None


def instant(text: str) -> dt.datetime:
    """A `date-time` the spec already checked, as an aware datetime (the one conversion both sides use)."""
    return dt.datetime.fromisoformat(text.upper())
