"""What the console says when the gateway refuses: the gateway's problems are in English (for developers), an
advisor reads Spanish. Every problem kind the console's actions can meet (gateway/ raises them; `type` ends in the
kind) has its Spanish sentence; any other refusal is told by its status family, in Spanish too. The gateway's
detail follows, marked as the detail for support."""

from __future__ import annotations

from claro_backoffice.console.client import ApiError

PEOPLE = {  # who acts: the token's user, Almabi's agents
    "acting-for-another": "tu acceso actúa a tu nombre y no puede actuar por otra persona.",
    "actor-required": "falta decir quién actúa: ingresa con un token que tenga tu usuario.",
    "unknown-agent": "ese usuario no existe en Almabi (el sistema de personal).",
    "not-an-asesor": "solo un asesor toma conversaciones; tu usuario tiene otro rol en Almabi.",
    "advisor-not-active": "el asesor no está activo en Almabi (licencia, vacaciones o aún no empieza).",
    "agent-exited": "esa persona ya salió de la operación según Almabi.",
    "agent-role": "el rol de esa persona en Almabi no permite este paso.",
    "not-a-leader": "esa persona no es supervisor, coordinador ni gerente en Almabi.",
    "leader-not-active": "el líder no está activo en Almabi (licencia, vacaciones o aún no empieza).",
    "leader-exited": "ese líder ya salió de la operación según Almabi.",
    "unknown-leader": "ese líder no existe en Almabi.",
}
ACCESS = {  # the token, the sandbox
    "forbidden-role": "tu rol no permite esta acción.",
    "forbidden-sandbox": "tu acceso no alcanza este sandbox.",
    "unknown-sandbox": "ese sandbox no existe: pide a tu formador que lo cree.",
}
CONVERSATION = {
    "conversation-state": "la conversación no está en el estado que esta acción necesita "
    "(por ejemplo, ya la tomó otro asesor o el cliente ya no está en la cola).",
    "conversation-not-found": "esa conversación no existe en este sandbox.",
    "outside-window": "la ventana de 24 horas está cerrada: solo se pueden enviar plantillas aprobadas.",
    "message-content": "escribe un texto o elige una plantilla.",
    "graph-131047": "WhatsApp rechazó el mensaje: la ventana de 24 horas está cerrada.",
    "unknown-close-reason": "ese no es un motivo válido para terminar la conversación.",
    "cases-open": "hay casos abiertos o tipificados en la conversación: ciérralos primero.",
}
IDENTITY = {
    "no-consent": "el cliente no aceptó el tratamiento de sus datos (Ley 1581): no se puede registrar su documento.",
    "document-not-found": "no hay un cliente con ese documento en RR ni en AC: confírmalo con el cliente.",
    "invalid-document": "ese número no es un documento de ese tipo (CC: 6, 8 o 10 dígitos que empiezan por 10; "
    "CE: 6 o 7; NIT: 10 con el dígito de verificación): confírmalo con el cliente.",
    "customer-not-found": "ese cliente no está en RR (hogar) ni en AC (móvil).",
    "invalid-phone": "ese número de teléfono no es un número colombiano válido.",
}
CASE = {
    "document-not-validated": "primero valida el documento del cliente en esta conversación.",
    "customer-mismatch": "el cliente del caso no es el del documento validado en la conversación.",
    "account-missing": "elige la cuenta hogar o la línea móvil del caso.",
    "account-not-owned": "esa cuenta o línea no es del cliente.",
    "case-not-found": "ese caso no existe en este sandbox.",
    "case-state": "el caso no está en el estado que esta acción necesita.",
    "unknown-typification": "ese código no está en el catálogo de tipificaciones.",
    "typification-line": "ese código de tipificación es de otra línea (hogar o móvil) que la cuenta del caso.",
    "notes-too-long": "las notas para AC tienen como máximo 500 caracteres.",
    "case-has-pqr": "el caso tiene una PQR: no se resolvió en el primer contacto.",
    "pending-confirmation": "confirma con el cliente que no queda nada pendiente antes de cerrar.",
    "support-follow-up": "un caso de soporte no se cierra de una vez: ciérralo en seguimiento con una devolución "
    "de llamada.",
    "unsolved-follow-up": "un caso no resuelto en el primer contacto se cierra en seguimiento con una devolución "
    "de llamada.",
    "pqr-follow-up": "un caso con PQR se cierra en seguimiento de tipo PQR.",
    "follow-up-incomplete": "un seguimiento necesita el tipo de seguimiento y la devolución de llamada.",
    "follow-up-unexpected": "el tipo de seguimiento y la devolución de llamada van solo con «En seguimiento».",
    "follow-up-type-mismatch": "ese tipo de seguimiento no corresponde a la tipificación (la guía dice cuál).",
    "follow-up-without-visit": "un seguimiento de visita necesita una visita técnica agendada para el caso.",
    "follow-up-without-escalation": "un seguimiento de escalamiento necesita un escalamiento a DIME del caso.",
    "callback-in-past": "la devolución de llamada debe quedar en el futuro.",
    "callback-in-future": "el intento de llamada no puede ser posterior a la hora actual.",
    "callback-before-close": "la llamada no puede ser anterior al momento en que el caso quedó en seguimiento.",
    "close-out-unreached": "el cierre posterior se hace con el cliente: marca que lo contactaste.",
    "next-callback-missing": "si la llamada no cierra el caso, elige la próxima llamada.",
    "pqr-unanswered": "la PQR del caso aún no tiene respuesta: no se puede hacer el cierre posterior.",
    "survey-answered": "la encuesta ya fue respondida.",
    "survey-not-requested": "el caso no tiene encuesta enviada.",
    "idempotency-key-reused": "esta acción ya se registró con otros datos: recarga la página.",
}
PQR = {
    "pqr-exists": "el caso ya tiene una PQR con su CUN.",
    "pqr-first-contact": "el caso se tipificó como resuelto en el primer contacto: no lleva PQR ni CUN.",
    "cun-exhausted": "no fue posible generar un CUN nuevo: avisa a soporte.",
    "pqr-not-found": "esa PQR no existe.",
    "pqr-answered": "la PQR ya tiene respuesta.",
    "pqr-appeal": "el recurso no procede: la PQR aún no tiene respuesta o se respondió a favor del cliente.",
    "pqr-evidence": "ya no se puede ampliar el plazo de la PQR para recoger pruebas.",
}
TOOLS = {
    "account-not-found": "esa cuenta no existe.",
    "adjustment-exceeds-invoice": "el ajuste es mayor que el total de la factura.",
    "invoice-not-found": "esa factura no existe en Paradigma.",
    "invoice-not-of-account": "esa factura no es de la cuenta del caso.",
    "adjustment-not-found": "ese ajuste no existe.",
    "coverage-criteria": "indica una celda, o una latitud y longitud en Colombia.",
    "usage-window": "el periodo de consumo está fuera de rango.",
    "visit-request": "la franja de la visita debe ser una de las de 2 horas ofrecidas.",
    "escalation-request": "el escalamiento no corresponde al cliente o al caso.",
    "recharge-not-found": "esa recarga no existe en CMAX o no es de esta línea.",
    "service-problem-not-found": "ese aviso (AVISO) no existe.",
    "search-criteria": "indica solo una cuenta, un nodo o una celda.",
    "rejected-request": "el sistema rechazó la solicitud del gateway.",
}
PRACTICE = {
    "no-practice": "ese escenario no tiene cliente simulado (no tiene sección de práctica).",
    "scenario-not-found": "ese escenario no existe.",
    "invalid-scenario": "el escenario no es válido.",
}
SPANISH = PEOPLE | ACCESS | CONVERSATION | IDENTITY | CASE | PQR | TOOLS | PRACTICE
BY_STATUS = {  # any other refusal, by its status
    400: "la solicitud no es válida.",
    401: "tu acceso ya no es válido: cierra la sesión e ingresa de nuevo.",
    403: "tu acceso no permite esta acción.",
    404: "no existe lo que se buscó.",
    409: "el estado actual no lo permite.",
    422: "no cumple una regla del procedimiento.",
}


def reason(exc: ApiError) -> str:
    """The Spanish reason for a refusal: its kind's sentence, else its status family's."""
    found = SPANISH.get(exc.kind)
    if found:
        return found
    if exc.status >= 500:
        return "un sistema no respondió; inténtalo de nuevo en un momento."
    return BY_STATUS.get(exc.status, BY_STATUS[400] if exc.status < 500 else "")


def explain(action: str, exc: ApiError) -> str:
    """'No se envió el mensaje: <Spanish reason> (detalle para soporte: <gateway detail>)'."""
    return f"{action}: {reason(exc)} (detalle para soporte: {exc.detail})"
