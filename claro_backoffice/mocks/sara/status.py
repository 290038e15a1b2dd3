"""SARA's time rule: which incidents affect a cell at a given moment, and the state the cell reads with.

Pure functions over rows (dicts); the backend feeds them the store's rows and the sandbox's virtual now.

- An incident affects its site's cells (or only `cell_id` when it names one) from `opened_at`.
- A maintenance window ends at its scheduled end (`estimated_resolution_at`) or when resolved, whichever
  comes first: past its end the cells read in service again even if the ticket is still open.
- An outage or a degradation lasts until the ticket is resolved (`resolved_at`); its estimated restoration is
  an estimate, not an end: once it has passed the cells keep their state and `restoration_overdue` is true.
- A ticket in a final state (resolved, closed, rejected, cancelled) without `resolved_at` affects nothing.
- A cell reads the worse of its stored state (set by hand, no ticket) and the impact of its active incidents;
  when an incident gives the state, it is the cell's ticket.
"""

from __future__ import annotations

import datetime as dt

from claro_backoffice.core.timezone import BOGOTA

SEVERITY = {"in_service": 0, "degraded": 1, "maintenance": 2, "outage": 3}
FINAL_TICKET_STATES = frozenset({"resolved", "closed", "rejected", "cancelled"})
STATE_LABELS = {
    "in_service": "En servicio",
    "degraded": "Servicio degradado",
    "outage": "Fuera de servicio (caída)",
    "maintenance": "Ventana de mantenimiento",
}


def parse_time(text) -> dt.datetime | None:
    """An ISO-8601 date or date-time from the store; Bogotá time when it has no offset; None when unreadable."""
    if not text:
        return None
    try:
        value = dt.datetime.fromisoformat(str(text).strip().replace("z", "Z"))
    except ValueError:
        return None
    return value.replace(tzinfo=BOGOTA) if value.tzinfo is None else value


def iso(value: dt.datetime | None) -> str | None:
    return value.astimezone(BOGOTA).isoformat(timespec="seconds") if value else None


def window(incident: dict) -> tuple[dt.datetime | None, dt.datetime | None, bool]:
    """(start, end, ended): start None = since ever; end None = still going; ended = over at an unknown time."""
    start, end = parse_time(incident["opened_at"]), parse_time(incident["resolved_at"])
    if incident["impact"] == "maintenance":
        scheduled_end = parse_time(incident["estimated_resolution_at"])
        if scheduled_end and (end is None or scheduled_end < end):
            end = scheduled_end
    ended = end is None and incident["state"] in FINAL_TICKET_STATES
    return start, end, ended


def is_active(incident: dict, now: dt.datetime) -> bool:
    start, end, ended = window(incident)
    return not ended and (start is None or start <= now) and (end is None or now < end)


def concerns(incident: dict, cell: dict) -> bool:
    return incident["site_id"] == cell["site_id"] and incident["cell_id"] in (None, "", cell["cell_id"])


def ticket_view(incident: dict, now: dt.datetime) -> dict:
    eta = parse_time(incident["estimated_resolution_at"])
    active = is_active(incident, now)
    return {
        "incident_id": incident["incident_id"],
        "aviso": incident["aviso"],
        "site_id": incident["site_id"],
        "cell_id": incident["cell_id"] or None,
        "impact": incident["impact"],
        "description": incident["description"],
        "state": incident["state"],
        "opened_at": iso(parse_time(incident["opened_at"])) or incident["opened_at"],
        "estimated_resolution_at": iso(eta),
        "resolved_at": iso(parse_time(incident["resolved_at"])),
        "active": active,
        "restoration_overdue": bool(active and incident["impact"] != "maintenance" and eta and eta <= now),
    }


def effective_state(cell: dict, incidents: list[dict], now: dt.datetime) -> tuple[str, dict | None]:
    """The state a cell reads with at `now`, and the incident that gives it (None when it is the stored one)."""
    active = [i for i in incidents if concerns(i, cell) and is_active(i, now)]
    worst = max(active, key=lambda i: (SEVERITY[i["impact"]], i["opened_at"]), default=None)
    stored = cell["state"]
    if worst is not None and SEVERITY[worst["impact"]] >= SEVERITY[stored]:
        return worst["impact"], worst
    return stored, None


def summary(states: list[str]) -> dict:
    counts = {state: states.count(state) for state in SEVERITY}
    worst = max(states, key=SEVERITY.__getitem__, default="in_service")
    return dict(counts, cells=len(states), worst_state=worst)


def _local(text: str | None) -> str:
    when = parse_time(text)
    return when.astimezone(BOGOTA).strftime("%d/%m/%Y %H:%M") if when else "sin hora estimada"


def zone_message(cells: list[dict]) -> str:
    """What the advisor can tell the customer about the zone, in Spanish."""
    if not cells:
        return "No hay celdas de Claro en la zona consultada."
    affected = [c for c in cells if c["state"] != "in_service"]
    if not affected:
        return f"Zona sin afectaciones: {len(cells)} celdas en servicio."
    parts = [
        f"{sum(1 for c in affected if c['state'] == s)} {STATE_LABELS[s].lower()}"
        for s in ("outage", "maintenance", "degraded")
        if any(c["state"] == s for c in affected)
    ]
    text = f"Zona con afectación: {len(affected)} de {len(cells)} celdas con novedad ({', '.join(parts)})."
    tickets = {c["ticket"]["aviso"]: c["ticket"] for c in affected if c["ticket"]}
    for aviso, ticket in sorted(tickets.items()):
        if ticket["impact"] == "maintenance":
            end = f"fin programado {_local(ticket['estimated_resolution_at'])}"
        elif ticket["restoration_overdue"]:
            end = f"restablecimiento estimado vencido ({_local(ticket['estimated_resolution_at'])}), en gestión"
        else:
            end = f"restablecimiento estimado {_local(ticket['estimated_resolution_at'])}"
        text += f" AVISO {aviso}: {ticket['description']}; {end}."
    if any(c["ticket"] is None for c in affected):
        text += " Hay celdas con novedad sin AVISO asociado."
    return text
