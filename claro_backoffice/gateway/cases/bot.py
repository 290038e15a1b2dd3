"""The bot's side of the dialogue (SMCC): what it understands and what it says, in Spanish. Pure functions; the
channel (channel.py) decides when each is said."""

from __future__ import annotations

import unicodedata

HASHTAGS = ("#soyclientepremium", "#yosoypremium", "#soyclientepremiun")  # the document's spelling too
CONSENT_PURPOSE = (
    "Atender tu solicitud en el canal WhatsApp Premium de Claro: validar tu identidad y tus "
    "cuentas, registrar el caso y hacerle seguimiento"
)
YES = {"si", "s", "sí", "acepto", "autorizo", "de acuerdo", "ok", "consent_yes", "asesor_si"}
NO = {"no", "n", "no acepto", "no autorizo", "consent_no", "asesor_no", "no gracias", "no, gracias"}

WELCOME = (
    "¡Hola{name}! Bienvenido a Claro Premium por WhatsApp. Antes de continuar, y según la Ley 1581 de 2012 "
    "(Habeas Data), ¿nos autorizas a tratar tus datos personales para {purpose}? Puedes consultar nuestra "
    "política de tratamiento de datos en claro.com.co."
)
ASK_ADVISOR = "Gracias. ¿Deseas que un asesor Claro Premium te atienda? Responde SI o NO."
QUEUED = "Con gusto. En un momento uno de nuestros asesores Claro Premium te atenderá."
NOT_PREMIUM = (
    "Hola, gracias por escribirnos. Esta línea es exclusiva para clientes Claro Premium. Te invitamos a "
    "comunicarte por nuestros canales de atención: la app Mi Claro, claro.com.co o la línea *611."
)
CONSENT_DECLINED = (
    "Entendemos tu decisión. Sin tu autorización no podemos tratar tus datos, así que no "
    "continuaremos la atención por este medio. Puedes escribirnos cuando quieras. ¡Feliz día!"
)
ADVISOR_DECLINED = "Entendido. Si más adelante necesitas ayuda, escríbenos por aquí. ¡Feliz día!"
REPEAT_CONSENT = "Por favor responde ACEPTO o NO ACEPTO para continuar."
REPEAT_ADVISOR = "Por favor responde SI o NO: ¿deseas que un asesor te atienda?"
ADVISOR_WELCOME = (
    "¡Hola {name}! Te saluda {advisor}, tu asesor(a) Claro Premium. Es un gusto atenderte. ¿En qué te puedo ayudar hoy?"
)
ANYTHING_ELSE = "{name}, {resolution} ¿Hay algo más en lo que pueda ayudarte? Responde SI o NO."
CLOSING = (
    "{name}, fue un gusto atenderte. Damos por finalizada esta conversación. Gracias por ser cliente Claro Premium."
)
SURVEY = (
    "{name}, gracias por comunicarte con Claro Premium. En una escala de 0 a 10, ¿qué tan probable es que "
    "recomiendes nuestra atención a un familiar o amigo? Responde solo con el número."
)
SURVEY_THANKS = "¡Gracias por tu calificación! Tu opinión nos ayuda a mejorar."
CONSENT_BUTTONS = [("consent_yes", "Acepto"), ("consent_no", "No acepto")]
ADVISOR_BUTTONS = [("asesor_si", "Sí"), ("asesor_no", "No")]


def normalised(text: str) -> str:
    """Lower case, no accents, no surrounding punctuation: 'SÍ!' -> 'si'."""
    plain = unicodedata.normalize("NFKD", text or "").encode("ascii", "ignore").decode("ascii")
    return plain.strip().strip("¡!¿?.,;").strip().lower()


def has_hashtag(text: str) -> bool:
    plain = normalised(text)
    return any(tag in plain for tag in HASHTAGS)


def answer(text: str) -> bool | None:
    """True for yes, False for no, None when the reply is neither."""
    plain = normalised(text)
    if plain in YES or plain.startswith("si ") or plain.startswith("acepto"):
        return True
    if plain in NO or plain.startswith("no ") or plain.startswith("no,"):
        return False
    return None


def survey_score(text: str) -> int | None:
    plain = normalised(text)
    return int(plain) if plain.isdigit() and 0 <= int(plain) <= 10 else None


def address(name: str | None, document_type: str | None) -> str:
    """How the texts call the customer: a person by first name, a company (NIT) by its whole name, since
    "Inversiones, fue un gusto atenderte" is the first word of a business name, not a name. Empty when unknown."""
    name = " ".join((name or "").split())
    return name if document_type == "NIT" else name.split(" ")[0]
