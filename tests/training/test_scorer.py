"""The scorer against hand-worked attempts of `modem-without-sync` (facts read from the scenario file): each
expected score is worked out here from the rubric's weights, not read back from the scorer.

Automatic weights (world/data/rubric.yaml): welcome 5, punctuality 10, identity-first 10, systems-in-order 15,
typification 15, pqr 10, outcome 10, closing 5, personal-data 10 = 90; manual empathy 5 and clarity 5 count only
once marked."""

from __future__ import annotations

import copy

import pytest

from claro_backoffice.gateway.services import scenarios
from claro_backoffice.gateway.training import rubric, scorer

NAME = "modem-without-sync"
T0 = "2026-11-04T09:00:{:02d}-05:00"


def at(minute: int, second: int = 0) -> str:
    return f"2026-11-04T09:{minute:02d}:{second:02d}-05:00"


def message(n: int, author: str, text: str, when: str) -> dict:
    return {"id": f"MSG-{n}", "author": author, "content": text, "sendTime": when, "state": "sent"}


def perfect() -> dict:
    """Taken at 09:01 (asked 09:00), validated at 09:03, diagnosis, visit, the right code, follow-up VISITAS with a
    callback on Thursday 10:00, the closing script and the survey."""
    scenario = scenarios.read(NAME)
    customer, expected = scenario["customer"], scenario["expected"]
    account = customer["accountId"]
    messages = [
        message(1, "customer", "Hola", at(0)),
        message(2, "advisor", "¡Hola Inversiones! Te saluda Laura, tu asesor(a) Claro Premium.", at(1)),
        message(3, "customer", "El módem no navega", at(1, 20)),
        message(4, "advisor", "¿Me confirmas tu número de documento?", at(2)),
        message(5, "customer", f"Es el {customer['document']['number']}", at(2, 20)),
        message(6, "advisor", f"Gracias. Reviso tu cuenta {account}, un momento por favor", at(3)),
        message(7, "customer", "Listo", at(3, 20)),
        message(8, "advisor", "Agendé la visita técnica", at(7)),  # after a hold message: not a silence
        message(9, "advisor", "Inversiones, la visita quedó agendada. ¿Hay algo más en lo que pueda ayudarte?", at(8)),
        message(10, "customer", "No", at(8, 20)),
        message(
            11, "advisor", "Inversiones, fue un gusto atenderte. Damos por finalizada esta conversación.", at(8, 20)
        ),
        message(12, "bot", "En una escala de 0 a 10...", at(8, 20)),
    ]
    timeline = [
        {"at": at(3, 10), "kind": "step", "action": "opened", "outcome": "open"},
        {
            "at": at(4),
            "kind": "call",
            "system": "diagnosticador",
            "action": "GET /accounts/x/modem-check",
            "outcome": "200",
        },
        {"at": at(5), "kind": "call", "system": "gestion", "action": "POST /visits", "outcome": "201"},
        {"at": at(6), "kind": "call", "system": "rr", "action": "POST /accounts/x/markings", "outcome": "201"},
        {"at": at(6), "kind": "step", "action": "typified", "outcome": expected["typificationCode"]},
        {"at": at(8), "kind": "step", "action": "closed with the customer", "outcome": "followUp"},
    ]
    return {
        "scenario": {"name": NAME, "expected": expected, "customer": customer},
        "advisor": {"login": "asesor.x", "firstName": "Laura"},
        "conversation": {
            "advisorRequestedAt": at(0),
            "assignedAt": at(1),
            "firstAdvisorMessageAt": at(1),
            "document": {"validatedAt": at(3)},
            "closedAt": at(8, 20),
            "messages": messages,
        },
        "case": {
            "typification": {"code": expected["typificationCode"]},
            "outcome": "followUp",
            "followUpType": "VISITAS",
            "callbackAt": "2026-11-05T10:00:00-05:00",
            "survey": {"requestedAt": at(8, 20)},
            "timeline": timeline,
        },
        "journal": [
            {"system": "rr", "at": at(3), "method": "GET", "path": "/subscribers", "status": 200},
            {"system": "gestion", "at": at(5), "method": "POST", "path": "/visits", "status": 201},
        ],
        "endedAt": at(30),
    }


@pytest.fixture(scope="module")
def the_rubric() -> dict:
    return rubric.load(scenario_names=scenarios.names())


def marks(report: dict) -> dict:
    return {i["id"]: i["mark"] for i in report["items"]}


def test_a_perfect_handling_scores_100(the_rubric):
    report = scorer.score(the_rubric, perfect(), {}, silence_minutes=3)
    assert report["score"] == 100.0 and report["outOf"] == 90 and report["passed"]
    assert report["pendingManual"] == ["empathy", "clarity"]
    assert all(m == 1 for k, m in marks(report).items() if k not in ("empathy", "clarity"))


def test_manual_marks_enter_the_denominator(the_rubric):
    manual = {"empathy": {"met": True}, "clarity": {"met": False, "comment": "jerga técnica"}}
    report = scorer.score(the_rubric, perfect(), manual, silence_minutes=3)
    assert report["score"] == 95.0  # (90 + 5) / 100
    assert report["pendingManual"] == []


def test_a_wrong_code_loses_the_critical_item(the_rubric):
    evidence = perfect()
    evidence["case"]["typification"]["code"] = "SOP-INT-02"
    report = scorer.score(the_rubric, evidence, {}, silence_minutes=3)
    assert marks(report)["typification"] == 0
    assert report["score"] == 83.33  # (90 - 15) / 90 = 75 / 90
    assert report["criticalFailures"] == ["typification"] and report["passed"]  # 83.33 >= 80, no fatal item


def test_data_disclosed_before_identity_is_fatal(the_rubric):
    evidence = perfect()
    account = evidence["scenario"]["customer"]["accountId"]
    evidence["conversation"]["messages"].insert(
        3, message(30, "advisor", f"Veo que tu cuenta {account} tiene el módem fuera de línea", at(1, 40))
    )
    report = scorer.score(the_rubric, evidence, {}, silence_minutes=3)
    item = next(i for i in report["items"] if i["id"] == "identity-first")
    assert item["mark"] == 0 and item["evidence"][0]["id"] == "MSG-30"
    assert report["score"] == 88.89  # (90 - 10) / 90
    assert report["fatalFailures"] == ["identity-first"] and not report["passed"]


def test_an_account_change_before_identity_is_fatal(the_rubric):
    evidence = perfect()
    evidence["journal"].append({"system": "portalpac", "at": at(2), "method": "PUT", "path": "/x", "status": 200})
    report = scorer.score(the_rubric, evidence, {}, silence_minutes=3)
    assert marks(report)["identity-first"] == 0 and not report["passed"]


def test_an_unnecessary_pqr_loses_its_points(the_rubric):
    evidence = perfect()
    evidence["case"]["timeline"].insert(
        3, {"at": at(5, 30), "kind": "step", "action": "pqr filed", "outcome": "41152026"}
    )
    report = scorer.score(the_rubric, evidence, {}, silence_minutes=3)
    assert marks(report)["pqr"] == 0
    assert report["score"] == 88.89 and report["passed"]  # (90 - 10) / 90, no fatal item


def test_a_silence_without_hold_and_the_wrong_order(the_rubric):
    evidence = perfect()
    evidence["conversation"]["messages"][5]["content"] = "Gracias"  # no hold message: the 09:03:20 'Listo' waits 3:40
    calls = evidence["case"]["timeline"]
    calls[1], calls[2] = calls[2], calls[1]  # the visit before the diagnosis
    report = scorer.score(the_rubric, evidence, {}, silence_minutes=3)
    assert marks(report)["punctuality"] == 0 and marks(report)["systems-in-order"] == 0
    assert report["score"] == 72.22 and not report["passed"]  # (90 - 10 - 15) / 90 = 65 / 90
    assert scorer.score(the_rubric, evidence, {}, silence_minutes=4)["score"] == 83.33  # 3:40 < 4 min: 75 / 90


def test_not_applicable_items_leave_the_denominator(the_rubric):
    evidence = perfect()
    evidence["scenario"] = copy.deepcopy(evidence["scenario"])
    del evidence["scenario"]["expected"]["order"]
    report = scorer.score(the_rubric, evidence, {}, silence_minutes=3)
    assert marks(report)["systems-in-order"] is None and report["outOf"] == 75 and report["score"] == 100.0
