"""GET/POST /whatsapp/webhook: Meta's subscription handshake and its deliveries (no bearer token: the POST is
authenticated by X-Hub-Signature-256 over the raw body, the GET by the verify token); GET /whatsapp/templates:
Meta's approved templates."""

from __future__ import annotations

import logging
import re
from typing import Any

import flask

from claro_backoffice.gateway.api.calls import backoffice, call_context
from claro_backoffice.gateway.api.sweep import timers
from claro_backoffice.gateway.cases.reception import Reception
from claro_backoffice.gateway.cases.signature import signature_error
from claro_backoffice.gateway.errors import problem
from claro_backoffice.gateway.runtime import runtime

log = logging.getLogger("claro_backoffice.gateway.whatsapp")


def verify_webhook(**_params: str) -> tuple[str, int, dict[str, str]]:
    # Meta's parameter names carry dots (hub.mode), which connexion can't pass as arguments: read them as sent.
    args = flask.request.args
    hub_challenge = args.get("hub.challenge")
    if args.get("hub.mode") != "subscribe" or args.get("hub.verify_token") != runtime().settings.whatsapp_verify_token:
        raise problem(
            403, "hub.mode must be 'subscribe' and hub.verify_token the configured verify token", "webhook-verification"
        )
    return hub_challenge or "", 200, {"Content-Type": "text/plain"}


def receive_webhook(body: dict[str, Any] | None = None) -> tuple[dict[str, int], int, dict[str, str]]:
    current = runtime()
    raw = flask.request.get_data(cache=True)
    wrong = signature_error(current.settings.whatsapp_app_secret, raw, flask.request.headers.get("X-Hub-Signature-256"))
    if wrong:
        raise problem(401, wrong, "webhook-signature")
    assert body is not None  # required by the spec: connexion parsed it and checked its shape (WebhookDelivery)
    payload = body
    if payload.get("object") != "whatsapp_business_account":
        raise problem(422, "object must be 'whatsapp_business_account'", "webhook-object")
    counts = {"messages": 0, "statuses": 0, "duplicates": 0}
    degraded: list[str] = []
    for entry in payload.get("entry") or []:
        for change in entry.get("changes") or []:
            value = change.get("value") or {}
            if change.get("field") != "messages":
                continue
            number = (value.get("metadata") or {}).get("phone_number_id")
            sandbox = current.numbers.sandbox_of(number) if number else None
            if sandbox is None:
                raise problem(
                    404,
                    f"phone_number_id {number} is not the business number of any sandbox "
                    "(GET /admin/sandboxes lists them)",
                    "unknown-business-number",
                )
            reception = Reception(
                sandbox,
                flask.request.headers.get("X-Request-Id"),
                crm=current.crm,
                clocks=current.clocks,
                backoffice=current.backoffice,
                executor=current.executor,
                business_number=current.numbers.of(sandbox),
                abandon_minutes=current.settings.abandon_minutes,
                timers=timers(current.settings),
            )
            taken = reception.take(value)
            counts = {k: counts[k] + taken[k] for k in counts}
            degraded += [system for system in reception.degraded if system not in degraded]
    # Taken all the same (a 5xx would make Meta redeliver a message already stored): the header names who failed.
    return counts, 200, ({"X-Degraded-Systems": ",".join(degraded)} if degraded else {})


def list_templates() -> dict:
    """GET /whatsapp/templates: what may be sent outside the 24-hour window (Meta's approved templates)."""
    return {"templates": [_template_view(t) for t in backoffice().meta.approved_templates(call_context())]}


def _template_view(template: dict) -> dict:
    components = template.get("components") or []
    body = next((c.get("text") or "" for c in components if str(c.get("type")).upper() == "BODY"), "")
    buttons = [
        b.get("text") or ""
        for c in components
        if str(c.get("type")).upper() == "BUTTONS"
        for b in c.get("buttons") or []
    ]
    placeholders = {int(n) for n in re.findall(r"\{\{(\d+)\}\}", body)}
    example = next((c.get("example") or {} for c in components if str(c.get("type")).upper() == "BODY"), {}).get(
        "body_text"
    ) or [[]]
    return {
        "name": template["name"],
        "language": template["language"],
        "category": template["category"],
        "body": body,
        "parameters": max(placeholders, default=0),
        "buttons": buttons,
        "examples": [str(v) for v in example[0]],
    }
