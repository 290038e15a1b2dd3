"""The one time zone of the whole simulation: Claro Colombia's, America/Bogota (UTC-5, no daylight saving)."""

from __future__ import annotations

from zoneinfo import ZoneInfo

BOGOTA = ZoneInfo("America/Bogota")
