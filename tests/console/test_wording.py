"""The gateway's refusals, told to an advisor in Spanish (the gateway's own detail kept after it, for support): one
check per family of problem kinds the console's actions can meet, every kind the gateway raises for them covered,
and any other refusal told by its status in Spanish."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from claro_backoffice import gateway
from claro_backoffice.console.client import ApiError
from claro_backoffice.console.wording import SPANISH, explain


def test_a_known_refusal_is_told_in_spanish_with_the_detail_after():
    exc = ApiError(409, "the customer's last message was more than 24 hours ago", "outside-window")
    assert explain("El mensaje no se envió", exc) == (
        "El mensaje no se envió: la ventana de 24 horas está cerrada: solo se pueden enviar plantillas aprobadas. "
        "(detalle para soporte: the customer's last message was more than 24 hours ago)"
    )


@pytest.mark.parametrize(
    ("kind", "status", "spanish"),
    [  # one per family: who acts, access, conversation, identity, case, PQR, tools, practice
        ("acting-for-another", 422, "no puede actuar por otra persona"),
        ("unknown-agent", 422, "ese usuario no existe en Almabi"),
        ("not-an-asesor", 422, "solo un asesor toma conversaciones"),
        ("advisor-not-active", 422, "el asesor no está activo en Almabi"),
        ("forbidden-sandbox", 403, "tu acceso no alcanza este sandbox"),
        ("conversation-state", 409, "la conversación no está en el estado"),
        ("invalid-document", 422, "ese número no es un documento de ese tipo"),
        ("account-not-owned", 422, "esa cuenta o línea no es del cliente"),
        ("pqr-first-contact", 409, "no lleva PQR ni CUN"),
        ("adjustment-exceeds-invoice", 422, "el ajuste es mayor que el total de la factura"),
        ("no-practice", 422, "no tiene cliente simulado"),
    ],
)
def test_each_family_is_told_in_spanish(kind, status, spanish):
    told = explain("No fue posible", ApiError(status, "an English detail", kind))
    assert told == f"No fue posible: {SPANISH[kind]} (detalle para soporte: an English detail)"
    assert spanish in told


def test_a_failing_system_and_an_unknown_refusal_are_spanish_too():
    down = ApiError(503, "rr: circuit open", "circuit-open")
    assert explain("No fue posible leer la cola", down).startswith(
        "No fue posible leer la cola: un sistema no respondió"
    )
    odd = ApiError(422, "something new", "brand-new-kind")
    assert explain("No se envió", odd) == (
        "No se envió: no cumple una regla del procedimiento. (detalle para soporte: something new)"
    )
    missing = ApiError(404, "no such thing", "about:blank")
    assert explain("No se encontró", missing).startswith("No se encontró: no existe lo que se buscó.")


# The kinds the gateway raises that the console's screens can't meet: training (other screens), the workforce's
# ideas, barometer and practices (API only), tokens, sandboxes and the WhatsApp webhook (not the console's calls).
NOT_THE_CONSOLES = re.compile(
    r"^(attempt|bad-name|class|dispute|not-a-manual|session|trainee|unknown-item|unknown-scenario|no-asesor|"
    r"idea|barometer|action|practice|token|sandbox-exists|sandbox-header|sandbox-reused|default-sandbox|admin-token|scenario-exists|webhook|"
    r"unknown-business|workforce-window|circuit-open|guide-not-found|outside-contact-hours)"
)
DOMAIN_CALLS = {"NotFound", "Conflict", "RuleBroken", "problem", "refusal"}


def _kinds_raised() -> set[str]:
    """Every problem kind written as a literal in gateway/ where a domain error or problem is raised."""
    kinds = set()
    for path in Path(gateway.__file__).parent.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call):
                continue
            name = getattr(node.func, "id", None) or getattr(node.func, "attr", None)
            if name in DOMAIN_CALLS:
                kinds |= {
                    a.value
                    for a in node.args
                    if isinstance(a, ast.Constant)
                    and isinstance(a.value, str)
                    and re.fullmatch(r"[a-z]+(-[a-z0-9]+)+", a.value)
                }
    return kinds


def test_every_kind_the_consoles_actions_can_meet_has_its_spanish():
    kinds = _kinds_raised()
    assert {"not-an-asesor", "acting-for-another", "invalid-document"} <= kinds  # the scan finds them
    missing = sorted(k for k in kinds if not NOT_THE_CONSOLES.match(k) and k not in SPANISH)
    assert missing == []
