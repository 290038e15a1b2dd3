"""What the console says when the gateway refuses: the gateway's problems are in English (for developers), an
advisor reads Spanish. A known problem kind gets its Spanish sentence; the gateway's detail follows it, for support."""

from __future__ import annotations

from claro_backoffice.console.client import ApiError

SPANISH = {
    "conversation-state": "La conversación no está en el estado que esta acción necesita "
    "(por ejemplo, ya la tomó otro asesor o el cliente ya no está en la cola).",
    "conversation-not-found": "Esa conversación no existe en este sandbox.",
    "outside-window": "La ventana de 24 horas está cerrada: solo se pueden enviar plantillas aprobadas.",
    "no-consent": "El cliente no aceptó el tratamiento de sus datos (Ley 1581): no se puede registrar su documento.",
    "document-not-found": "No hay un cliente con ese documento en RR ni en AC: confírmalo con el cliente.",
    "invalid-document": "Ese número no es un documento de ese tipo (CC: 6, 8 o 10 dígitos que empiezan por 10; "
    "CE: 6 o 7; NIT: 10 con el dígito de verificación): confírmalo con el cliente.",
    "forbidden-role": "Tu rol no permite esta acción.",
    "forbidden-sandbox": "Tu acceso no alcanza este sandbox.",
    "unknown-sandbox": "Ese sandbox no existe: pide a tu formador que lo cree.",
    "message-content": "Escribe un texto o elige una plantilla.",
    "graph-131047": "WhatsApp rechazó el mensaje: la ventana de 24 horas está cerrada.",
}


def explain(action: str, exc: ApiError) -> str:
    """'No se envió el mensaje: <Spanish reason> (detalle: <gateway detail>)'."""
    reason = SPANISH.get(exc.kind)
    if reason is None and exc.status >= 500:
        reason = "un sistema no respondió; inténtalo de nuevo en un momento."
    if reason is None:
        return f"{action} ({exc.status}): {exc.detail}"
    return f"{action}: {reason} (detalle: {exc.detail})"
