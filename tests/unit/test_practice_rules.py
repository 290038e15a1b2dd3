"""The practice customer's rule choice (gateway/practice/rules.py), by hand: case and accents ignored on both
sides, the first applicable rule wins, `once` and `after` hold, `otherwise` answers only the advisor."""

from __future__ import annotations

import datetime as dt

from claro_backoffice.gateway.practice.rules import Event, fill, matches, respond, step_event

AT = dt.datetime(2026, 11, 4, 9, 0, tzinfo=dt.timezone(dt.timedelta(hours=-5)))
SCRIPT = {
    "delaySeconds": 20,
    "rules": [
        {"id": "document", "when": {"said": ["cédula", r"\bnit\b"]}, "say": ["Es el {document}"], "once": True},
        {"id": "tried", "when": {"said": ["reinici"]}, "say": ["Sí"], "after": ["document"], "delaySeconds": 5},
        {"id": "visit", "when": {"did": "call", "system": "gestion", "matching": ["^POST /visits"]}, "say": ["Ok"]},
        {"id": "consent", "when": {"said": ["autorizas"], "by": "bot"}, "say": ["Acepto"]},
    ],
    "otherwise": ["Listo"],
}


def said(text: str, by: str = "advisor") -> Event:
    return Event(AT, text, said_by=by)


def test_case_and_accents_are_ignored_on_both_sides():
    assert matches(["cédula"], "¿ME DAS TU CEDULA?") and matches(["cedula"], "¿Me das tu cédula?")
    assert matches([r"\bnit\b"], "Tu NIT, por favor") and not matches([r"\bnit\b"], "unitario")


def test_the_first_rule_that_may_fire_answers():
    assert respond(SCRIPT, said("¿Cuál es tu cédula?"), {}).rule == "document"
    assert respond(SCRIPT, said("¿Cuál es tu cédula?"), {"document": 1}).rule == "otherwise"  # once
    assert respond(SCRIPT, said("¿Ya reiniciaste?"), {}).rule == "otherwise"  # after: document first
    tried = respond(SCRIPT, said("¿Ya reiniciaste?"), {"document": 1})
    assert (tried.rule, tried.lines, tried.delay) == ("tried", ["Sí"], 5)


def test_the_bot_and_the_back_office_have_their_own_rules_and_no_otherwise():
    assert respond(SCRIPT, said("¿Nos autorizas?", by="bot"), {}).rule == "consent"
    assert respond(SCRIPT, said("¿Nos autorizas?"), {}).rule == "otherwise"  # by: bot only
    assert respond(SCRIPT, said("Responde SI o NO", by="bot"), {}) is None
    booked = step_event(AT, "call", "gestion", "POST /visits", "201")
    assert respond(SCRIPT, booked, {}).rule == "visit"
    assert respond(SCRIPT, step_event(AT, "call", "gestion", "GET /visits/V1", "200"), {}) is None
    assert step_event(AT, "step", None, "typified", "SOP-INT-01") == Event(AT, "SOP-INT-01", did="typification")


def test_placeholders_come_from_the_customer():
    customer = {"name": "Inversiones  Uribe S.A.S.", "document": {"type": "NIT", "number": "900"}, "phone": "3001"}
    assert fill("{documentType} {document} {firstName} {name} {phone}", customer) == (
        "NIT 900 Inversiones Inversiones Uribe S.A.S. 3001"
    )
