"""The customer beside the chat: identity validation (document type and number, `POST /conversations/{id}/identity`)
and then the 360 (`GET /customers/{id}`): home accounts with services (RR), mobile lines with plans (AC), and the
systems that could not answer, shown as such, never as "no data"."""

from __future__ import annotations

import re

from claro_backoffice.console.client import ApiError
from claro_backoffice.console.web import gateway
from claro_backoffice.console.wording import explain

DOCUMENT = re.compile(r"^[0-9]{5,15}$")
DOCUMENT_TYPES = ("CC", "CE", "NIT")
SYSTEM_NAMES = {"rr": "RR (hogar)", "ac": "AC (móvil)"}
REASONS = {
    "timeout": "no respondió a tiempo",
    "refused": "rechazó la conexión",
    "circuit-open": "está fuera de servicio por fallas repetidas",
    "bad-status": "respondió con un error",
    "malformed": "respondió algo ilegible",
    "dropped": "cortó la respuesta",
}


def validate(conversation_id: str, document_type: str, document_number: str) -> tuple[int, str] | None:
    """None when the gateway validated the document; else (status, what to tell the advisor)."""
    number = re.sub(r"[\s.,-]", "", document_number)
    if document_type not in DOCUMENT_TYPES:
        return 422, "Elige el tipo de documento (CC, CE o NIT)."
    if not DOCUMENT.match(number):
        return 422, "El número de documento lleva de 5 a 15 dígitos, sin letras."
    try:
        gateway().post(
            f"/conversations/{conversation_id}/identity", {"documentType": document_type, "documentNumber": number}
        )
    except ApiError as exc:
        if exc.kind == "document-not-found":
            return 422, f"No hay un cliente con {document_type} {number} en RR ni en AC: confírmalo con el cliente."
        return (exc.status if exc.status < 500 else 502), explain("No fue posible validar el documento", exc)
    return None


def of(conversation: dict) -> tuple[dict | None, str | None]:
    """(360 view with each degraded system explained, error): only once the document was validated."""
    if not conversation.get("document") or not conversation.get("customerId"):
        return None, None
    try:
        view = gateway().get(f"/customers/{conversation['customerId']}")
    except ApiError as exc:
        return None, explain("No fue posible consultar al cliente", exc)
    view["degradedSystems"] = {d["system"]: REASONS.get(d["reason"], d["reason"]) for d in view.get("degraded") or []}
    return view, None
