"""The session form's rules, checked before asking the gateway (in Spanish, next to each field), and the gateway's
refusals placed next to the field they are about. The names follow the gateway's (TrainingName: lowercase letters,
digits and single '-', at most 30; each attempt's sandbox `<class>--<trainee>-<n>` fits in 40 characters)."""

from __future__ import annotations

import re
from typing import Any

from werkzeug.datastructures import MultiDict

from claro_backoffice.console.client import ApiError

NAME = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
NAME_MAX, SANDBOX_MAX = 30, 40
TRAINEES_MAX, SCENARIOS_MAX = 30, 10
MINUTES_MIN, MINUTES_MAX = 1, 480
NAME_RULE = "letras minúsculas sin tildes, números y guiones sueltos (por ejemplo: aula-1)"


def trainee_names(text: str) -> list[str]:
    """One a line or separated by commas; blanks ignored."""
    return [t.strip().lower() for t in re.split(r"[,\n]", text) if t.strip()]


def parse(form: MultiDict) -> tuple[dict, dict[str, Any], dict[str, str]]:
    """(what was typed, for the form again; the gateway's body; errors by field)."""
    klass = form.get("class", "").strip().lower()
    trainees_text = form.get("trainees", "")
    trainees = trainee_names(trainees_text)
    chosen = form.getlist("scenarios")
    minutes_text = form.get("minutes", "").strip()
    values = {"class": klass, "trainees": trainees_text, "scenarios": chosen, "minutes": minutes_text}
    errors: dict[str, str] = {}
    if not klass:
        errors["class"] = "Escribe el nombre de la clase."
    elif not NAME.match(klass) or len(klass) > NAME_MAX:
        errors["class"] = f"El nombre de la clase lleva hasta {NAME_MAX} {NAME_RULE}."
    wrong = [t for t in trainees if not NAME.match(t) or len(t) > NAME_MAX]
    repeated = sorted({t for t in trainees if trainees.count(t) > 1})
    if not trainees:
        errors["trainees"] = "Escribe al menos un aprendiz (uno por línea o separados por comas)."
    elif wrong:
        errors["trainees"] = (
            f"Estos nombres no sirven: {', '.join(wrong)}. Cada uno lleva hasta {NAME_MAX} {NAME_RULE}."
        )
    elif repeated:
        errors["trainees"] = f"Aprendices repetidos: {', '.join(repeated)}."
    elif len(trainees) > TRAINEES_MAX:
        errors["trainees"] = f"Una sesión lleva como máximo {TRAINEES_MAX} aprendices ({len(trainees)} escritos)."
    if not chosen:
        errors["scenarios"] = "Elige al menos un escenario."
    elif len(chosen) > SCENARIOS_MAX:
        errors["scenarios"] = f"Una sesión lleva como máximo {SCENARIOS_MAX} escenarios ({len(chosen)} elegidos)."
    if "class" not in errors and "trainees" not in errors and chosen:
        longest = max(trainees, key=len)
        sandbox = f"{klass}--{longest}-{len(chosen)}"
        if len(sandbox) > SANDBOX_MAX:
            errors["trainees"] = (
                f"El sandbox de cada intento se llama clase--aprendiz-número y cabe en {SANDBOX_MAX} caracteres: "
                f"«{sandbox}» tiene {len(sandbox)}. Acorta el nombre de la clase o del aprendiz."
            )
    minutes = 0
    if not minutes_text.isdigit() or not MINUTES_MIN <= int(minutes_text) <= MINUTES_MAX:
        errors["minutes"] = f"El tiempo límite es un número entero de {MINUTES_MIN} a {MINUTES_MAX} minutos virtuales."
    else:
        minutes = int(minutes_text)
    body = {"class": klass, "trainees": trainees, "scenarios": chosen, "timeLimitMinutes": minutes}
    return values, body, errors


def refusal(exc: ApiError) -> dict[str, str]:
    """The gateway's 409 or 422, in Spanish, on the field it is about (its detail follows, for support)."""
    detail = f"(detalle: {exc.detail})"
    if exc.kind == "class-busy":
        return {
            "class": "Esta clase tiene una sesión sin terminar: sus sandboxes están en uso. Termina esa sesión o usa "
            f"otro nombre de clase {detail}."
        }
    if exc.kind == "unknown-scenario":
        return {"scenarios": f"El gateway no conoce alguno de los escenarios elegidos {detail}."}
    if exc.kind == "bad-name" or "class '" in exc.detail:
        field = "class" if exc.detail.startswith("class") else "trainees"
        return {field: f"El nombre no sirve: lleva {NAME_RULE} {detail}."}
    if exc.detail.startswith("trainees"):
        return {"trainees": f"Hay aprendices repetidos {detail}."}
    if exc.detail.startswith("scenarios"):
        return {"scenarios": f"Hay escenarios repetidos {detail}."}
    if "sandbox name" in exc.detail:
        return {"trainees": f"Los nombres son muy largos para el sandbox de cada intento {detail}."}
    if exc.status == 403:
        return {"form": f"Tu token no puede crear sesiones de formación {detail}."}
    if exc.status >= 500:
        return {"form": f"Un sistema no respondió al preparar los sandboxes; inténtalo de nuevo {detail}."}
    return {"form": f"El gateway no aceptó la sesión ({exc.status}) {detail}."}
