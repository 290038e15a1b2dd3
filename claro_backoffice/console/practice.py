"""Práctica: a trainer starts a scenario's scripted customer in a sandbox from the console (issue 15), without a
terminal. It is `POST /admin/scenarios/{name} {"reset": true, "practice": true}` made with the signed-in token, so
only what the gateway lets that token do happens: a trainee's token gets the gateway's 403, told on the page. The
page then shows `GET /admin/practice` for that sandbox: what the customer said and will say. "Terminar práctica"
(`DELETE /admin/practice`, after a confirmation box is ticked) stops the scripted customer: its pending lines are
dropped, the chat stays as it is."""

from __future__ import annotations

from flask import Blueprint, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue

from claro_backoffice.console import formatting
from claro_backoffice.console.auth import SANDBOX
from claro_backoffice.console.client import ApiError
from claro_backoffice.console.web import gateway, session, signed_in
from claro_backoffice.console.wording import explain

blueprint = Blueprint("practice", __name__)
STATES = {"pending": "pendiente", "sending": "enviando", "said": "dicha", "dropped": "descartada"}
QUOTED = 60  # characters of the message a line answers
SAID_BY = {"advisor": "El asesor escribió", "bot": "El bot escribió"}
DID = {  # a rule's `did` (gateway/practice/rules.py), as the trainer reads it
    "call": "Consulta a",
    "caseOpened": "Caso abierto",
    "typification": "Tipificación",
    "close": "Cierre del caso",
    "callback": "Devolución de llamada",
    "adjustment": "Ajuste solicitado",
    "escalation": "Escalamiento",
}


def why(line: dict) -> str:
    """What a line answers, in Spanish: 'El asesor escribió: «…»', 'Consulta a DIAGNOSTICADOR', 'Primer mensaje'."""
    if line["rule"] == "opening":
        return "Primer mensaje del cliente"
    answering = line.get("answering") or ""
    who, _, text = answering.partition(": ")
    if who in SAID_BY:  # the start of it: the whole message is in the chat
        return f"{SAID_BY[who]}: «{text if len(text) <= QUOTED else text[: QUOTED - 1].rstrip() + '…'}»"
    did, _, system = who.partition(" ")
    if did == "call":
        return f"{DID['call']} {system.upper()}"
    told = DID.get(did, did)
    return f"{told}: {text}" if told and text else told or "—"


def _refusal(exc: ApiError) -> str:
    if exc.status == 403 and exc.kind == "forbidden-role":
        return "Tu acceso no puede manejar prácticas: solo un administrador puede iniciarlas o terminarlas."
    return explain("El gateway no lo permitió", exc)


def _page(sandbox: str, errors: list[str], status: int = 200, chosen: str = "") -> ResponseReturnValue:
    scenarios: list[dict] = []
    state = None
    try:
        scenarios = [s for s in gateway(sandbox=sandbox).get("/admin/scenarios")["scenarios"] if s["practice"]]
        state = gateway(sandbox=sandbox).get("/admin/practice")
    except ApiError as exc:
        errors = errors or [_refusal(exc)]
    notice = session().take_notice()
    chosen = chosen or (state or {}).get("scenario") or ""  # the running one, once started
    return render_template(
        "practice.html",
        sandbox=sandbox,
        scenarios=scenarios,
        chosen=chosen,
        state=state,
        states=STATES,
        why=why,
        errors=errors,
        notice=notice,
    ), status


@blueprint.get("/practice")
@signed_in
def show() -> ResponseReturnValue:
    sandbox = request.args.get("sandbox", "").strip() or session().sandbox or "default"
    if not SANDBOX.match(sandbox):
        return _page(
            session().sandbox or "default", ["El sandbox lleva de 1 a 40 letras minúsculas, números o guiones."], 422
        )
    return _page(sandbox, [])


@blueprint.post("/practice")
@signed_in
def start() -> ResponseReturnValue:
    sandbox = request.form.get("sandbox", "").strip()
    name = request.form.get("scenario", "").strip()
    errors = []
    if not SANDBOX.match(sandbox):
        errors.append("El sandbox lleva de 1 a 40 letras minúsculas, números o guiones.")
    if not name:
        errors.append("Elige un escenario.")
    if errors:
        return _page(session().sandbox or "default", errors, 422, name)
    try:
        loaded = gateway(sandbox=sandbox).post(f"/admin/scenarios/{name}", {"reset": True, "practice": True})
    except ApiError as exc:
        return _page(sandbox, [_refusal(exc)], 422 if exc.status < 500 else 502, name)
    phone = formatting.phone(loaded["customer"]["phone"]["national"])  # +57 301 251 7194
    session().notice = (
        f"Práctica «{name}» iniciada en el sandbox {sandbox}: el cliente ({phone}) ya escribió. "
        "El aprendiz ingresa a ese sandbox y la toma de la cola."
    )
    return redirect(url_for("practice.show", sandbox=sandbox), 303)


@blueprint.post("/practice/end")
@signed_in
def end() -> ResponseReturnValue:
    sandbox = request.form.get("sandbox", "").strip()
    if not SANDBOX.match(sandbox):
        return _page(
            session().sandbox or "default", ["El sandbox lleva de 1 a 40 letras minúsculas, números o guiones."], 422
        )
    if request.form.get("confirm") != "yes":
        return _page(sandbox, ["Marca la casilla para confirmar que quieres terminar la práctica."], 422)
    try:
        before = gateway(sandbox=sandbox).get("/admin/practice")
        gateway(sandbox=sandbox).send("DELETE", "/admin/practice")
    except ApiError as exc:
        return _page(sandbox, [_refusal(exc)], 422 if exc.status < 500 else 502)
    if not before["active"]:
        session().notice = f"No había una práctica en curso en el sandbox {sandbox}."
    else:
        said = sum(1 for line in before["lines"] if line["state"] == "said")
        dropped = sum(1 for line in before["lines"] if line["state"] in ("pending", "sending"))
        session().notice = (
            f"Práctica «{before['scenario']}» terminada en el sandbox {sandbox}: el cliente simulado ya no responde "
            f"(dijo {said} {'mensaje' if said == 1 else 'mensajes'}; {dropped} pendientes no se enviarán). "
            "La conversación queda como estaba."
        )
    return redirect(url_for("practice.show", sandbox=sandbox), 303)
