"""The chat: the conversation as WhatsApp shows it (bubbles, Meta's delivery and read ticks), the 24-hour window,
and the advisor's reply. The page polls its messages (every second) so the customer's appear without a reload."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping

from flask import Blueprint, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue

from claro_backoffice.console import case_view, customer360, formatting, tools
from claro_backoffice.console.client import ApiError
from claro_backoffice.console.web import gateway, signed_in
from claro_backoffice.console.wording import explain

blueprint = Blueprint("chat", __name__)

TICKS = {  # Meta's status of an outbound message -> (glyph, what a screen reader says)
    "accepted": ("🕓", "Pendiente"),
    "sent": ("✓", "Enviado"),
    "delivered": ("✓✓", "Entregado"),
    "read": ("✓✓", "Leído"),
    "failed": ("!", "No entregado"),
}
AUTHORS = {"bot": "Bot Claro", "advisor": "Asesor"}


def _window(conversation: dict) -> dict:
    last = formatting.moment(conversation.get("lastCustomerMessageAt"))
    closes = (last + dt.timedelta(hours=24)).isoformat() if last else None
    return {"open": conversation["windowOpen"], "closes": closes}


def _load(conversation_id: str) -> dict:
    return gateway().get(f"/conversations/{conversation_id}")


def _templates(conversation: dict) -> tuple[list[dict], str | None]:
    """The approved templates, when the window is closed (the only thing WhatsApp lets the advisor send then)."""
    if conversation["windowOpen"]:
        return [], None
    try:
        templates = gateway().get("/whatsapp/templates")["templates"]
    except ApiError as exc:
        return [], explain("No fue posible leer las plantillas aprobadas", exc)
    for template in templates:  # {{1}} is Meta's notation; an advisor reads [1]
        template["preview"] = re.sub(r"\{\{(\d+)\}\}", r"[\1]", template["body"])
    return templates, None


def _page(
    conversation: dict,
    error: str | None = None,
    status: int = 200,
    draft: str = "",
    identity_error: str | None = None,
    identity_form: dict | None = None,
    case_error: str | None = None,
    case_form: Mapping[str, str] | None = None,
) -> ResponseReturnValue:
    templates, problem = _templates(conversation)
    customer, customer_error = customer360.of(conversation)
    return render_template(
        "chat.html",
        **case_view.panel(conversation, customer),
        words=case_view,
        case_error=case_error,
        case_form=case_form,
        c=conversation,
        customer=customer,
        customer_error=customer_error,
        identity_error=identity_error,
        identity_form=identity_form or {},
        systems=customer360.SYSTEM_NAMES,
        window=_window(conversation),
        templates=templates,
        templates_error=problem,
        ticks=TICKS,
        authors=AUTHORS,
        error=error,
        draft=draft,
        tools=tools.panel(conversation),
    ), status


page = _page  # the case's views answer with the chat page too


@blueprint.get("/chats/<conversation_id>")
@signed_in
def show(conversation_id: str) -> ResponseReturnValue:
    try:
        conversation = _load(conversation_id)
    except ApiError as exc:
        message = explain(f"No fue posible abrir la conversación {conversation_id}", exc)
        return render_template("error.html", message=message), exc.status if exc.status < 500 else 502
    return _page(conversation)


@blueprint.get("/chats/<conversation_id>/messages")
@signed_in
def messages(conversation_id: str) -> ResponseReturnValue:
    """The message list alone, for the page's polling."""
    try:
        conversation = _load(conversation_id)
    except ApiError as exc:
        return render_template("_poll_error.html", message=exc.detail), exc.status if exc.status < 500 else 502
    return render_template("_messages.html", c=conversation, ticks=TICKS, authors=AUTHORS)


@blueprint.post("/chats/<conversation_id>/messages")
@signed_in
def send(conversation_id: str) -> ResponseReturnValue:
    text = request.form.get("text", "").strip()
    try:
        if not text:
            raise ApiError(422, "Escribe un mensaje antes de enviarlo.")
        gateway().post(f"/conversations/{conversation_id}/messages", {"text": text})
    except ApiError as exc:
        try:
            conversation = _load(conversation_id)
        except ApiError:
            return render_template("error.html", message=exc.detail), 502
        message = explain("El mensaje no se envió", exc)
        return _page(conversation, message, exc.status if exc.status < 500 else 502, draft=text)
    return redirect(url_for("chat.show", conversation_id=conversation_id) + "#composer", 303)


@blueprint.post("/chats/<conversation_id>/template")
@signed_in
def send_template(conversation_id: str) -> ResponseReturnValue:
    name = request.form.get("template", "")
    values = [v.strip() for v in request.form.getlist("values")]
    try:
        if not all(values):
            raise ApiError(422, "Completa todos los valores de la plantilla.")
        body: dict = {"template": name}
        if values:
            body["values"] = values
        gateway().post(f"/conversations/{conversation_id}/messages", body)
    except ApiError as exc:
        try:
            conversation = _load(conversation_id)
        except ApiError:
            return render_template("error.html", message=exc.detail), 502
        message = explain("La plantilla no se envió", exc)
        return _page(conversation, message, exc.status if exc.status < 500 else 502)
    return redirect(url_for("chat.show", conversation_id=conversation_id) + "#composer", 303)


@blueprint.post("/chats/<conversation_id>/identity")
@signed_in
def validate_identity(conversation_id: str) -> ResponseReturnValue:
    form = {
        "documentType": request.form.get("documentType", ""),
        "documentNumber": request.form.get("documentNumber", ""),
    }
    problem = customer360.validate(conversation_id, form["documentType"], form["documentNumber"])
    if problem:
        try:
            conversation = _load(conversation_id)
        except ApiError as exc:
            return render_template("error.html", message=exc.detail), 502
        return _page(conversation, identity_error=problem[1], identity_form=form, status=problem[0])
    return redirect(url_for("chat.show", conversation_id=conversation_id) + "#customer", 303)
