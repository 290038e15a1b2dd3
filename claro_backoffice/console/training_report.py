"""A trainee's report of a training session (`/formacion/sesiones/<session>/informe/<trainee>`): per attempt the
score and whether it passed (the rubric's threshold, and any fatal item, said plainly), each rubric item with its
weight, flags, mark, note and evidence, the disputes, and the replay (chat, calls, case steps and rubric hits on one
virtual time axis). Printable (training.css's print rules).

Who sees what is the gateway's call, not the console's: the page asks `GET /me` for the token's role. A trainer
(formador, admin) reads every attempt, marks the manual items and answers disputes; a trainee, signed in with the
token the session gave them, reads the attempt of that token's sandbox and disputes a mark. Every refusal is the
gateway's, told in Spanish."""

from __future__ import annotations

import re

from flask import Blueprint, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue

from claro_backoffice.console import formatting
from claro_backoffice.console import training_wording as words
from claro_backoffice.console.client import ApiError
from claro_backoffice.console.web import gateway, session, signed_in

blueprint = Blueprint("training_report", __name__)
SESSION = re.compile(r"^TRS-[0-9]{6}$")
ATTEMPT = re.compile(r"^TRA-[0-9]{6}$")
NAME = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
ITEM = re.compile(r"^[a-z0-9-]{1,40}$")
TEXT_MAX = 2000  # the gateway's limit on comments, disputes and answers
TRAINERS = ("formador", "admin")
STATES = {"planned": "planeado", "running": "en curso", "finished": "terminado"}


@blueprint.app_template_filter("clock_seconds")
def clock_seconds(value: str | None) -> str:
    """'2026-11-04T14:00:20Z' -> '09:00:20' (Bogotá): the replay's steps are seconds apart."""
    found = formatting.moment(value)
    return found.strftime("%H:%M:%S") if found else ""


def explain(action: str, exc: ApiError) -> str:
    reason = words.TRAINING_SPANISH.get(exc.kind)
    if reason is None and exc.status >= 500:
        reason = "un sistema no respondió; inténtalo de nuevo en un momento."
    if reason is None:
        return f"{action} ({exc.status}): {exc.detail}"
    return f"{action}: {reason} (detalle: {exc.detail})"


def _status(exc: ApiError) -> int:
    return exc.status if 400 <= exc.status < 500 else 502


def _missing() -> ResponseReturnValue:
    return render_template("error.html", message="Esta página no existe."), 404


def _replay(attempt: dict) -> dict:
    """The replay as the page steps through it: each event in Spanish with its place on the axis (seconds after the
    first one); a rubric hit repeated for another piece of evidence at the same moment is shown once."""
    titles = {i["id"]: i["title"] for i in (attempt.get("result") or {}).get("items", [])}
    seen, events = set(), []
    for e in attempt.get("replay") or []:
        if e["kind"] == "rubric":
            key = (e["item"], e["at"])
            if key in seen:
                continue
            seen.add(key)
        events.append(e | words.event(e, titles))
    if not events:
        return {"events": [], "span": 0}
    start = formatting.moment(events[0]["at"])
    assert start
    for n, e in enumerate(events, start=1):
        moment = formatting.moment(e["at"])
        assert moment
        e["n"], e["offset"] = n, int((moment - start).total_seconds())
    return {"events": events, "span": max(events[-1]["offset"], 1), "start": events[0]["at"], "end": events[-1]["at"]}


def _verdict(result: dict) -> str:
    """Why the attempt passed or not, in one sentence."""
    score, threshold = words.percent(result["score"]), words.percent(result["passThreshold"])
    titles = {i["id"]: i["title"] for i in result["items"]}
    fatal = ", ".join(f"«{titles.get(i, i)}»" for i in result["fatalFailures"])
    reaches = result["score"] >= result["passThreshold"]
    if result["passed"]:
        return f"Aprobó: {score} alcanza el umbral de {threshold} y ningún ítem fatal falló."
    if fatal and reaches:
        return (
            f"No aprobó por un ítem fatal: {fatal}. El puntaje ({score}) alcanza el umbral de {threshold}, pero un "
            "ítem fatal hace perder el intento sea cual sea el total."
        )
    if fatal:
        return f"No aprobó: {score} no alcanza el umbral de {threshold}, y además falló el ítem fatal {fatal}."
    return f"No aprobó: {score} no alcanza el umbral de {threshold}."


def _shape(attempt: dict) -> dict:
    result = attempt.get("result")
    view = attempt | {"replay_view": _replay(attempt), "state_text": STATES.get(attempt["state"], attempt["state"])}
    if result:
        items = [
            i
            | {
                "mark_text": words.mark(i["mark"], bool(i.get("pending"))),
                "note_text": words.note(i["note"], i["kind"]),
                "evidence_view": [{"at": e["at"], "text": words.evidence(e)} for e in i["evidence"]],
            }
            for i in result["items"]
        ]
        titles = {i["id"]: i["title"] for i in items}
        view["result_view"] = result | {
            "items": items,
            "verdict": _verdict(result),
            "critical": [titles.get(i, i) for i in result["criticalFailures"]],
            "pending": [titles.get(i, i) for i in result["pendingManual"]],
        }
        view["titles"] = titles
    return view


def _page(sid: str, trainee: str, error: str | None = None, status: int = 200) -> ResponseReturnValue:
    if not (SESSION.match(sid) and NAME.match(trainee)):
        return _missing()
    try:
        me = gateway().whoami()
        report = gateway().get(f"/training/sessions/{sid}/trainees/{trainee}/report")
    except ApiError as exc:
        return render_template("error.html", message=explain("No fue posible leer el informe", exc)), _status(exc)
    attempts = [_shape(a) for a in report["attempts"]]
    klass = attempts[0]["sandbox"].split("--", 1)[0] if attempts else ""
    return render_template(
        "training_report.html",
        sid=sid,
        trainee=trainee,
        klass=klass,
        report=report,
        attempts=attempts,
        trainer=me.get("role") in TRAINERS,
        error=error,
        notice=session().take_notice(),
        spot=request.args.get("hecho", ""),
        percent=words.percent,
    ), status


@blueprint.get("/formacion/sesiones/<sid>/informe/<trainee>")
@signed_in
def show(sid: str, trainee: str) -> ResponseReturnValue:
    return _page(sid, trainee)


def _back(sid: str, trainee: str, spot: str) -> ResponseReturnValue:
    """Back to the report, at the row or the disputes that changed (`hecho`: where the notice is shown)."""
    return redirect(url_for("training_report.show", sid=sid, trainee=trainee, hecho=spot, _anchor=spot), 303)


def _text(field: str) -> str:
    return request.form.get(field, "").strip()


def _act(
    sid: str, trainee: str, aid: str, action: str, method: str, path: str, body: dict, done: str, spot: str
) -> ResponseReturnValue:
    if not (SESSION.match(sid) and NAME.match(trainee) and ATTEMPT.match(aid)):
        return _missing()
    try:
        gateway().send(method, f"/training/sessions/{sid}/attempts/{aid}{path}", body)
    except ApiError as exc:
        return _page(sid, trainee, explain(action, exc), _status(exc))
    session().notice = done
    return _back(sid, trainee, spot)


@blueprint.post("/formacion/sesiones/<sid>/informe/<trainee>/intentos/<aid>/marcas/<item>")
@signed_in
def mark(sid: str, trainee: str, aid: str, item: str) -> ResponseReturnValue:
    met, comment = request.form.get("met"), _text("comment")
    if not ITEM.match(item):
        return _missing()
    if met not in ("si", "no"):
        return _page(sid, trainee, "No se guardó la marca: elige «Cumple» o «No cumple».", 422)
    if len(comment) > TEXT_MAX:
        return _page(sid, trainee, f"No se guardó la marca: el comentario pasa de {TEXT_MAX} caracteres.", 422)
    body = {"met": met == "si", "comment": comment}
    said = "cumple" if met == "si" else "no cumple"
    done, spot = f"Marca guardada: {said}.", f"item-{aid}-{item}"
    return _act(sid, trainee, aid, "No se guardó la marca", "PUT", f"/marks/{item}", body, done, spot)


@blueprint.post("/formacion/sesiones/<sid>/informe/<trainee>/intentos/<aid>/disputas")
@signed_in
def dispute(sid: str, trainee: str, aid: str) -> ResponseReturnValue:
    item, text = _text("item"), _text("text")
    if not ITEM.match(item):
        return _page(sid, trainee, "No se envió la disputa: elige el ítem que disputas.", 422)
    if not text or len(text) > TEXT_MAX:
        return _page(sid, trainee, f"No se envió la disputa: escribe por qué (hasta {TEXT_MAX} caracteres).", 422)
    done = "Disputa enviada: tu formador la responderá en este informe."
    body = {"item": item, "text": text}
    return _act(sid, trainee, aid, "No se envió la disputa", "POST", "/disputes", body, done, f"disputas-{aid}")


@blueprint.post("/formacion/sesiones/<sid>/informe/<trainee>/intentos/<aid>/disputas/<int:number>/respuesta")
@signed_in
def answer(sid: str, trainee: str, aid: str, number: int) -> ResponseReturnValue:
    text = _text("text")
    if not 1 <= number <= 1000:  # the gateway's disputeId
        return _missing()
    if not text or len(text) > TEXT_MAX:
        return _page(sid, trainee, f"No se envió la respuesta: escríbela (hasta {TEXT_MAX} caracteres).", 422)
    path = f"/disputes/{number}/answer"
    body, spot = {"text": text}, f"disputas-{aid}"
    return _act(sid, trainee, aid, "No se envió la respuesta", "POST", path, body, "Respuesta enviada.", spot)
