"""The case beside the chat: open it, typify it, file its PQR, close it (closed, or follow-up with a callback in
Ley 2300 contact hours), record callbacks, and end a conversation that needs no case. Each is one gateway call
as the signed-in advisor; on success the chat page comes back (#case), on a refusal the chat page says why."""

from __future__ import annotations

import hashlib

from flask import Blueprint, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue

from claro_backoffice.console import case_view
from claro_backoffice.console.client import ApiError
from claro_backoffice.console.web import gateway, signed_in

blueprint = Blueprint("case", __name__)


def _back(conversation_id: str, anchor: str = "case") -> ResponseReturnValue:
    return redirect(url_for("chat.show", conversation_id=conversation_id) + f"#{anchor}", 303)


def _refused(conversation_id: str, message: str, status: int) -> ResponseReturnValue:
    from claro_backoffice.console import chat  # the chat page is the case's page

    try:
        conversation = gateway().get(f"/conversations/{conversation_id}")
    except ApiError as exc:
        return render_template("error.html", message=exc.detail), 502
    return chat.page(conversation, case_error=message, case_form=request.form, status=status)


def _status(exc: ApiError) -> int:
    return exc.status if exc.status < 500 else 502


def _send(
    conversation_id: str,
    path: str,
    body: dict,
    failure: str,
    anchor: str = "case",
    headers: dict[str, str] | None = None,
) -> ResponseReturnValue:
    """One gateway write for the case; back to the chat page, or the page again with the refusal in Spanish
    (`failure` says what did not happen)."""
    try:
        gateway().post(path, body, headers=headers)
    except ApiError as exc:
        return _refused(conversation_id, case_view.readable(failure, exc), _status(exc))
    return _back(conversation_id, anchor)


def _field(name: str) -> str:
    return request.form.get(name, "").strip()


@blueprint.post("/chats/<conversation_id>/case")
@signed_in
def open_case(conversation_id: str) -> ResponseReturnValue:
    conversation_customer, on = _field("customerId"), _field("on")
    body = {
        "conversationId": conversation_id,
        "customerId": conversation_customer,
        "category": _field("category"),
        "product": _field("product"),
        "description": _field("description"),
    }
    kind, _, reference = on.partition(":")
    if kind == "account":
        body["accountId"] = reference
    elif kind == "line":
        body["msisdn"] = reference
    if len(body["description"]) < 3 or not body["category"] or not body["product"] or not reference:
        message = "Para abrir el caso elige la cuenta o línea, la categoría y el producto, y describe lo que pasa."
        return _refused(conversation_id, message, 422)
    return _send(conversation_id, "/cases", body, "El caso no se abrió")


@blueprint.post("/chats/<conversation_id>/case/<case_id>/typification")
@signed_in
def typify(conversation_id: str, case_id: str) -> ResponseReturnValue:
    code, notes, first = _field("code"), request.form.get("notes", "").strip(), _field("resolvedFirstContact")
    if not code or first not in ("yes", "no"):
        return _refused(conversation_id, "Elige el código de tipificación y si quedó resuelto en este contacto.", 422)
    body = {"code": code, "notes": notes, "resolvedFirstContact": first == "yes"}
    # The same typification sent twice (a double click, a reload) is one job in RR/AC: the key follows the content.
    digest = hashlib.sha256(f"{code}|{first}|{notes}".encode()).hexdigest()[:24]  # per case, by content
    return _send(
        conversation_id,
        f"/cases/{case_id}/typification",
        body,
        "La tipificación no se registró",
        headers={"Idempotency-Key": f"console-{case_id}-{digest}"},
    )


@blueprint.post("/chats/<conversation_id>/case/<case_id>/pqr")
@signed_in
def file_pqr(conversation_id: str, case_id: str) -> ResponseReturnValue:
    description = _field("description")
    if len(description) < 3:
        return _refused(conversation_id, "Describe el reclamo del cliente para radicar la PQR.", 422)
    return _send(conversation_id, f"/cases/{case_id}/pqr", {"description": description}, "La PQR no se radicó")


@blueprint.post("/chats/<conversation_id>/case/<case_id>/close")
@signed_in
def close(conversation_id: str, case_id: str) -> ResponseReturnValue:
    outcome = _field("outcome")
    if outcome not in ("closed", "followUp"):
        return _refused(conversation_id, "Elige cómo se cierra: cerrado o en seguimiento.", 422)
    if request.form.get("nothingPending") != "yes":
        return _refused(conversation_id, "Confirma con el cliente que no queda nada pendiente antes de cerrar.", 422)
    body: dict = {"outcome": outcome, "nothingPending": True}
    if outcome == "followUp":
        if not _field("followUpType") or not _field("callbackAt"):
            message = "Un seguimiento necesita su tipo y el momento de la devolución de llamada."
            return _refused(conversation_id, message, 422)
        body |= {"followUpType": _field("followUpType"), "callbackAt": _field("callbackAt")}
    return _send(conversation_id, f"/cases/{case_id}/close", body, "El caso no se cerró")


@blueprint.post("/chats/<conversation_id>/case/<case_id>/callbacks")
@signed_in
def callback(conversation_id: str, case_id: str) -> ResponseReturnValue:
    outcome, reached = _field("outcome"), _field("reached")
    if outcome not in case_view.CALLBACK_OUTCOMES or reached not in ("yes", "no"):
        return _refused(conversation_id, "Indica si contactaste al cliente y el resultado de la llamada.", 422)
    body: dict = {"reached": reached == "yes", "outcome": outcome}
    if _field("notes"):
        body["notes"] = _field("notes")
    if _field("nextCallbackAt"):
        body["nextCallbackAt"] = _field("nextCallbackAt")
    if request.form.get("closeOut") == "yes":
        body["closeOut"] = True
    return _send(conversation_id, f"/cases/{case_id}/callbacks", body, "La llamada no se registró")


@blueprint.post("/chats/<conversation_id>/end")
@signed_in
def end(conversation_id: str) -> ResponseReturnValue:
    reason = _field("reason")
    if reason not in case_view.END_REASONS:
        return _refused(conversation_id, "Elige por qué terminas la conversación sin caso.", 422)
    return _send(
        conversation_id,
        f"/conversations/{conversation_id}/close",
        {"reason": reason},
        "La conversación no se terminó",
        anchor="chat-title",
    )


@blueprint.get("/chats/<conversation_id>/case/status")
@signed_in
def status(conversation_id: str) -> ResponseReturnValue:
    """The case's state, survey and timeline alone, for the page's polling (the survey answer comes later)."""
    try:
        conversation = gateway().get(f"/conversations/{conversation_id}")
        cases = [gateway().get(f"/cases/{case_id}") for case_id in conversation.get("cases") or []]
    except ApiError as exc:
        return render_template("_poll_error.html", message=exc.detail), _status(exc)
    case = cases[-1] if cases else None
    return render_template(
        "_case_status.html", case=case, timeline=case_view.timeline(case) if case else [], words=case_view
    )
