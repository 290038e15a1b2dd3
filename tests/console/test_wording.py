"""The gateway's refusals, told to an advisor in Spanish (the gateway's own detail kept after it)."""

from __future__ import annotations

from claro_backoffice.console.client import ApiError
from claro_backoffice.console.wording import explain


def test_a_known_refusal_is_told_in_spanish_with_the_detail_after():
    exc = ApiError(409, "the customer's last message was more than 24 hours ago", "outside-window")
    assert explain("El mensaje no se envió", exc) == (
        "El mensaje no se envió: La ventana de 24 horas está cerrada: solo se pueden enviar plantillas aprobadas. "
        "(detalle: the customer's last message was more than 24 hours ago)"
    )


def test_a_failing_system_and_an_unknown_refusal():
    down = ApiError(503, "rr: circuit open", "circuit-open")
    assert explain("No fue posible leer la cola", down).startswith(
        "No fue posible leer la cola: un sistema no respondió"
    )
    odd = ApiError(422, "something new", "brand-new-kind")
    assert explain("No se envió", odd) == "No se envió (422): something new"
