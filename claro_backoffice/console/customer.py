"""The customer's side, for a trainer (or a second trainee) playing the customer: a phone-sized WhatsApp view of
one number in the signed-in sandbox, through Meta's simulator (BACKOFFICE_META_URL), never through the gateway.

Reading the chat on this screen is what a phone does: the business's messages it shows are reported to Meta as
delivered and read (the advisor sees the ticks). Meta journals every request, so the page asks every 2 s and only
while it is visible."""

from __future__ import annotations

import re

from flask import Blueprint, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue

from claro_backoffice.console.client import ApiError
from claro_backoffice.console.web import session, signed_in, simulator
from claro_backoffice.console.wording import explain

blueprint = Blueprint("customer", __name__, url_prefix="/customer")
WA_ID = re.compile(r"^[1-9][0-9]{7,14}$")
UNREAD = ("accepted", "sent", "delivered")


def _wa_id(given: str) -> str | None:
    digits = re.sub(r"[\s()+-]", "", given)
    if re.fullmatch(r"3[0-9]{9}", digits):  # a national mobile: WhatsApp numbers carry the country code
        digits = "57" + digits
    return digits if WA_ID.match(digits) else None


def _buttons(message: dict) -> list[dict]:
    """The reply buttons of an interactive message the customer can tap."""
    if message["direction"] != "outbound" or message["type"] != "interactive":
        return []
    action = ((message.get("content") or {}).get("interactive") or {}).get("action") or {}
    return [b["reply"] for b in action.get("buttons") or [] if "reply" in b]


@blueprint.get("/")
@signed_in
def choose() -> ResponseReturnValue:
    given = request.args.get("numero", "").strip()
    error = None
    if given:
        wa_id = _wa_id(given)
        if wa_id:
            return redirect(url_for("customer.phone", wa_id=wa_id))
        error = "Escribe un número de celular de 10 dígitos (por ejemplo 3XX XXX XXXX) o con indicativo 57."
    try:
        known = simulator().customers()["customers"]
    except ApiError as exc:
        known, error = [], error or explain("No fue posible leer los clientes del simulador", exc)
    known = sorted(known, key=lambda c: c["profile_name"])
    return render_template("customer_choose.html", known=known, error=error, given=given), 422 if given else 200


def _conversation(wa_id: str) -> dict:
    found = simulator().conversation(wa_id)
    for message in found["messages"]:
        message["buttons"] = _buttons(message)
    return found


@blueprint.get("/<wa_id>")
@signed_in
def phone(wa_id: str) -> ResponseReturnValue:
    if not WA_ID.match(wa_id):
        return render_template("error.html", message="Ese no es un número de WhatsApp."), 404
    try:
        conversation = _conversation(wa_id)
    except ApiError as exc:
        if exc.status != 404:
            return render_template("error.html", message=f"El simulador no respondió: {exc.detail}"), 502
        conversation = {"wa_id": wa_id, "messages": [], "window": {"open": False}}
    return render_template("customer_phone.html", c=conversation, wa_id=wa_id, error=session().take_notice())


@blueprint.get("/<wa_id>/messages")
@signed_in
def messages(wa_id: str) -> ResponseReturnValue:
    try:
        conversation = _conversation(wa_id)
    except ApiError as exc:
        if exc.status != 404:
            return render_template("_poll_error.html", message=exc.detail), 502
        conversation = {"wa_id": wa_id, "messages": []}
    return render_template("_phone_messages.html", c=conversation, wa_id=wa_id)


@blueprint.post("/<wa_id>/messages")
@signed_in
def write(wa_id: str) -> ResponseReturnValue:
    if not WA_ID.match(wa_id):
        return render_template("error.html", message="Ese no es un número de WhatsApp."), 404
    context, button = request.form.get("context_wamid"), request.form.get("button_id")
    text = request.form.get("text", "").strip()
    body = {"button_reply": {"context_wamid": context, "id": button}} if context and button else {"text": text}
    if not (button or text):
        session().notice = "Escribe un mensaje."
        return redirect(url_for("customer.phone", wa_id=wa_id), 303)
    try:
        simulator().write(wa_id, body)
    except ApiError as exc:
        session().notice = explain("No se envió", exc)
        return redirect(url_for("customer.phone", wa_id=wa_id), 303)
    return redirect(url_for("customer.phone", wa_id=wa_id) + "#composer", 303)


@blueprint.post("/<wa_id>/receipts")
@signed_in
def receipts(wa_id: str) -> ResponseReturnValue:
    """The phone shows the business's messages: Meta reports each one delivered and then read."""
    try:
        conversation = simulator().conversation(wa_id)
        for message in conversation["messages"]:
            if message["direction"] == "outbound" and message["status"] in UNREAD:
                if message["status"] != "delivered":
                    simulator().report(message["wamid"], "delivered")
                simulator().report(message["wamid"], "read")
    except ApiError as exc:
        return {"detail": exc.detail}, 502
    return "", 204
