"""The supervision screens (supervisor, coordinador, gerente): the adjustment requests waiting for a leader's decision
(above the amount RR and AC approve by themselves), approving or rejecting them with a reason as the signed-in
leader, and the follow-ups whose callback is overdue or due today. An asesor gets a 403 page.
The queue is `GET /adjustments?status=pending` (RR's and AC's, every account's: also a request made in a system
directly, which has no case)."""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable
from typing import Any, TypeVar, cast

from flask import Blueprint, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue

from claro_backoffice.console import formatting
from claro_backoffice.console.client import ApiError
from claro_backoffice.console.web import gateway, session
from claro_backoffice.console.wording import explain
from claro_backoffice.core.timezone import BOGOTA

blueprint = Blueprint("supervisor", __name__)
F = TypeVar("F", bound=Callable[..., Any])
PAGE = 500
REASON_MIN, REASON_MAX = 5, 500  # the gateway's AdjustmentRejection.reason


def leaders_only(view: F) -> F:
    @functools.wraps(view)
    def guarded(*args: Any, **kwargs: Any) -> Any:
        if not session().signed_in:
            return redirect(url_for("auth.sign_in"))
        if not session().leads:
            message = (
                "Esta pantalla es de supervisión: solo la ven supervisores, coordinadores y gerentes. "
                "Ingresaste como asesor."
            )
            return render_template("error.html", message=message), 403
        return view(*args, **kwargs)

    return cast(F, guarded)


@blueprint.get("/supervisor")
@leaders_only
def show() -> ResponseReturnValue:
    return redirect(url_for("supervisor.adjustments"))


def _all_cases(**filters: Any) -> list[dict]:
    found: list[dict] = []
    while True:
        page = gateway().get("/cases", limit=PAGE, offset=len(found), **filters)
        found += page["cases"]
        if not page["cases"] or len(found) >= page["total"]:
            return found


def _adjustments_page(error: str | None = None, status: int = 200, values: dict | None = None) -> ResponseReturnValue:
    try:
        every = gateway().get("/adjustments")["adjustments"]
    except ApiError as exc:
        every, error = [], explain("No fue posible leer los ajustes", exc)
    pending = [a for a in every if a["status"] == "pending"]
    decided = sorted((a for a in every if a["status"] != "pending"), key=lambda a: a.get("decidedAt") or "")[::-1]
    return render_template(
        "supervisor_adjustments.html",
        pending=pending,
        decided=decided[:20],
        error=error,
        notice=session().take_notice(),
        values=values or {},
    ), status


@blueprint.get("/supervisor/adjustments")
@leaders_only
def adjustments() -> ResponseReturnValue:
    return _adjustments_page()


@blueprint.post("/supervisor/adjustments/<adjustment_id>/decide")
@leaders_only
def decide(adjustment_id: str) -> ResponseReturnValue:
    decision = request.form.get("decision")
    reason = request.form.get("reason", "").strip()
    if decision not in ("approve", "reject"):
        return _adjustments_page("Elige «Aprobar» o «Rechazar».", 422)
    if decision == "reject" and not REASON_MIN <= len(reason) <= REASON_MAX:
        message = (
            f"Para rechazar el ajuste {adjustment_id} escribe el motivo "
            f"(de {REASON_MIN} a {REASON_MAX} caracteres): el asesor y el cliente lo verán."
        )
        return _adjustments_page(message, 422, {adjustment_id: reason})
    if len(reason) > REASON_MAX:
        return _adjustments_page(f"La nota lleva como máximo {REASON_MAX} caracteres.", 422, {adjustment_id: reason})
    body: dict[str, Any] = {"supervisor": session().advisor}
    if decision == "reject":
        body["reason"] = reason
    elif reason:
        body["notes"] = reason
    try:
        decided = gateway().post(f"/adjustments/{adjustment_id}/{decision}", body)
    except ApiError as exc:
        verb = "aprobar" if decision == "approve" else "rechazar"
        status = exc.status if exc.status < 500 else 502
        return _adjustments_page(explain(f"No fue posible {verb} el ajuste {adjustment_id}", exc), status)
    word = "aprobado" if decided["status"] == "approved" else "rechazado"
    session().notice = f"Ajuste {adjustment_id} {word} ({formatting.money(decided['amount'])})."
    return redirect(url_for("supervisor.adjustments"), 303)


def sandbox_now() -> dt.datetime:
    """The sandbox's clock (the conversations' `asOf`), in Bogotá."""
    as_of = gateway().get("/conversations", limit=1)["asOf"]
    moment = formatting.moment(as_of)
    assert moment
    return moment


@blueprint.get("/supervisor/followups")
@leaders_only
def followups() -> ResponseReturnValue:
    error, overdue, today, now = None, [], [], None
    try:
        now = sandbox_now()
        tomorrow = dt.datetime.combine(now.date() + dt.timedelta(days=1), dt.time(), tzinfo=BOGOTA)
        overdue = _all_cases(status="followUp", overdue="true")
        today = _all_cases(status="followUp", overdue="false", callbackBefore=tomorrow.isoformat())
    except ApiError as exc:
        error = explain("No fue posible leer los seguimientos", exc)
    for case in overdue:
        case["late"] = formatting.seconds_between(case.get("callbackAt"), now.isoformat() if now else None)
    overdue.sort(key=lambda c: c.get("callbackAt") or "")
    today.sort(key=lambda c: c.get("callbackAt") or "")
    return render_template(
        "supervisor_followups.html", overdue=overdue, today=today, now=now.isoformat() if now else None, error=error
    )
