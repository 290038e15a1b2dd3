"""The queue: the sandbox's queued conversations with how long each has waited against PUNTUALIDAD's 10 minutes
(the first advisor message, the welcome, must go out before 600 s), the advisor's own open chats, and taking one
(the gateway sends the welcome)."""

from __future__ import annotations

from flask import Blueprint, redirect, render_template, url_for
from flask.typing import ResponseReturnValue

from claro_backoffice.console import formatting
from claro_backoffice.console.client import ApiError
from claro_backoffice.console.web import gateway, session, signed_in
from claro_backoffice.console.wording import explain

blueprint = Blueprint("queue", __name__)
PUNTUALIDAD_SECONDS = 600


SHOWN = ("queued", "assigned", "closingQuestion")  # the queue, and the advisor's own open chats


def _listed() -> tuple[list[dict], list[dict], str | None]:
    """(queued, assigned or at the closing question, the sandbox's now): one call the page polls every 2 s (issue
    18: the polling dominated the server's load); the three lists of 500 each when they don't fit in one."""
    both = gateway().get("/conversations", status=list(SHOWN), limit=500)
    if both["total"] <= len(both["conversations"]):
        by_status = {s: [c for c in both["conversations"] if c["status"] == s] for s in SHOWN}
        return by_status["queued"], by_status["assigned"] + by_status["closingQuestion"], both.get("asOf")
    queued = gateway().get("/conversations", status="queued", limit=500)
    assigned = gateway().get("/conversations", status="assigned", limit=500)["conversations"]
    assigned += gateway().get("/conversations", status="closingQuestion", limit=500)["conversations"]
    return queued["conversations"], assigned, queued.get("asOf")


def _rows() -> tuple[list[dict], list[dict], str | None]:
    """(queued, mine, error): each queued conversation with `waited` seconds as of the sandbox's clock."""
    try:
        queued, assigned, now = _listed()
    except ApiError as exc:
        return [], [], explain("No fue posible leer la cola", exc)
    rows = []
    for c in queued:
        waited = formatting.seconds_between(c.get("advisorRequestedAt"), now)
        late = waited is not None and waited >= PUNTUALIDAD_SECONDS
        rows.append(
            c | {"waited": waited, "late": late, "left": None if waited is None else PUNTUALIDAD_SECONDS - waited}
        )
    mine = [c for c in assigned if c.get("advisor") == session().advisor]
    return rows, mine, None


@blueprint.get("/queue")
@signed_in
def show() -> ResponseReturnValue:
    if session().leads:  # a leader does not take conversations (the gateway: not-an-asesor): their home is Supervisión
        return redirect(url_for("supervisor.show"))
    queued, mine, error = _rows()
    return render_template("queue.html", queued=queued, mine=mine, error=error)


@blueprint.get("/queue/rows")
@signed_in
def rows() -> ResponseReturnValue:
    """The queue's table body alone, for the page's polling."""
    queued, mine, error = _rows()
    return render_template("_queue_rows.html", queued=queued, mine=mine, error=error)


@blueprint.post("/queue/<conversation_id>/take")
@signed_in
def take(conversation_id: str) -> ResponseReturnValue:
    try:
        gateway().post(f"/conversations/{conversation_id}/assign", {"advisor": session().advisor})
    except ApiError as exc:
        queued, mine, _ = _rows()
        error = explain(f"No fue posible tomar la conversación {conversation_id}", exc)
        return render_template(
            "queue.html", queued=queued, mine=mine, error=error
        ), exc.status if exc.status < 500 else 502
    return redirect(url_for("chat.show", conversation_id=conversation_id), 303)
