"""A report never changes after the fact: a session is scored with the rubric it was created with (its copy kept in
the registry), so a later change to world/data/rubric.yaml reaches the sessions created afterwards only; every
report says the rubric's version it used.

Nobody plays (the clock never moves): the customer never asks for an advisor, so punctuality leaves the denominator;
identity-first, personal-data and no PQR filed hold. Rubric 1: 10 + 10 + 10 = 30 of 90 - 10 = 80 -> 37.5, below
the threshold 80. Rubric 2 weighs personal-data 50 and passes at 50: 10 + 50 + 10 = 70 of 80 - 10 + 50 = 120 ->
58.33, passed."""

from __future__ import annotations

import json

import pytest

from claro_backoffice.gateway.training import rubric

TRAINER = "dev-formador"
BODY = {"class": "aula-rubrica", "trainees": ["ana"], "scenarios": ["digital-invoice-request"], "timeLimitMinutes": 30}


@pytest.fixture
def sandboxes(gateway_client):
    yield
    gateway_client.delete("/admin/sandboxes/aula-rubrica--ana-1")


def run_session(client) -> tuple[str, str]:
    made = client.post("/training/sessions", token=TRAINER, json=BODY)
    assert made.status_code == 201, made.text
    session, [attempt] = made.json()["id"], made.json()["attempts"]
    for step in ("start", "finish"):
        assert client.post(f"/training/sessions/{session}/{step}", token=TRAINER).status_code == 200
    return session, attempt["id"]


def report(client, session: str, attempt: str) -> dict:
    answer = client.get(f"/training/sessions/{session}/attempts/{attempt}", token=TRAINER)
    assert answer.status_code == 200, answer.text
    return answer.json()


def test_a_rubric_change_reaches_new_sessions_only(gateway_client, sandboxes, tmp_path, monkeypatch):
    first, first_attempt = run_session(gateway_client)
    before = report(gateway_client, first, first_attempt)
    assert (before["score"], before["passed"], before["result"]["rubricVersion"]) == (37.5, False, "1")

    changed = rubric.load()
    changed["version"] = "2"
    changed["passThreshold"] = 50
    next(i for i in changed["items"] if i["id"] == "personal-data")["weight"] = 50
    next(i for i in changed["items"] if i["id"] == "clarity")["title"] = "Claridad (v2)"
    copy = tmp_path / "rubric.yaml"
    copy.write_text(json.dumps(changed), encoding="utf-8")  # JSON is YAML
    monkeypatch.setattr(rubric, "RUBRIC_PATH", copy)
    assert gateway_client.get("/training/rubric", token=TRAINER).json()["version"] == "2"

    # The first session's report, read and marked after the change, is still scored with rubric 1.
    after = report(gateway_client, first, first_attempt)
    assert (after["score"], after["passed"], after["result"]["passThreshold"]) == (37.5, False, 80)
    assert after["result"]["rubricVersion"] == "1"
    assert gateway_client.get(f"/training/sessions/{first}", token=TRAINER).json()["rubricVersion"] == "1"
    marked = gateway_client.request(
        "PUT",
        f"/training/sessions/{first}/attempts/{first_attempt}/marks/clarity",
        token=TRAINER,
        json={"met": False, "comment": "Tecnicismos"},
    )
    assert marked.status_code == 200, marked.text
    assert marked.json()["score"] == 35.29  # 30 / (80 + clarity 5) with rubric 1 (rubric 2: 70 / 125 = 56.0)
    cohort = gateway_client.get("/training/classes/aula-rubrica/cohort", token=TRAINER).json()
    assert cohort["rubricVersion"] == "1"
    assert next(i["title"] for i in cohort["items"] if i["id"] == "clarity") == "Claridad"

    # A session created now copies rubric 2.
    second, second_attempt = run_session(gateway_client)
    new = report(gateway_client, second, second_attempt)
    assert (new["score"], new["passed"], new["result"]["rubricVersion"]) == (58.33, True, "2")
    assert report(gateway_client, first, first_attempt)["score"] == 35.29
    cohort = gateway_client.get("/training/classes/aula-rubrica/cohort", token=TRAINER).json()
    assert cohort["rubricVersion"] == "2"
    assert next(i["title"] for i in cohort["items"] if i["id"] == "clarity") == "Claridad (v2)"
