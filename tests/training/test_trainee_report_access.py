"""A trainee reads their own report with the token the session gave them (to see the marks they may dispute): the
trainee report answers with the attempt of the token's sandbox only; another trainee's report, an unpinned asesor's
token and a token pinned elsewhere are refused (403, problem+json), and nothing of another attempt is shown."""

from __future__ import annotations

import pytest

TRAINER = "dev-formador"
CLASS = "aula-ver"
SCENARIOS = ["digital-invoice-request", "modem-without-sync"]


@pytest.fixture
def session(gateway_client):
    body = {"class": CLASS, "trainees": ["ana", "beto"], "scenarios": SCENARIOS, "timeLimitMinutes": 30}
    planned = gateway_client.post("/training/sessions", token=TRAINER, json=body)
    assert planned.status_code == 201, planned.text
    made = planned.json()
    yield made
    for a in made["attempts"]:
        gateway_client.delete(f"/admin/sandboxes/{a['sandbox']}")


def test_a_trainee_reads_only_their_own_attempt(gateway_client, session):
    sid = session["id"]
    assert gateway_client.post(f"/training/sessions/{sid}/start", token=TRAINER).status_code == 200
    assert gateway_client.post(f"/training/sessions/{sid}/finish", token=TRAINER).status_code == 200
    ana_2 = next(a for a in session["attempts"] if (a["trainee"], a["scenario"]) == ("ana", SCENARIOS[1]))

    mine = gateway_client.get(f"/training/sessions/{sid}/trainees/ana/report", token=ana_2["token"])
    assert mine.status_code == 200, mine.text
    report = mine.json()
    assert [a["id"] for a in report["attempts"]] == [ana_2["id"]]
    assert report["attempts"][0]["sandbox"] == f"{CLASS}--ana-2" and report["attempts"][0]["result"] is not None
    # Nobody played (the clock never moved): the customer never asked for an advisor, so punctuality (10) leaves the
    # denominator (90 - 10 = 80); identity-first, personal-data and no PQR filed hold: 30 / 80 = 37.5.
    assert report["meanScore"] == 37.5 and report["passed"] == 0

    trainer_view = gateway_client.get(f"/training/sessions/{sid}/trainees/ana/report", token=TRAINER).json()
    assert len(trainer_view["attempts"]) == 2

    for token, trainee in ((ana_2["token"], "beto"), ("dev-asesor", "ana"), ("dev-trainee", "ana")):
        refused = gateway_client.get(f"/training/sessions/{sid}/trainees/{trainee}/report", token=token)
        assert refused.status_code == 403, (trainee, refused.text)
        assert refused.headers["content-type"] == "application/problem+json"
    other = gateway_client.get(f"/training/sessions/{sid}/trainees/beto/report", token=ana_2["token"]).json()
    assert f"no attempt of trainee 'beto' in session {sid}" in other["detail"]
