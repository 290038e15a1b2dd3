"""The Tools panel beside the chat: each tool is one gateway call made with the conversation's open case
(`X-Case-Id`), so it lands in the case's timeline, and its answer is kept (per conversation, in the console
session) to be shown readably in the panel after the redirect. The open case is read from the gateway (the
conversation's `cases`), never from the console's own state.

The calls themselves, and what each one needs from the form, live in `tool_calls.py`."""

from __future__ import annotations

from flask import Blueprint, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue

from claro_backoffice.console import tool_calls
from claro_backoffice.console.client import ApiError
from claro_backoffice.console.customer360 import REASONS
from claro_backoffice.console.web import gateway, session, signed_in
from claro_backoffice.console.wording import SPANISH

blueprint = Blueprint("tools", __name__)
KEPT = 8  # answers shown per conversation, newest first
SYSTEMS = {
    "rr": "RR",
    "ac": "AC",
    "diagnosticador": "Diagnosticador",
    "sara": "SARA",
    "cci": "CCI",
    "cmax": "CMAX",
    "ascard": "ASCARD",
    "portalpac": "PortalPAC",
    "dime": "DIME",
    "paradigma": "Paradigma",
    "gestion": "Módulo de Gestión",
    "almabi": "Almabi",
    "meta": "WhatsApp (Meta)",
}


def open_case(conversation: dict) -> dict | None:
    """The conversation's newest case that is not closed (open, typified or in follow-up), from the gateway."""
    for case_id in reversed(conversation.get("cases") or []):
        found = gateway().get(f"/cases/{case_id}")
        if found["status"] != "closed":
            return found
    return None


def failure(action: str, exc: ApiError) -> str:
    """'<action>: Diagnosticador respondió con un error (detalle: ...)': the failing system by its name."""
    system = SYSTEMS.get(exc.system, exc.system) if exc.system else ""
    reason = SPANISH.get(exc.kind)
    if reason is None and exc.kind in REASONS:
        reason = f"{system or 'un sistema'} {REASONS[exc.kind]}"
    elif reason is None and exc.status >= 500:
        reason = f"{system or 'un sistema'} no respondió como se esperaba"
    elif reason is None:
        reason = f"{system} lo rechazó" if system else "la solicitud fue rechazada"
    return f"{action}: {reason} (detalle: {exc.detail})"


def panel(conversation: dict) -> dict:
    """What the panel shows: the open case (or why there is none) and the answers kept for this conversation."""
    try:
        case, case_error = open_case(conversation), None
    except ApiError as exc:
        case, case_error = None, failure("No fue posible leer el caso de la conversación", exc)
    results = session().tool_results.get(conversation["id"], [])
    return {"case": case, "case_error": case_error, "results": results, "tools": tool_calls.TOOLS}


def _keep(conversation_id: str, result: dict) -> None:
    kept = session().tool_results.setdefault(conversation_id, [])
    kept.insert(0, result)
    del kept[KEPT:]


@blueprint.post("/chats/<conversation_id>/tools/<name>")
@signed_in
def run(conversation_id: str, name: str) -> ResponseReturnValue:
    tool = tool_calls.TOOLS.get(name)
    if tool is None:
        return render_template("error.html", message=f"No existe la herramienta «{name}»."), 404
    form = {k: v.strip() for k, v in request.form.items() if k != "csrf_token"}
    result: dict = {"tool": name, "title": tool.title}
    try:
        conversation = gateway().get(f"/conversations/{conversation_id}")
        case = open_case(conversation)
        if case is None and tool.needs_case:
            raise tool_calls.Refused(f"{tool.title}: abre un caso primero; esta herramienta lo necesita.")
        client = gateway()
        client.case_id = case["id"] if case else None
        result["case"] = client.case_id
        result["data"] = tool.call(client, form, case, conversation, session().advisor)
        result["ok"] = True
    except tool_calls.Refused as exc:
        result.update(ok=False, error=str(exc))
    except ApiError as exc:
        result.update(ok=False, error=failure(f"{tool.title} no se completó", exc))
    _keep(conversation_id, result)
    return redirect(url_for("chat.show", conversation_id=conversation_id) + "#tools", 303)
