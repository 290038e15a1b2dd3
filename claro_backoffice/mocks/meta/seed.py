"""Meta's slice of the world: Claro's WhatsApp business number (3112000000, the procedure's line) with its app
settings and webhook, the approved message templates, a WhatsApp profile for every party of the world (wa_id =
57 + contact mobile; profile name = first name and first surname, or the business name), and the history of two
premium customers' conversations before the reference moment: one that started 20 minutes earlier (its 24-hour
window is open) and one from three days before (closed).

The app's credentials are fixed strings, the same for every world seed, so a gateway configured once verifies
every sandbox's webhooks.
"""

from __future__ import annotations

import datetime as dt
import json
import random
import re

from claro_backoffice.mocks.meta import webhook
from claro_backoffice.world.build import World
from claro_backoffice.world.channel import business_number
from claro_backoffice.world.phones import to_wa_id

# What serves each table, for fixtures (mocks/kit/served.py): the spec's schemas whose same-named
# properties a planted value must fit; a "!column" is not checked (stored in another form, or another meaning).
SERVED_AS = {
    "business_numbers": ("BusinessNumber", "!webhook_url"),
    "templates": ("Template",),
    "customers": ("Customer",),
    "messages": ("Message",),
    "statuses": ("Message/properties/statuses/items",),
    "deliveries": ("Delivery",),
}

PHONE_NUMBER_ID = "106540352242922"
WABA_ID = "102290129340398"
BUSINESS_PHONE = "573112000000"
ACCESS_TOKEN = "EAAGClaroPremiumSimuladorAccessToken2026"
APP_SECRET = "5f3c9a1e7b2d4c6e8f0a1b2c3d4e5f60"
VERIFY_TOKEN = "claro-premium-verify-token"
WEBHOOK_URL = "http://127.0.0.1:8000/api/v1/whatsapp/webhook"
WEBHOOK_TIMEOUT_SECONDS = 2.0

# name, language, category, status, body, buttons (quick replies)
TEMPLATES = (
    (
        "bienvenida_premium",
        "es_CO",
        "UTILITY",
        "APPROVED",
        "¡Hola {{1}}! Te damos la bienvenida a la línea de atención Claro Premium por WhatsApp. Un asesor "
        "especializado continuará la conversación en breve.",
        [],
    ),
    (
        "bienvenida_premium",
        "es",
        "UTILITY",
        "APPROVED",
        "¡Hola {{1}}! Bienvenido a Claro Premium por WhatsApp. Un asesor continuará la conversación en breve.",
        [],
    ),
    (
        "seguimiento_caso",
        "es_CO",
        "UTILITY",
        "APPROVED",
        "Hola {{1}}, te escribimos de Claro Premium sobre tu caso {{2}}: {{3}}. ¿Deseas continuar la conversación "
        "con un asesor?",
        ["Sí, continuar", "No, gracias"],
    ),
    (
        "encuesta_satisfaccion",
        "es_CO",
        "UTILITY",
        "APPROVED",
        "{{1}}, gracias por comunicarte con Claro Premium. En una escala de 0 a 10, ¿qué tan probable es que "
        "recomiendes nuestra atención a un familiar o amigo? Responde solo con el número.",
        [],
    ),
    (
        "recordatorio_visita",
        "es_CO",
        "UTILITY",
        "APPROVED",
        "Hola {{1}}, te recordamos la visita técnica de Claro programada para el {{2}} entre las {{3}} (orden "
        "{{4}}). Si necesitas reprogramarla, responde a este mensaje.",
        ["Confirmar visita", "Reprogramar"],
    ),
    (
        "promocion_fibra_900",
        "es_CO",
        "MARKETING",
        "REJECTED",
        "{{1}}, sube a Internet Fibra 900 Mbps con Claro por solo {{2}} al mes.",
        [],
    ),
)
EXAMPLES = {
    "bienvenida_premium": ["Francisco"],
    "seguimiento_caso": ["Francisco", "PQR 2026110400123", "la visita técnica quedó programada"],
    "encuesta_satisfaccion": ["Francisco"],
    "recordatorio_visita": ["Francisco", "5 de noviembre", "9:00 y 11:00", "LLS0000123456"],
    "promocion_fibra_900": ["Francisco", "$149.900"],
}
ASK_ADVISOR = [
    {"type": "reply", "reply": {"id": "asesor_si", "title": "Sí"}},
    {"type": "reply", "reply": {"id": "asesor_no", "title": "No"}},
]


def profile_name(party: dict) -> str:
    if party.get("first_name"):
        return f"{party['first_name']} {(party['last_name'] or '').split(' ')[0]}".strip()
    return party.get("business_name") or "Cliente"


def render(body: str, values: list[str]) -> str:
    """A template's text with its {{n}} placeholders filled, in one pass (a value may itself contain braces)."""
    return re.sub(r"\{\{([0-9]+)\}\}", lambda m: values[int(m.group(1)) - 1], body)


def _number() -> dict:
    return {
        "phone_number_id": PHONE_NUMBER_ID,
        "is_default": 1,
        "phone_number": BUSINESS_PHONE,
        "display_phone_number": "+57 311 2000000",
        "verified_name": "Claro Colombia",
        "quality_rating": "GREEN",
        "waba_id": WABA_ID,
        "access_token": ACCESS_TOKEN,
        "app_secret": APP_SECRET,
        "verify_token": VERIFY_TOKEN,
        "webhook_url": None,  # None: the configured gateway's webhook
        "webhook_timeout_seconds": WEBHOOK_TIMEOUT_SECONDS,
        "auto_statuses": "[]",
        "window_errors": "webhook",
        "escape_unicode": 1,
    }


def _create_tables(db) -> None:
    db["business_numbers"].create(
        {
            "phone_number_id": str,
            "is_default": int,
            "phone_number": str,
            "display_phone_number": str,
            "verified_name": str,
            "quality_rating": str,
            "waba_id": str,
            "access_token": str,
            "app_secret": str,
            "verify_token": str,
            "webhook_url": str,
            "webhook_timeout_seconds": float,
            "auto_statuses": str,
            "window_errors": str,
            "escape_unicode": int,
        },
        pk="phone_number_id",
    )
    db["templates"].create(
        {
            "template_id": str,
            "waba_id": str,
            "name": str,
            "language": str,
            "category": str,
            "status": str,
            "body_text": str,
            "parameter_count": int,
            "buttons": str,
            "example": str,
        },
        pk="template_id",
    )
    db["templates"].create_index(["waba_id", "name", "language"], unique=True)
    db["customers"].create({"wa_id": str, "profile_name": str, "customer_id": str}, pk="wa_id")
    db["customers"].create_index(["customer_id"])
    db["messages"].create(
        {
            "message_id": int,
            "wamid": str,
            "phone_number_id": str,
            "wa_id": str,
            "direction": str,
            "type": str,
            "text": str,
            "content": str,
            "template_name": str,
            "template_language": str,
            "category": str,
            "context_wamid": str,
            "status": str,
            "error": str,
            "created_at": str,
            "read_by_business_at": str,
        },
        pk="message_id",
        foreign_keys=[("phone_number_id", "business_numbers")],
    )
    db["messages"].create_index(["wamid"], unique=True)
    db["messages"].create_index(["wa_id", "phone_number_id"])
    db["statuses"].create(
        {"status_id": int, "wamid": str, "status": str, "error": str, "created_at": str, "delivery_id": int},
        pk="status_id",
    )
    db["statuses"].create_index(["wamid"])
    db["deliveries"].create(
        {
            "delivery_id": int,
            "kind": str,
            "wamid": str,
            "wa_id": str,
            "phone_number_id": str,
            "url": str,
            "body": str,
            "signature": str,
            "redelivery_of": int,
            "attempted_at": str,
            "outcome": str,
            "status_code": int,
            "response_excerpt": str,
            "error": str,
            "duration_ms": float,
        },
        pk="delivery_id",
    )
    db["deliveries"].create_index(["wa_id"])
    db["deliveries"].create_index(["wamid"])


class _History:
    """Past conversations written as Meta recorded them: messages, status updates and webhook deliveries."""

    def __init__(self, db, number: dict, rng: random.Random):
        self.db, self.number, self.rng = db, number, rng

    def _wamid(self, wa_id: str, inbound: bool) -> str:
        return webhook.new_wamid(wa_id, inbound, "".join(self.rng.choice("0123456789ABCDEF") for _ in range(20)))

    def _deliver(self, kind: str, wamid: str, wa_id: str, payload: dict, at: dt.datetime) -> int:
        body = webhook.encode(payload, True).decode("utf-8")
        return (
            self.db["deliveries"]
            .insert(
                {
                    "kind": kind,
                    "wamid": wamid,
                    "wa_id": wa_id,
                    "phone_number_id": self.number["phone_number_id"],
                    "url": self.number["webhook_url"] or WEBHOOK_URL,
                    "body": body,
                    "signature": "valid",
                    "redelivery_of": None,
                    "attempted_at": at.isoformat(),
                    "outcome": "delivered",
                    "status_code": 200,
                    "response_excerpt": "",
                    "error": None,
                    "duration_ms": None,
                }
            )
            .last_pk
        )

    def inbound(
        self,
        wa_id: str,
        name: str,
        at: dt.datetime,
        text: str | None = None,
        reply_to: dict | None = None,
        button: dict | None = None,
    ) -> str:
        wamid = self._wamid(wa_id, True)
        if button:
            context = {"from": self.number["phone_number"], "id": reply_to["wamid"]}
            message = webhook.inbound_button_reply(wa_id, wamid, at, context, button["id"], button["title"])
            kind, text = "interactive", button["title"]
        else:
            message, kind = webhook.inbound_text(wa_id, wamid, at, text), "text"
        self.db["messages"].insert(
            {
                "wamid": wamid,
                "phone_number_id": self.number["phone_number_id"],
                "wa_id": wa_id,
                "direction": "inbound",
                "type": kind,
                "text": text,
                "content": json.dumps(message, ensure_ascii=False),
                "context_wamid": reply_to["wamid"] if reply_to else None,
                "status": "received",
                "created_at": at.isoformat(),
                "read_by_business_at": (at + dt.timedelta(seconds=2)).isoformat(),
            }
        )
        self._deliver("message", wamid, wa_id, webhook.message_value(self.number, name, message), at)
        return wamid

    def outbound(
        self, wa_id: str, at: dt.datetime, content: dict, text: str, category: str, template: tuple | None = None
    ) -> dict:
        wamid = self._wamid(wa_id, False)
        row = {
            "wamid": wamid,
            "phone_number_id": self.number["phone_number_id"],
            "wa_id": wa_id,
            "direction": "outbound",
            "type": content["type"],
            "text": text,
            "content": json.dumps(content, ensure_ascii=False),
            "template_name": template[0] if template else None,
            "template_language": template[1] if template else None,
            "category": category,
            "status": "read",
            "created_at": at.isoformat(),
        }
        self.db["messages"].insert(row)
        for offset, status in ((1, "sent"), (3, "delivered"), (20, "read")):
            moment = at + dt.timedelta(seconds=offset)
            payload = webhook.status_value(self.number, webhook.status_object(wamid, status, moment, wa_id, category))
            delivery = self._deliver("status", wamid, wa_id, payload, moment)
            self.db["statuses"].insert(
                {
                    "wamid": wamid,
                    "status": status,
                    "error": None,
                    "created_at": moment.isoformat(),
                    "delivery_id": delivery,
                }
            )
        return row


def _ask_advisor(name: str) -> tuple[dict, str]:
    text = f"¡Hola {name}! Bienvenido a Claro Premium. ¿Deseas hablar con un asesor?"
    return {
        "type": "interactive",
        "interactive": {"type": "button", "body": {"text": text}, "action": {"buttons": ASK_ADVISOR}},
    }, text


def _text(body: str) -> tuple[dict, str]:
    return {"type": "text", "text": {"body": body}}, body


def _seed_history(db, world: World, number: dict) -> None:
    rng = random.Random(f"{world.config.seed}:meta:history")
    premium = sorted(
        (p for p in world.tables["parties"] if p["premium"] and p["first_name"]), key=lambda p: p["customer_id"]
    )
    if len(premium) < 2:
        return
    open_party, closed_party = rng.sample(premium, 2)
    history = _History(db, number, rng)
    seconds = dt.timedelta(seconds=1)

    # In progress: wrote 20 minutes before the reference moment and asked for an advisor.
    wa_id, name = to_wa_id(open_party["contact_mobile"]), profile_name(open_party)
    start = world.now - dt.timedelta(minutes=20)
    history.inbound(wa_id, name, start, "Hola, buenos días")
    content, text = _ask_advisor(open_party["first_name"])
    question = history.outbound(wa_id, start + 2 * seconds, content, text, "service")
    history.inbound(wa_id, name, start + 40 * seconds, reply_to=question, button=ASK_ADVISOR[0]["reply"])

    # Closed three days earlier: a duplicate invoice, then the satisfaction survey.
    wa_id, name = to_wa_id(closed_party["contact_mobile"]), profile_name(closed_party)
    first = closed_party["first_name"]
    start = (world.now - dt.timedelta(days=3)).replace(hour=10, minute=15)
    history.inbound(wa_id, name, start, "Hola")
    content, text = _ask_advisor(first)
    question = history.outbound(wa_id, start + 2 * seconds, content, text, "service")
    history.inbound(wa_id, name, start + 50 * seconds, reply_to=question, button=ASK_ADVISOR[0]["reply"])
    history.outbound(
        wa_id,
        start + 180 * seconds,
        *_text(f"Hola {first}, te saluda Andrea, tu asesora Claro Premium. ¿En qué te puedo ayudar hoy?"),
        "service",
    )
    history.inbound(wa_id, name, start + 240 * seconds, "Necesito un duplicado de mi última factura")
    history.outbound(
        wa_id,
        start + 600 * seconds,
        *_text(
            f"{first}, ya enviamos el duplicado de tu factura a tu correo registrado. ¿Hay algo más en lo que te "
            "pueda ayudar?"
        ),
        "service",
    )
    history.inbound(wa_id, name, start + 660 * seconds, "No, eso es todo. Gracias")
    survey = next(t for t in TEMPLATES if t[0] == "encuesta_satisfaccion")
    content = {
        "type": "template",
        "template": {
            "name": survey[0],
            "language": {"code": survey[1]},
            "components": [{"type": "body", "parameters": [{"type": "text", "text": first}]}],
        },
    }
    history.outbound(
        wa_id, start + 700 * seconds, content, render(survey[4], [first]), "utility", template=(survey[0], survey[1])
    )
    history.inbound(wa_id, name, start + 900 * seconds, "10")


def seed(db, world: World) -> None:
    _create_tables(db)
    number = _number()
    db["business_numbers"].insert(number)
    rng = random.Random(f"{world.config.seed}:meta:templates")
    for name, language, category, status, body, buttons in TEMPLATES:
        db["templates"].insert(
            {
                "template_id": str(rng.randint(10**14, 10**15 - 1)),
                "waba_id": WABA_ID,
                "name": name,
                "language": language,
                "category": category,
                "status": status,
                "body_text": body,
                "parameter_count": body.count("{{"),
                "buttons": json.dumps(buttons, ensure_ascii=False),
                "example": json.dumps(EXAMPLES[name], ensure_ascii=False),
            }
        )
    db["customers"].insert_all(
        (
            {"wa_id": to_wa_id(p["contact_mobile"]), "profile_name": profile_name(p), "customer_id": p["customer_id"]}
            for p in world.tables["parties"]
            if p.get("contact_mobile")
        ),
        ignore=True,
    )
    _seed_history(db, world, number)


def own_business_number(connection, sandbox: str) -> None:
    """Every sandbox but `default` gets Claro's line under a number of its own (world/channel.py), in its messages
    and recorded deliveries too, so a webhook's phone_number_id names the sandbox."""
    own = business_number(sandbox)
    if own["phone_number_id"] == PHONE_NUMBER_ID:
        return
    connection.execute(
        "UPDATE business_numbers SET phone_number_id = ?, phone_number = ?, display_phone_number = ? "
        "WHERE phone_number_id = ?",
        [own["phone_number_id"], own["phone_number"], own["display_phone_number"], PHONE_NUMBER_ID],
    )
    connection.execute(
        "UPDATE messages SET phone_number_id = ? WHERE phone_number_id = ?", [own["phone_number_id"], PHONE_NUMBER_ID]
    )
    connection.execute(
        "UPDATE deliveries SET phone_number_id = ?, body = REPLACE(REPLACE(body, ?, ?), ?, ?) "
        "WHERE phone_number_id = ?",
        [
            own["phone_number_id"],
            PHONE_NUMBER_ID,
            own["phone_number_id"],
            BUSINESS_PHONE,
            own["phone_number"],
            PHONE_NUMBER_ID,
        ],
    )
