"""Práctica: a trainer starts a scenario's scripted customer in a sandbox from the console (issue 15), without a
terminal. It is `POST /admin/scenarios/{name} {"reset": true, "practice": true}` made with the signed-in token, so
only what the gateway lets that token do happens: a trainee's token gets the gateway's 403, told on the page. The
page then shows `GET /admin/practice` for that sandbox: what the customer said and will say."""

from __future__ import annotations

from flask import Blueprint, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue

from claro_backoffice.console.auth import SANDBOX
from claro_backoffice.console.client import ApiError
from claro_backoffice.console.web import gateway, session, signed_in

blueprint = Blueprint("practice", __name__)
STATES = {"pending": "pendiente", "sending": "enviando", "said": "dicha", "dropped": "descartada"}


def _refusal(exc: ApiError) -> str:
    if exc.status == 403:
        return f"Tu token no puede iniciar prácticas (solo un administrador o formador): {exc.detail}"
    if exc.status == 404:
        return f"No fue posible: {exc.detail}. Si el sandbox no existe, pide que lo creen."
    return f"El gateway no lo permitió ({exc.status}): {exc.detail}"


def _page(sandbox: str, errors: list[str], status: int = 200, chosen: str = "") -> ResponseReturnValue:
    scenarios: list[dict] = []
    state = None
    try:
        scenarios = [s for s in gateway(sandbox=sandbox).get("/admin/scenarios")["scenarios"] if s["practice"]]
        state = gateway(sandbox=sandbox).get("/admin/practice")
    except ApiError as exc:
        errors = errors or [_refusal(exc)]
    notice = session().take_notice()
    return render_template(
        "practice.html",
        sandbox=sandbox,
        scenarios=scenarios,
        chosen=chosen,
        state=state,
        states=STATES,
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
    phone = loaded["customer"]["phone"]["national"]
    session().notice = (
        f"Práctica «{name}» iniciada en el sandbox {sandbox}: el cliente ({phone}) ya escribió. "
        "El aprendiz ingresa a ese sandbox y la toma de la cola."
    )
    return redirect(url_for("practice.show", sandbox=sandbox), 303)
