"""The training report in Spanish: the scorer's notes (the gateway writes them in English, for developers, as its
problems are), the marks, the evidence and the replay's events, told as a trainer reads them. A note this module
does not know is shown as the gateway wrote it, after "Detalle:" (tests/console/test_training_wording.py runs the
scorer over hand-made attempts and fails when one of its notes has no Spanish here)."""

from __future__ import annotations

import re
from collections.abc import Callable

from claro_backoffice.console import formatting
from claro_backoffice.console.case_view import FOLLOW_UP_TYPES, STEP_WORDS
from claro_backoffice.console.tools import SYSTEMS

MARKS = {1: "Cumple", 0: "No cumple", None: "No aplica"}
AUTHORS = {"customer": "Cliente", "advisor": "Asesor", "bot": "Bot", "system": "Sistema"}
OUTCOMES = {"closed": "cerrado", "followUp": "en seguimiento", None: "sin cerrar"}
STEPS = STEP_WORDS | {
    "pqr answered": "PQR respondida",
    "pqr evidence gathering": "PQR en recolección de pruebas",
    "adjustmentRequested": "Ajuste solicitado",
    "adjustmentApproved": "Ajuste aprobado",
    "adjustmentRejected": "Ajuste rechazado",
}
TRAINING_SPANISH = {  # the gateway's problem kinds about training, as a trainer or a trainee acts on them
    "forbidden-role": "tu rol no permite ver ni cambiar informes de formación (ingresa con el token de formador).",
    "forbidden-sandbox": "tu token no alcanza este informe: un participante ve solo el intento de su propio sandbox.",
    "session-not-found": "esa sesión de formación no existe.",
    "trainee-not-found": "ese participante no está en la sesión.",
    "attempt-not-found": "ese intento no es de la sesión.",
    "attempt-state": "el intento aún no termina: se marca o se disputa cuando la sesión termina.",
    "not-a-manual-item": "solo los ítems manuales (empatía, claridad) se marcan a mano.",
    "unknown-item": "ese ítem no está en la rúbrica.",
    "dispute-not-found": "esa disputa no existe.",
    "dispute-answered": "esa disputa ya tiene respuesta.",
    "class-not-found": "esa clase no tiene sesiones de formación.",
}


def system(name: str | None) -> str:
    return SYSTEMS.get(name or "", name or "—")


def systems(names: str) -> str:
    listed = [n.strip() for n in names.split(",") if n.strip() and n.strip() != "none"]
    return ", ".join(system(n) for n in listed) or "ninguno"


def percent(value: float | None) -> str:
    """88.89 -> '88,89 %'; 100.0 -> '100 %' (es-CO: a decimal comma)."""
    if value is None:
        return "—"
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return f"{text.replace('.', ',')} %"


def _minutes(text: str) -> str:
    return text.replace(".", ",")


def _silence(text: str) -> str:
    hours, minutes, seconds = (int(x) for x in text.split(":"))
    return f"{hours * 60 + minutes} min" + (f" {seconds} s" if seconds else "")


def _validated(when: str) -> str:
    if when == "never":
        return "La identidad nunca se validó; nada se reveló ni se cambió antes."
    return f"Identidad validada el {formatting.date_time(when)}; nada se reveló ni se cambió antes."


def _pqr(m: re.Match) -> str:
    n, cun, needed = int(m["n"]), m["cun"], m["needed"] == "one with its CUN"
    filed = "Ninguna PQR radicada" if n == 0 else f"{n} PQR radicada{'s' if n > 1 else ''}"
    filed += f" (CUN {cun})" if cun else ""
    if needed:
        return f"{filed}; se necesitaba una, con su CUN."
    return f"{filed}, y no se necesitaba." if n == 0 else f"{filed}, pero no se necesitaba."


def _outcome_problem(part: str) -> str:
    if found := re.fullmatch(r"outcome (\S+), expected (\S+)", part):
        got, wanted = _none(found[1]), OUTCOMES.get(found[2], found[2])
        said = f"cerró como «{OUTCOMES.get(got, got)}»" if got else "no se cerró"
        return f"{said}, se esperaba «{wanted}»"
    if found := re.fullmatch(r"follow-up (\S+), expected (\S+)", part):
        got, wanted = FOLLOW_UP_TYPES.get(_none(found[1]) or "", "ninguno"), FOLLOW_UP_TYPES.get(found[2], found[2])
        return f"seguimiento {got}, se esperaba {wanted}"
    if found := re.fullmatch(r"callback (\S+) not within contact hours", part):
        when = "ninguna" if found[1] == "none" else formatting.date_time(found[1])
        return f"devolución de llamada {when}, fuera del horario de contacto"
    return part


def _none(text: str) -> str | None:
    return None if text == "None" else text


NOTES: list[tuple[str, Callable[[re.Match], str]]] = [
    (r"the conversation was never taken: no welcome", lambda m: "La conversación nunca se tomó: no hubo saludo."),
    (r"welcome names the advisor \((?P<n>.*)\)", lambda m: f"El saludo nombra al asesor ({m['n']})."),
    (r"welcome does not name the advisor \((?P<n>.*)\)", lambda m: f"El saludo no nombra al asesor ({m['n']})."),
    (r"the customer never asked for an advisor", lambda m: "El cliente nunca pidió un asesor: no aplica."),
    (r"no advisor ever answered", lambda m: "Ningún asesor respondió."),
    (
        r"first reply after (?P<m>[\d.]+) min \(10 min at most\)",
        lambda m: f"Primera respuesta a los {_minutes(m['m'])} min (máximo 10 min).",
    ),
    (
        r"(?P<n>\d+) silence\(s\) without hold",
        lambda m: f"{m['n']} silencio(s) de más de lo permitido sin mensaje de espera.",
    ),
    (
        r"first reply after (?P<m>[\d.]+) min; no silence over (?P<s>[\d:]+)",
        lambda m: f"Primera respuesta a los {_minutes(m['m'])} min; ningún silencio de más de {_silence(m['s'])}.",
    ),
    (
        r"account data disclosed or changed before identity was validated",
        lambda m: "Se revelaron o cambiaron datos de la cuenta antes de validar la identidad.",
    ),
    (r"identity validated (?P<w>\S+); nothing disclosed or changed before", lambda m: _validated(m["w"])),
    (
        r"personal data given to a person not validated",
        lambda m: "Se dieron datos personales a una persona no validada.",
    ),
    (
        r"no personal data given before identity was validated",
        lambda m: "No se dieron datos personales antes de validar la identidad.",
    ),
    (r"the scenario names no order", lambda m: "El escenario no fija un orden de sistemas: no aplica."),
    (
        r"expected (?P<o>.+) in order \(consulted (?P<c>.+); missing (?P<x>.+)\)",
        lambda m: (
            f"Se esperaba {systems(m['o'])}, en ese orden (consultó: {systems(m['c'])}; faltó: {systems(m['x'])})."
        ),
    ),
    (r"consulted (?P<o>.+) in order", lambda m: f"Consultó {systems(m['o'])}, en ese orden."),
    (r"no typification expected", lambda m: "El escenario no espera tipificación: no aplica."),
    (
        r"typified (?P<c>\S+), expected (?P<e>\S+)",
        lambda m: f"{'No tipificó' if m['c'] == 'nothing' else 'Tipificó ' + m['c']}; se esperaba {m['e']}.",
    ),
    (r"no case expected", lambda m: "El escenario no espera un caso: no aplica."),
    (
        r"(?P<n>\d+) PQR filed(?: \(CUN (?P<cun>[^)]*)\))?; (?P<needed>one with its CUN|none) needed",
        _pqr,
    ),
    (r"no outcome expected", lambda m: "El escenario no fija cómo cerrar: no aplica."),
    (
        r"closed as (?P<o>\S+) as expected",
        lambda m: f"Cerrado {OUTCOMES.get(m['o'], m['o'])}, como se esperaba.",
    ),
    (r"closing script and survey", lambda m: "Guion de cierre y encuesta enviados."),
    (r"closing script and survey missing", lambda m: "Falta el guion de cierre o la encuesta."),
    (r"not marked yet", lambda m: "Aún sin marcar."),
]
OUTCOME_PROBLEM = re.compile(r"(outcome|follow-up|callback) .+")


def note(text: str | None, kind: str = "automatic") -> str:
    """The scorer's note in Spanish; a manual item's note is the trainer's own comment (already Spanish)."""
    if not text:
        return ""
    for pattern, spanish in NOTES:
        found = re.fullmatch(pattern, text)
        if found:
            return spanish(found)
    if kind == "automatic" and all(OUTCOME_PROBLEM.fullmatch(p) for p in text.split("; ")):
        told = "; ".join(_outcome_problem(p) for p in text.split("; "))
        return told[0].upper() + told[1:] + "."
    return text if kind == "manual" else f"Detalle: {text}"


def known(text: str) -> bool:
    """Whether the note has its Spanish here (the drift test)."""
    return not note(text).startswith("Detalle: ")


def mark(value: int | None, pending: bool = False) -> str:
    return "Pendiente" if pending else MARKS[value]


def action(text: str | None) -> str:
    """'GET /accounts/******15/modem-check' -> 'consulta GET /accounts/******15/modem-check'."""
    if not text:
        return ""
    method = text.split(" ", 1)[0]
    verb = "consulta" if method == "GET" else "escritura"
    return f"{verb} {text}"


def evidence(e: dict) -> str:
    """One piece of evidence, as a line a trainer reads (its time is shown beside it)."""
    if e.get("type") == "message":
        return f"{AUTHORS.get(e.get('author', ''), e.get('author'))}: «{e.get('text') or '(plantilla)'}»"
    if e.get("type") == "timeline" and e.get("kind") == "step":
        return f"Paso del caso: {STEPS.get(e['action'], e['action'])}"
    return f"{system(e.get('system'))}: {action(e.get('action'))}"


def event(e: dict, titles: dict[str, str]) -> dict:
    """A replay event as {label, text, kind}: who or what, and what happened, in Spanish."""
    kind = e["kind"]
    if kind == "message":
        return {"kind": kind, "label": AUTHORS.get(e["author"], e["author"]), "text": e.get("text") or "(plantilla)"}
    if kind == "rubric":
        title = titles.get(e["item"], e["item"])
        return {"kind": kind, "label": f"Rúbrica · {mark(e['mark'])}", "text": f"{title}: {note(e.get('note'))}"}
    if kind == "step":
        outcome = e.get("outcome")
        shown = OUTCOMES.get(outcome, outcome) if e["action"] == "closed with the customer" else outcome
        text = STEPS.get(e["action"], e["action"]) + (f" ({shown})" if shown else "")
        return {"kind": kind, "label": "Caso", "text": text}
    outcome = f" → respuesta {e['outcome']}" if e.get("outcome") else ""
    return {"kind": "call", "label": system(e.get("system")), "text": f"{action(e.get('action'))}{outcome}"}
