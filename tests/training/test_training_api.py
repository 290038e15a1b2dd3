"""A trainer runs a class through /api/v1/training: sessions of trainees x scenarios, each attempt in its own
sandbox `<class>--<trainee>-<n>` with the scenario's practice customer, handled by trainees with the tokens the
session issued (good and bad handlings scripted in tests/training/trainee.py), finished, scored, reported, and the
class's cohort data. Expected scores are worked out from the rubric's weights (automatic total 90; manual items out
of the denominator until marked): a good handling 90/90 = 100; data disclosed before identity loses identity-first
(10): 80/90 = 88.89 but fails (fatal); a trainee who never took the chat before the time limit keeps only
identity-first, personal-data and the PQR not filed (10 + 10 + 10 = 30/90 = 33.33); one who leaves the customer
4 minutes without a hold message loses punctuality (80/90 = 88.89, passes); one who never closes loses outcome and
closing (75/90 = 83.33, passes)."""

from __future__ import annotations

import pytest

from tests.flow.driver import InProcess
from tests.flow.flows import START
from tests.training.trainee import Trainee

CLASS = "aula-7"
SCENARIOS = ["digital-invoice-request", "modem-without-sync", "massive-internet-outage"]
TRAINEES = ["ana", "beto", "caro", "dani", "eva"]
TRAINER = "dev-formador"


@pytest.fixture
def classroom(gateway_client):
    made = []
    yield made
    for sandbox in made:
        gateway_client.delete(f"/admin/sandboxes/{sandbox}")


def trainer(client, method: str, path: str, status: int = 200, **kw) -> dict:
    answer = client.request(method, f"/training{path}", token=TRAINER, **kw)
    assert answer.status_code == status, f"{method} {path} -> {answer.status_code}: {answer.text}"
    return answer.json()


def scores(report: dict) -> dict:
    return {a["scenario"]: (a["score"], a["passed"]) for a in report["attempts"]}


def test_a_class_runs_through_the_api(gateway_client, classroom):
    planned = trainer(
        gateway_client,
        "POST",
        "/sessions",
        201,
        json={"class": CLASS, "trainees": TRAINEES, "scenarios": SCENARIOS, "timeLimitMinutes": 30},
    )
    classroom.extend(a["sandbox"] for a in planned["attempts"])
    assert planned["state"] == "planned" and len(planned["attempts"]) == 15
    assert {a["sandbox"] for a in planned["attempts"]} == {f"{CLASS}--{t}-{n}" for t in TRAINEES for n in (1, 2, 3)}
    tokens = {(a["trainee"], a["scenario"]): a["token"] for a in planned["attempts"]}
    session = planned["id"]
    # A second session of the class while this one is not finished: its sandboxes are in use.
    again = gateway_client.post(
        "/training/sessions", token=TRAINER, json={"class": CLASS, "trainees": ["x"], "scenarios": SCENARIOS[:1]}
    )
    assert again.status_code == 409 and again.headers["content-type"] == "application/problem+json"

    admin = InProcess(gateway_client)
    for a in planned["attempts"]:
        admin.in_sandbox(a["sandbox"]).ok("POST", "/admin/clock", json={"set": START, "frozen": True})
    running = trainer(gateway_client, "POST", f"/sessions/{session}/start")
    assert running["state"] == "running" and all(a["state"] == "running" for a in running["attempts"])
    assert gateway_client.post(f"/training/sessions/{session}/start", token=TRAINER).status_code == 409

    beto_live = next(a for a in running["attempts"] if a["trainee"] == "beto")
    for a in running["attempts"]:
        d = InProcess(gateway_client, a["sandbox"], tokens[(a["trainee"], a["scenario"])])
        t = Trainee(d, admin.in_sandbox(a["sandbox"]), a)
        if a["trainee"] == "ana":
            t.good()
        elif a["trainee"] == "beto":
            t.discloses_first()
        elif a["trainee"] == "dani":
            t.slow()
        elif a["trainee"] == "eva":
            t.never_closes()
        else:  # caro's screen is open (it polls, so the customer gets to ask for an advisor) but never takes the chat
            t.later(10)
            t.later(10)

    # The live view: beto's attempt as it stands, scored provisionally, the disclosure already seen.
    live = trainer(gateway_client, "GET", f"/sessions/{session}/attempts/{beto_live['id']}/live")
    assert live["state"] == "running" and live["result"]["fatalFailures"] == ["identity-first"]
    assert any(e["kind"] == "message" and "Veo la cuenta" in (e["text"] or "") for e in live["replay"])

    # A trainee's token can't reach another trainee's sandbox, nor the trainer's operations.
    ana = tokens[("ana", SCENARIOS[0])]
    beto_attempt = next(a for a in running["attempts"] if a["trainee"] == "beto")
    assert (
        gateway_client.get(f"/training/sessions/{session}/attempts/{beto_attempt['id']}", token=ana).status_code == 403
    )
    assert gateway_client.post(f"/training/sessions/{session}/finish", token=ana).status_code == 403

    # caro's attempts end at the time limit, in their sandboxes' virtual time.
    for a in running["attempts"]:
        if a["trainee"] == "caro":
            admin.in_sandbox(a["sandbox"]).ok("POST", "/admin/clock", json={"advance": "PT31M"})
    seen = trainer(gateway_client, "GET", f"/sessions/{session}")
    assert [a["state"] for a in seen["attempts"] if a["trainee"] == "caro"] == ["finished"] * 3
    assert seen["state"] == "running"
    finished = trainer(gateway_client, "POST", f"/sessions/{session}/finish")
    assert finished["state"] == "finished" and finished["finishedBy"] == "formador"

    listed = trainer(gateway_client, "GET", "/sessions", params={"class": CLASS, "state": "finished"})["sessions"]
    assert [s["id"] for s in listed] == [session]
    assert trainer(gateway_client, "GET", "/sessions", params={"class": CLASS, "state": "running"})["sessions"] == []
    reports = {t: trainer(gateway_client, "GET", f"/sessions/{session}/trainees/{t}/report") for t in TRAINEES}
    assert scores(reports["ana"]) == {s: (100.0, True) for s in SCENARIOS}
    assert scores(reports["beto"]) == {s: (88.89, False) for s in SCENARIOS}
    assert scores(reports["caro"]) == {s: (33.33, False) for s in SCENARIOS}
    assert scores(reports["dani"]) == {s: (88.89, True) for s in SCENARIOS}
    assert scores(reports["eva"]) == {s: (83.33, True) for s in SCENARIOS}
    for attempt in reports["beto"]["attempts"]:
        item = next(i for i in attempt["result"]["items"] if i["id"] == "identity-first")
        assert attempt["result"]["fatalFailures"] == ["identity-first"]
        assert item["evidence"][0]["type"] == "message" and "Veo la cuenta" in item["evidence"][0]["text"]
        kinds = [e["kind"] for e in attempt["replay"]]
        assert {"message", "call", "step", "rubric"} <= set(kinds)
        times = [e["at"] for e in attempt["replay"]]
        assert [e["step"] for e in attempt["replay"]] == list(range(1, len(kinds) + 1)) and times == sorted(times)

    # The evidence is frozen: resetting a sandbox later changes no report.
    first = reports["ana"]["attempts"][0]
    admin.in_sandbox(first["sandbox"]).ok("POST", f"/admin/scenarios/{first['scenario']}", json={"reset": True})
    assert trainer(gateway_client, "GET", f"/sessions/{session}/attempts/{first['id']}")["score"] == 100.0

    # Manual marks, a dispute by the trainee with their own token, the trainer's answer.
    marked = trainer(
        gateway_client,
        "PUT",
        f"/sessions/{session}/attempts/{first['id']}/marks/clarity",
        json={"met": False, "comment": "Tecnicismos"},
    )
    assert marked["result"]["score"] == 94.74  # 90 / 95
    disputed = gateway_client.post(
        f"/training/sessions/{session}/attempts/{first['id']}/disputes",
        token=tokens[("ana", first["scenario"])],
        json={"item": "clarity", "text": "Expliqué cada paso"},
    )
    assert disputed.status_code == 201, disputed.text
    answered = trainer(
        gateway_client,
        "POST",
        f"/sessions/{session}/attempts/{first['id']}/disputes/1/answer",
        json={"text": "Se mantiene"},
    )
    [dispute] = answered["disputes"]
    assert dispute["text"] == "Expliqué cada paso" and dispute["answer"]["text"] == "Se mantiene"
    assert dispute["by"] == first["advisor"]  # the trainee's token acts as the asesor the session named
    not_manual = gateway_client.request(
        "PUT", f"/training/sessions/{session}/attempts/{first['id']}/marks/welcome", token=TRAINER, json={"met": True}
    )
    assert not_manual.status_code == 422 and "not a manual rubric item" in not_manual.json()["detail"]

    cohort = trainer(gateway_client, "GET", f"/classes/{CLASS}/cohort")
    rows = {r["trainee"]: r for r in cohort["trainees"]}
    assert rows["ana"]["items"]["typification"] == {"mastery": 1.0, "attempts": 3, "mastered": True}
    assert rows["ana"]["items"]["clarity"] == {"mastery": 0.0, "attempts": 1, "mastered": False}
    assert rows["beto"]["items"]["identity-first"] == {"mastery": 0.0, "attempts": 3, "mastered": False}
    assert rows["caro"]["items"]["welcome"]["mastery"] == 0.0
    assert {s["scenario"]: (s["trainees"], s["passed"]) for s in cohort["scenarios"]} == {s: (5, 3) for s in SCENARIOS}
    assert rows["dani"]["items"]["punctuality"]["mastery"] == 0.0 and rows["eva"]["items"]["outcome"]["mastery"] == 0.0
    assert rows["ana"]["scenariosPassed"] == sorted(SCENARIOS) and rows["beto"]["scenariosPassed"] == []
    # hogar-soporte = massive-internet-outage + modem-without-sync (world/data/rubric.yaml)
    assert {r["trainee"]: r["certifications"] for r in cohort["trainees"]} == {
        "ana": ["hogar-soporte"],
        "beto": [],
        "caro": [],
        "dani": ["hogar-soporte"],
        "eva": ["hogar-soporte"],
    }


def test_unknown_sessions_and_roles(gateway_client):
    missing = gateway_client.get("/training/sessions/TRS-999999", token=TRAINER)
    assert missing.status_code == 404 and missing.headers["content-type"] == "application/problem+json"
    assert "TRS-999999" in missing.json()["detail"]
    assert gateway_client.get("/training/sessions", token="dev-asesor").status_code == 403
    assert gateway_client.get("/training/classes/nadie/cohort", token=TRAINER).status_code == 404
    unknown = gateway_client.post(
        "/training/sessions", token=TRAINER, json={"class": "aula-8", "trainees": ["ana"], "scenarios": ["no-such"]}
    )
    assert unknown.status_code == 422 and "no-such" in unknown.json()["detail"]


def test_a_token_pinned_to_a_sandbox_runs_no_class(gateway_client):
    """A class creates sandboxes of its own: an admin token pinned to one sandbox (the README's contract run uses
    dev-admin-st) may not create, list or drive sessions, and creates no sandbox trying."""
    before = {s["name"] for s in gateway_client.get("/admin/sandboxes").json()["sandboxes"]}
    body = {"class": "aula-pin", "trainees": ["ana"], "scenarios": ["modem-without-sync"]}
    refused = gateway_client.post("/training/sessions", token="dev-admin-st", json=body)
    assert refused.status_code == 403 and refused.json()["type"].endswith("/forbidden-sandbox"), refused.text
    assert "pinned to sandbox 'st'" in refused.json()["detail"]
    assert gateway_client.get("/training/sessions", token="dev-admin-st").status_code == 403
    assert {s["name"] for s in gateway_client.get("/admin/sandboxes").json()["sandboxes"]} == before
