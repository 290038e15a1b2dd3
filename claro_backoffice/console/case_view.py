"""What the case panel shows, read from the gateway: the conversation's cases (the last one is the one at work),
its PQR with the CUN, the advisor's guide and the typification catalogue for its product, the callback moments
that Ley 2300/2023 allows, and the timeline in Spanish and Bogotá time."""

from __future__ import annotations

import datetime as dt
import re

from claro_backoffice.console import formatting
from claro_backoffice.console.client import ApiError
from claro_backoffice.console.web import gateway
from claro_backoffice.console.wording import explain
from claro_backoffice.core.calendar import in_contact_hours  # the same rule the gateway applies (core: shared, pure)

CATEGORIES = {"SAC": "SAC (servicio al cliente)", "SOPORTE": "Soporte técnico", "PQR": "PQR", "VENTAS": "Ventas"}
PRODUCTS = {
    "internet": "Internet hogar",
    "tv": "Televisión",
    "telefonia": "Telefonía fija",
    "aplicaciones": "Aplicaciones y suscripciones",
    "voz": "Voz móvil",
    "datos": "Datos móviles",
}
FOLLOW_UP_TYPES = {
    "SOPORTE": "Soporte (revisión técnica)",
    "VISITAS": "Visita técnica",
    "PQR": "PQR (respuesta al reclamo)",
    "ESCALAMIENTOS": "Escalamiento (DIME)",
}
CALLBACK_OUTCOMES = {
    "solved": "Solucionado",
    "pending": "Sigue pendiente",
    "noAnswer": "No contestó",
    "rescheduled": "Reprogramado",
    "notSolved": "No solucionado",
}
END_REASONS = {
    "informationOnly": "Solo pidió información",
    "customerUnresponsive": "El cliente dejó de responder",
    "nothingMore": "El cliente no necesita nada más",
    "otherChannel": "Corresponde a otro canal (se le indicó cuál)",
}
STATUS = {"open": "Abierto", "typified": "Tipificado", "followUp": "En seguimiento", "closed": "Cerrado"}
STEP_WORDS = {
    "opened": "Caso abierto",
    "typified": "Tipificado",
    "pqr filed": "PQR radicada, CUN",
    "cun marked": "CUN marcado en el sistema de la cuenta",
    "closed with the customer": "Cerrado con el cliente",
    "callback": "Devolución de llamada",
    "closed out": "Cierre posterior",
    "escalated": "Escalado a DIME",
}
DAYS = ("lun", "mar", "mié", "jue", "vie", "sáb", "dom")
CASE_SPANISH = {  # the gateway's problem kinds about cases, as an advisor acts on them
    "support-follow-up": "un caso de soporte no se cierra de una vez: ciérralo en seguimiento con una devolución "
    "de llamada.",
    "unsolved-follow-up": "un caso no resuelto en el primer contacto se cierra en seguimiento con una devolución "
    "de llamada.",
    "pqr-follow-up": "un caso con PQR se cierra en seguimiento de tipo PQR.",
    "pqr-unanswered": "la PQR del caso aún no tiene respuesta: no se puede hacer el cierre posterior.",
    "callback-in-past": "la devolución de llamada debe quedar en el futuro.",
    "callback-in-future": "el intento de llamada no puede ser posterior a la hora actual.",
    "cases-open": "hay casos abiertos o tipificados en la conversación: ciérralos primero.",
}
RR_NOTE_LIMIT, AC_NOTE_LIMIT = 250, 500
SLOT_DAYS = 4  # callback moments offered: the contact hours of the next days, on the hour


def weekday_time(value: str | None) -> str:
    """'2026-11-05T10:00:00-05:00' -> 'jue 5 nov 2026, 10:00' (Bogotá)."""
    found = formatting.moment(value)
    return f"{DAYS[found.weekday()]} {formatting.date_time(value)}" if found else "—"


def account_choices(customer: dict | None) -> list[dict]:
    """The 360's home accounts and mobile lines, as what a case can be opened on."""
    if not customer:
        return []
    choices = [
        {"value": f"account:{a['id']}", "label": f"Cuenta hogar {a['id']} ({a['address']['municipality']})"}
        for a in customer.get("homeAccounts") or []
    ]
    choices += [
        {"value": f"line:{line['msisdn']}", "label": f"Línea {formatting.phone(line['msisdn'])} ({line['lineType']})"}
        for line in customer.get("mobileLines") or []
    ]
    return choices


def callback_slots(now: dt.datetime, days: int = SLOT_DAYS) -> list[dict]:
    """Every whole hour after `now`, within the next `days` days, that Ley 2300/2023 allows for a call."""
    moment = (now + dt.timedelta(hours=1)).replace(minute=0, second=0, microsecond=0)
    end = now + dt.timedelta(days=days)
    slots = []
    while moment < end:
        if in_contact_hours(moment):
            slots.append({"value": moment.isoformat(), "label": weekday_time(moment.isoformat())})
        moment += dt.timedelta(hours=1)
    return slots


def _now() -> dt.datetime:
    """The sandbox's clock (`asOf` of the conversations): callbacks are due against it, not the server's."""
    as_of = gateway().get("/conversations", status="queued", limit=1).get("asOf")
    found = formatting.moment(as_of)
    assert found  # the gateway always answers asOf
    return found


def _pqr_of(case: dict) -> dict | None:
    pqrs = gateway().get("/pqrs", customerId=case["customerId"], limit=100)
    return next((p for p in pqrs if any(e.get("id") == case["id"] for e in p.get("relatedEntity") or [])), None)


def timeline(case: dict) -> list[dict]:
    """Each entry as an advisor reads it: when (Bogotá), what, and the reference it produced."""
    rows = []
    first_day = None
    for entry in case.get("timeline") or []:
        action, outcome, detail = entry.get("action", ""), entry.get("outcome") or "", entry.get("detail") or ""
        if entry.get("kind") == "call":
            what, result = f"Llamada a {str(entry.get('system', '')).upper()}: {action}", f"respuesta {outcome}"
        elif action == "opened":
            what, result = STEP_WORDS[action], ""
        elif action == "cun marked":
            what, result = (
                f"CUN marcado en {'AC' if detail.startswith('ac') else 'RR'} (marcación de seguimiento)",
                outcome,
            )
        else:
            what, result = STEP_WORDS.get(action, action), STATUS.get(outcome, outcome)
        moment = formatting.moment(entry.get("at"))
        first_day = first_day or (moment.date() if moment else None)
        # The time alone while the case is on its first day; the date too once it is not.
        when = (
            formatting.clock(entry.get("at"))
            if moment and moment.date() == first_day
            else formatting.date_time(entry.get("at"))
        )
        rows.append({"at": entry.get("at"), "when": when, "kind": entry.get("kind"), "what": what, "result": result})
    return rows


def _guides(case: dict) -> list[dict]:
    guides = gateway().get("/guides", product=case["product"])["guides"]
    line = "hogar" if case["accountSystem"] == "rr" else "movil"
    fitting = [g for g in guides if g["category"] == case["category"] and g["line"] in (line, "ambos")]
    for guide in fitting:
        guide["steps"] = [s for s in guide["steps"] if s.get("line") in (None, line)]
    return fitting


def panel(conversation: dict, customer: dict | None) -> dict:
    """Everything `_case_panel.html` needs; a part the gateway could not give comes with its error, in Spanish."""
    view: dict = {"cases": [], "case": None, "case_load_error": None}
    try:
        view["cases"] = [gateway().get(f"/cases/{case_id}") for case_id in conversation.get("cases") or []]
    except ApiError as exc:
        view["case_load_error"] = explain("No fue posible leer los casos de la conversación", exc)
        return view
    case = view["cases"][-1] if view["cases"] else None
    view["case"] = case
    view["accounts"] = account_choices(customer)
    view["working"] = any(c["status"] in ("open", "typified") for c in view["cases"])
    if not case:
        return view
    view["timeline"] = timeline(case)
    view["note_limit"] = RR_NOTE_LIMIT if case["accountSystem"] == "rr" else AC_NOTE_LIMIT
    try:
        view["pqr"] = _pqr_of(case)
        if case["status"] in ("open", "typified"):
            view["guides"] = _guides(case)
            view["typifications"] = gateway().get("/typifications", product=case["product"], category=case["category"])[
                "typifications"
            ]
        if case["status"] in ("open", "typified", "followUp"):
            view["slots"] = callback_slots(_now())
    except ApiError as exc:
        view["case_load_error"] = explain("No fue posible leer parte del caso", exc)
    return view


NEXT_ALLOWED = re.compile(r"next allowed moment is (\S+)")


def readable(action: str, exc: ApiError) -> str:
    """The gateway's refusal in Spanish; the contact-hours 422 names the next allowed moment in Bogotá time."""
    if exc.kind == "outside-contact-hours":
        found = NEXT_ALLOWED.search(exc.detail)
        following = f" El próximo momento permitido es {weekday_time(found.group(1))}." if found else ""
        return (
            f"{action}: esa hora está fuera del horario de contacto de la Ley 2300 de 2023 (lunes a viernes de "
            f"07:00 a 19:00, sábados de 08:00 a 15:00, nunca domingos ni festivos).{following}"
        )
    reason = CASE_SPANISH.get(exc.kind)
    if reason:
        return f"{action}: {reason} (detalle: {exc.detail})"
    return explain(action, exc)
