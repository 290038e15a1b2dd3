"""The training report in Spanish (console/training_wording.py): every note the scorer writes, over hand-made
attempts that make each automatic check say each of its things (tests/training/test_scorer.py's perfect handling,
changed one fact at a time), has its Spanish sentence, never the English one after "Detalle:"; and a few of them,
with their values, are what a trainer reads."""

from __future__ import annotations

import copy

import pytest

from claro_backoffice.console import training_wording as words
from claro_backoffice.gateway.services import scenarios
from claro_backoffice.gateway.training import rubric, scorer
from tests.training.test_scorer import at, message, perfect


def _variants() -> list[dict]:
    made = [perfect()]

    def changed(change) -> None:
        evidence = copy.deepcopy(perfect())
        change(evidence)
        made.append(evidence)

    def disclose(e):
        c = e["scenario"]["customer"]
        text = f"Tu cuenta {c['accountId']} a nombre de {c['name']}, NIT {c['document']['number']}"
        e["conversation"]["messages"].insert(3, message(30, "advisor", text, at(1, 40)))

    def wrong_case(e):
        e["case"]["typification"] = {}
        e["case"]["timeline"] = [t for t in e["case"]["timeline"] if t["kind"] != "call"]
        e["case"]["timeline"].append({"at": at(5), "kind": "step", "action": "pqr filed", "outcome": "41152026"})
        e["case"] |= {"outcome": "closed", "followUpType": None, "callbackAt": None, "survey": None}
        e["conversation"]["messages"] = [
            m for m in e["conversation"]["messages"] if "gusto atenderte" not in m["content"]
        ]
        e["conversation"]["messages"][1]["content"] = "Hola, buenas"  # a welcome without the advisor's name

    def late(e):
        e["conversation"]["firstAdvisorMessageAt"] = at(15)

    def silent(e):
        e["conversation"]["messages"][5]["content"] = "Gracias"

    def never_asked(e):
        e["conversation"]["advisorRequestedAt"] = None
        e["conversation"]["document"] = {}
        e["scenario"] = copy.deepcopy(e["scenario"])
        e["scenario"]["expected"] = {}

    def nobody(e):
        e["conversation"] = {"advisorRequestedAt": at(0), "messages": []}

    def follow_up_wrong(e):
        e["case"] |= {"followUpType": "SOPORTE", "callbackAt": "2026-11-08T22:00:00-05:00"}

    for change in (disclose, wrong_case, late, silent, never_asked, nobody, follow_up_wrong):
        changed(change)
    return made


@pytest.fixture(scope="module")
def notes() -> list[tuple[str, str]]:
    the_rubric = rubric.load(scenario_names=scenarios.names())
    found = []
    for evidence in _variants():
        for item in scorer.score(the_rubric, evidence, {}, silence_minutes=3)["items"]:
            found.append((item["id"], item["note"]))
    return found


def test_every_note_the_scorer_writes_has_its_spanish(notes):
    unknown = sorted({n for _, n in notes if not words.known(n)})
    assert unknown == []
    assert len({n for _, n in notes}) >= 25  # the variants reach (nearly) every sentence of the scorer


@pytest.mark.parametrize(
    ("english", "spanish"),
    [
        ("typified nothing, expected SOP-INT-01", "No tipificó; se esperaba SOP-INT-01."),
        ("first reply after 14.0 min (10 min at most)", "Primera respuesta a los 14,0 min (máximo 10 min)."),
        (
            "expected diagnosticador, gestion in order (consulted gestion, rr; missing diagnosticador)",
            "Se esperaba Diagnosticador, Módulo de Gestión, en ese orden (consultó: Módulo de Gestión, RR; faltó: "
            "Diagnosticador).",
        ),
        ("1 PQR filed (CUN 41152026); none needed", "1 PQR radicada (CUN 41152026), pero no se necesitaba."),
        (
            "outcome closed, expected followUp; callback none not within contact hours",
            "Cerró como «cerrado», se esperaba «en seguimiento»; devolución de llamada ninguna, fuera del horario de "
            "contacto.",
        ),
        (
            "identity validated 2026-11-04T09:03:00-05:00; nothing disclosed or changed before",
            "Identidad validada el 4 nov 2026, 09:03; nada se reveló ni se cambió antes.",
        ),
        (
            "follow-up SOPORTE, expected VISITAS; callback 2026-11-08T22:00:00-05:00 not within contact hours",
            "Seguimiento Soporte (revisión técnica), se esperaba Visita técnica; devolución de llamada 8 nov 2026, "
            "22:00, fuera del horario de contacto.",
        ),
        ("0 PQR filed; one with its CUN needed", "Ninguna PQR radicada; se necesitaba una, con su CUN."),
        ("some new sentence", "Detalle: some new sentence"),
    ],
)
def test_notes_read_in_spanish_with_their_values(english, spanish):
    assert words.note(english) == spanish


def test_a_manual_note_is_the_trainers_own_comment():
    assert words.note("Tono cercano y empático", "manual") == "Tono cercano y empático"
    assert words.note("not marked yet", "manual") == "Aún sin marcar."


def test_percent_and_evidence_read_as_in_colombia():
    assert [words.percent(v) for v in (88.89, 100.0, 37.5, 0.0)] == ["88,89 %", "100 %", "37,5 %", "0 %"]
    step = {"type": "timeline", "at": at(6), "kind": "step", "system": None, "action": "typified"}
    call = {"type": "journal", "at": at(2), "system": "portalpac", "action": "PUT /x"}
    assert words.evidence(step) == "Paso del caso: Tipificado"
    assert words.evidence(call) == "PortalPAC: escritura PUT /x"
