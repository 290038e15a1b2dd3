"""Formación: a trainer's training sessions (issue 16), through /api/v1/training with the signed-in trainer's token.
The sessions of every class; planning one (class, trainees, scenarios from the catalogue, time limit), after which
the trainees' access cards are shown once, as the gateway shows their tokens once (they are kept nowhere: neither
in the console's session nor in a page that can be loaded again); a session's attempts with start and finish; and
an attempt's live view (its chat, case and timeline, refreshed by polling as the queue is); a lost card reissued
(once confirmed, the new one shown once, the old one revoked). A formador or an admin
not pinned to a sandbox (`Session.trains`) sees these screens; anyone else a 403 page."""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from typing import Any, TypeVar, cast

from flask import Blueprint, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue

from claro_backoffice.console import formatting
from claro_backoffice.console.case_view import STATUS as CASE_STATUS
from claro_backoffice.console.case_view import STEP_WORDS
from claro_backoffice.console.chat import AUTHORS
from claro_backoffice.console.client import ApiError
from claro_backoffice.console.training_form import parse, refusal
from claro_backoffice.console.web import gateway, session, settings
from claro_backoffice.console.wording import explain

blueprint = Blueprint("training", __name__)
F = TypeVar("F", bound=Callable[..., Any])
STATES = {"planned": "planificada", "running": "en curso", "finished": "terminada"}
ATTEMPT_STATES = {"planned": "planificado", "running": "en curso", "finished": "terminado"}
SESSION_ID = re.compile(r"^TRS-[0-9]{6}$")
ATTEMPT_ID = re.compile(r"^TRA-[0-9]{6}$")
LIVE_POLL_MS = 3000  # each read gathers the attempt's chat, case and the systems' journals: not every second
SPANISH = {
    "session-state": "la sesión no está en el estado que esta acción necesita (solo una planificada se inicia; una "
    "terminada no se termina otra vez).",
    "session-not-found": "esa sesión no existe.",
    "attempt-not-found": "ese intento no es de esta sesión.",
    "sandbox-reused": "el sandbox de ese intento ya es de una sesión más reciente de la clase: una tarjeta nueva "
    "entraría en ella.",
}


def trainers_only(view: F) -> F:
    @functools.wraps(view)
    def guarded(*args: Any, **kwargs: Any) -> Any:
        if not session().signed_in:
            return redirect(url_for("auth.sign_in"))
        if not session().trains:
            message = (
                "Esta pantalla es de formación: solo la ven los formadores (y los administradores). "
                "Ingresaste como asesor o líder."
            )
            return render_template("error.html", message=message), 403
        return view(*args, **kwargs)

    return cast(F, guarded)


def _say(action: str, exc: ApiError) -> str:
    reason = SPANISH.get(exc.kind)
    return f"{action}: {reason} (detalle: {exc.detail})" if reason else explain(action, exc)


def catalogue() -> tuple[dict[str, dict], str | None]:
    """The scenarios a session can use, by name (the repository's and trainers' for every sandbox; a sandbox's own
    are not a class's), with the error in Spanish when the catalogue can't be read."""
    try:
        listed = gateway(sandbox="default").get("/admin/scenarios")["scenarios"]
    except ApiError as exc:
        return {}, explain("No fue posible leer el catálogo de escenarios", exc)
    return {s["name"]: s for s in listed if s["source"] != "sandbox"}, None


def _titles() -> dict[str, str]:
    return {name: s["title"] for name, s in catalogue()[0].items()}


# ---- the sessions --------------------------------------------------------------------------------------------------
@blueprint.get("/formacion/")
@trainers_only
def sessions() -> ResponseReturnValue:
    klass = request.args.get("clase", "").strip().lower()
    state = request.args.get("estado", "").strip()
    error, listed, status = None, [], 200
    if state and state not in STATES:
        error, state, status = "Elige un estado de la lista.", "", 422
    if klass and not re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", klass):
        error, klass, status = (
            "La clase lleva letras minúsculas, números y guiones sueltos (por ejemplo: aula-1).",
            "",
            422,
        )
    try:
        listed = gateway().get("/training/sessions", **{"class": klass or None, "state": state or None})["sessions"]
    except ApiError as exc:
        error, status = _say("No fue posible leer las sesiones", exc), exc.status if exc.status < 500 else 502
    listed.reverse()  # the newest first: the one a trainer is running
    return render_template(
        "training_sessions.html",
        sessions=listed,
        titles=_titles(),
        states=STATES,
        chosen={"clase": klass, "estado": state},
        error=error,
        notice=session().take_notice(),
    ), status


def _form(values: dict, errors: dict[str, str], status: int = 200) -> ResponseReturnValue:
    scenarios, error = catalogue()
    return render_template(
        "training_new.html", scenarios=scenarios.values(), values=values, errors=errors, catalogue_error=error
    ), status


@blueprint.get("/formacion/sesiones/nueva")
@trainers_only
def new() -> ResponseReturnValue:
    return _form({"class": session().klass or "", "minutes": "30", "scenarios": []}, {})


def _another_class(klass: str) -> str | None:
    """Why a session of `klass` can't be created from this console session, in Spanish (None: it can). A class's
    sessions and sandboxes live on the class's replica, where the formador signed in for it; refused rather than
    handed over, because a handoff here would move the formador's whole console to another class unasked (their
    open screens of this class included): signing in for the other class is one clear step, and the top bar then
    says which class the console is for."""
    signed = session().klass
    if signed and klass != signed:
        return (
            f"Ingresaste para la clase «{signed}» y esta sesión es de «{klass}». Para crearla, cierra sesión e "
            f"ingresa indicando la clase «{klass}»: sus sesiones y sandboxes viven en el servidor de esa clase."
        )
    if not signed and settings().peers:
        return (
            "Esta consola tiene varios servidores y cada clase vive en el suyo: cierra sesión e ingresa como "
            f"formador indicando la clase «{klass}» para crear sus sesiones."
        )
    return None


@blueprint.post("/formacion/sesiones/nueva")
@trainers_only
def create() -> ResponseReturnValue:
    values, body, errors = parse(request.form)
    if errors:
        return _form(values, errors, 422)
    elsewhere = _another_class(body["class"])
    if elsewhere:
        return _form(values, {"class": elsewhere}, 422)
    try:
        created = gateway().post("/training/sessions", body)
    except ApiError as exc:
        return _form(values, refusal(exc), exc.status if exc.status < 500 else 502)
    return render_template(
        "training_created.html",
        s=created,
        titles=_titles(),
        sign_in_url=url_for("auth.sign_in", _external=True),
    ), 201


# ---- one session ---------------------------------------------------------------------------------------------------
def _grid(s: dict) -> list[dict]:
    """Trainees × scenarios: each row a trainee, each cell the attempt of that scenario."""
    return [
        {
            "trainee": trainee,
            "cells": [
                next((a for a in s["attempts"] if a["trainee"] == trainee and a["scenario"] == name), None)
                for name in s["scenarios"]
            ],
        }
        for trainee in s["trainees"]
    ]


def _session_view(session_id: str, template: str, error: str | None = None, status: int = 200) -> ResponseReturnValue:
    if not SESSION_ID.match(session_id):
        return render_template("error.html", message="Esta página no existe."), 404
    try:
        s = gateway().get(f"/training/sessions/{session_id}")
    except ApiError as exc:
        if exc.status == 404:
            return render_template("error.html", message=f"La sesión {session_id} no existe."), 404
        return render_template("error.html", message=_say("No fue posible leer la sesión", exc)), 502
    return render_template(
        template,
        s=s,
        grid=_grid(s),
        titles=_titles(),
        states=STATES,
        attempt_states=ATTEMPT_STATES,
        error=error,
        notice=session().take_notice(),
    ), status


@blueprint.get("/formacion/sesiones/<session_id>")
@trainers_only
def show(session_id: str) -> ResponseReturnValue:
    return _session_view(session_id, "training_session.html")


@blueprint.get("/formacion/sesiones/<session_id>/intentos")
@trainers_only
def attempts(session_id: str) -> ResponseReturnValue:
    """The attempts' table alone, for the session page's polling while it runs."""
    return _session_view(session_id, "_training_attempts.html")


def _act(session_id: str, action: str, verb: str, done: str) -> ResponseReturnValue:
    if not SESSION_ID.match(session_id):
        return render_template("error.html", message="Esta página no existe."), 404
    if request.form.get("confirm") != "si":
        message = f"Confirma que quieres {verb} la sesión con el botón «Sí, {verb}»."
        return _session_view(session_id, "training_session.html", message, 422)
    try:
        gateway().post(f"/training/sessions/{session_id}/{action}", {})
    except ApiError as exc:
        status = exc.status if exc.status < 500 else 502
        return _session_view(session_id, "training_session.html", _say(f"No fue posible {verb} la sesión", exc), status)
    session().notice = f"Sesión {session_id} {done}."
    return redirect(url_for("training.show", session_id=session_id), 303)


@blueprint.post("/formacion/sesiones/<session_id>/iniciar")
@trainers_only
def start(session_id: str) -> ResponseReturnValue:
    return _act(session_id, "start", "iniciar", "iniciada: el cliente de cada escenario ya escribe")


@blueprint.post("/formacion/sesiones/<session_id>/terminar")
@trainers_only
def finish(session_id: str) -> ResponseReturnValue:
    return _act(session_id, "finish", "terminar", "terminada: cada intento quedó calificado con su evidencia")


@blueprint.post("/formacion/sesiones/<session_id>/intentos/<attempt_id>/tarjeta")
@trainers_only
def reissue(session_id: str, attempt_id: str) -> ResponseReturnValue:
    """A lost access card: once confirmed, the attempt's new token on a card of its own, shown once (201); the old
    token is revoked by the gateway."""
    if not SESSION_ID.match(session_id) or not ATTEMPT_ID.match(attempt_id):
        return render_template("error.html", message="Esta página no existe."), 404
    if request.form.get("confirm") != "si":
        message = "Confirma que quieres reemitir la tarjeta con el botón «Sí, reemitir»."
        return _session_view(session_id, "training_session.html", message, 422)
    try:
        card = gateway().post(f"/training/sessions/{session_id}/attempts/{attempt_id}/token", {})
    except ApiError as exc:
        status = exc.status if exc.status < 500 else 502
        error = _say(f"No fue posible reemitir la tarjeta del intento {attempt_id}", exc)
        return _session_view(session_id, "training_session.html", error, status)
    return render_template(
        "training_card.html",
        a=card,
        session_id=session_id,
        titles=_titles(),
        sign_in_url=url_for("auth.sign_in", _external=True),
    ), 201


# ---- the live view -------------------------------------------------------------------------------------------------
def _live(session_id: str, attempt_id: str) -> tuple[dict | None, str | None, int]:
    if not SESSION_ID.match(session_id) or not ATTEMPT_ID.match(attempt_id):
        return None, "Esta página no existe.", 404
    try:
        return gateway().get(f"/training/sessions/{session_id}/attempts/{attempt_id}/live"), None, 200
    except ApiError as exc:
        status = exc.status if exc.status in (403, 404) else 502
        return None, _say(f"No fue posible leer el intento {attempt_id}", exc), status


def _step(entry: dict) -> dict:
    """A timeline entry (a call to a system, or a step of the case) as the trainer reads it."""
    if entry["kind"] == "call":
        what = f"Consulta a {str(entry.get('system') or '').upper()}: {entry['action']}"
        return {"at": entry["at"], "what": what, "result": f"respuesta {entry.get('outcome') or ''}".strip()}
    outcome = entry.get("outcome") or ""
    return {
        "at": entry["at"],
        "what": STEP_WORDS.get(entry["action"], entry["action"]),
        "result": CASE_STATUS.get(outcome, outcome),
    }


def _second(at: str | None) -> str:
    """The virtual clock to the second (a trainee's replies come seconds apart): '09:00:20', Bogotá."""
    found = formatting.moment(at)
    return found.strftime("%H:%M:%S") if found else ""


def live_parts(live: dict) -> dict:
    replay = live.get("replay") or []
    return {
        "messages": [e | {"time": _second(e["at"])} for e in replay if e["kind"] == "message"],
        "steps": [_step(e) | {"time": _second(e["at"])} for e in replay if e["kind"] in ("call", "step")],
    }


@blueprint.get("/formacion/sesiones/<session_id>/en-vivo/<attempt_id>")
@trainers_only
def live(session_id: str, attempt_id: str) -> ResponseReturnValue:
    found, error, status = _live(session_id, attempt_id)
    if found is None:
        return render_template("error.html", message=error), status
    return render_template(
        "training_live.html",
        a=found,
        session_id=session_id,
        titles=_titles(),
        poll_ms=LIVE_POLL_MS,
        **_live_context(found),
    )


@blueprint.get("/formacion/sesiones/<session_id>/en-vivo/<attempt_id>/parcial")
@trainers_only
def live_part(session_id: str, attempt_id: str) -> ResponseReturnValue:
    """The live view's body alone, for its polling."""
    found, error, status = _live(session_id, attempt_id)
    if found is None:
        return render_template("_poll_error.html", message=error), status
    return render_template("_training_live.html", a=found, session_id=session_id, **_live_context(found))


def _live_context(found: dict) -> dict:
    return live_parts(found) | {
        "authors": AUTHORS,
        "attempt_states": ATTEMPT_STATES,
        "case_status": CASE_STATUS,
    }
