"""How the console writes numbers and times for a person in Colombia (es-CO): `$ 45.900`, Bogotá's clock."""

from __future__ import annotations

import datetime as dt

from claro_backoffice.core.timezone import BOGOTA

MONTHS = ("ene", "feb", "mar", "abr", "may", "jun", "jul", "ago", "sep", "oct", "nov", "dic")


def money(value: float | int | None) -> str:
    """Pesos without decimals, dots between thousands: 45900 -> '$ 45.900', -1200 -> '-$ 1.200'."""
    if value is None:
        return "—"
    amount = round(value)
    text = f"{abs(amount):,}".replace(",", ".")
    return f"-$ {text}" if amount < 0 else f"$ {text}"


def moment(value: str | None) -> dt.datetime | None:
    if not value:
        return None
    parsed = dt.datetime.fromisoformat(value)
    return (parsed if parsed.tzinfo else parsed.replace(tzinfo=BOGOTA)).astimezone(BOGOTA)


def clock(value: str | None) -> str:
    """'2026-11-04T13:05:00Z' -> '08:05' (Bogotá)."""
    found = moment(value)
    return found.strftime("%H:%M") if found else ""


def date_time(value: str | None) -> str:
    """'2026-11-04T13:05:00Z' -> '4 nov 2026, 08:05' (Bogotá)."""
    found = moment(value)
    if not found:
        return "—"
    return f"{found.day} {MONTHS[found.month - 1]} {found.year}, {found:%H:%M}"


def day(value: str | None) -> str:
    """'2022-07-01' -> '1 jul 2022'."""
    if not value:
        return "—"
    found = dt.date.fromisoformat(value[:10])
    return f"{found.day} {MONTHS[found.month - 1]} {found.year}"


def waited(seconds: float | None) -> str:
    """125 -> '2 min 05 s'; 3725 -> '1 h 02 min'."""
    if seconds is None:
        return "—"
    whole = max(int(seconds), 0)
    hours, rest = divmod(whole, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours} h {minutes:02d} min" if hours else f"{minutes} min {secs:02d} s"


def seconds_between(start: str | None, end: str | None) -> float | None:
    first, last = moment(start), moment(end)
    return (last - first).total_seconds() if first and last else None


def phone(wa_id: str | None) -> str:
    """'573130568954' -> '+57 313 056 8954' (national numbers of ten digits; anything else as given)."""
    if not wa_id:
        return ""
    national = wa_id[2:] if wa_id.startswith("57") and len(wa_id) == 12 else wa_id
    if len(national) == 10:
        return f"+57 {national[:3]} {national[3:6]} {national[6:]}"
    return wa_id
