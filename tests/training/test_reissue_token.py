"""A lost access card: a trainer reissues one trainee's token for an attempt; the old token is revoked (401), the new
one is shown once and acts as the attempt's asesor pinned to its sandbox. Trainers only; 404 for an unknown attempt;
409 once a later session of the class reuses the attempt's sandbox."""

from __future__ import annotations

import pytest

TRAINER = "dev-formador"
BODY = {"class": "aula-tarjeta", "trainees": ["ana", "beto"], "scenarios": ["digital-invoice-request"]}


@pytest.fixture
def session(gateway_client):
    made = gateway_client.post("/training/sessions", token=TRAINER, json=BODY)
    assert made.status_code == 201, made.text
    yield made.json()
    for listed in gateway_client.get("/training/sessions", token=TRAINER, params={"class": BODY["class"]}).json()[
        "sessions"
    ]:  # finished, so that the class is free for the next test
        gateway_client.post(f"/training/sessions/{listed['id']}/finish", token=TRAINER)
    for a in made.json()["attempts"]:
        gateway_client.delete(f"/admin/sandboxes/{a['sandbox']}")


def test_a_trainer_reissues_a_lost_token(gateway_client, session):
    sid = session["id"]
    ana, beto = session["attempts"]
    assert gateway_client.get("/me", token=ana["token"]).status_code == 200

    answer = gateway_client.post(f"/training/sessions/{sid}/attempts/{ana['id']}/token", token=TRAINER)
    assert answer.status_code == 201, answer.text
    card = answer.json()
    assert card["id"] == ana["id"] and card["token"] != ana["token"] and card["tokenId"] != ana["tokenId"]

    old = gateway_client.get("/me", token=ana["token"])
    assert old.status_code == 401 and old.headers["content-type"] == "application/problem+json"
    me = gateway_client.get("/me", token=card["token"])
    assert me.status_code == 200, me.text
    assert (me.json()["role"], me.json()["user"], me.json()["sandbox"]) == ("asesor", ana["advisor"], ana["sandbox"])
    assert me.json()["tokenId"] == card["tokenId"]
    # The session now names the new token; the new card reads its own attempt, not beto's; beto's card still works.
    seen = gateway_client.get(f"/training/sessions/{sid}", token=TRAINER).json()
    assert [a["tokenId"] for a in seen["attempts"]] == [card["tokenId"], beto["tokenId"]]
    assert "token" not in seen["attempts"][0]  # shown once, in the reissue's answer
    assert gateway_client.get(f"/training/sessions/{sid}/attempts/{ana['id']}", token=card["token"]).status_code == 200
    assert gateway_client.get(f"/training/sessions/{sid}/attempts/{beto['id']}", token=card["token"]).status_code == 403
    assert gateway_client.get("/me", token=beto["token"]).status_code == 200
    revoked = gateway_client.get(f"/admin/tokens/{ana['tokenId']}").json()
    assert revoked["revokedBy"] == "formador" and revoked["revokedAt"]


def test_who_may_reissue_and_what_for(gateway_client, session):
    sid = session["id"]
    ana = session["attempts"][0]
    path = f"/training/sessions/{sid}/attempts/{ana['id']}/token"
    assert gateway_client.post(path, token=ana["token"]).status_code == 403  # a trainee can't mint cards
    assert gateway_client.post(path, token="dev-asesor").status_code == 403
    assert gateway_client.post(path, token=None).status_code == 401
    missing = gateway_client.post(f"/training/sessions/{sid}/attempts/TRA-999999/token", token=TRAINER)
    assert missing.status_code == 404 and "TRA-999999" in missing.json()["detail"]
    assert gateway_client.post(path, token="dev-admin").status_code == 201

    # A later session of the class reuses the sandboxes: a card for the old attempt would reach the new one.
    assert gateway_client.post(f"/training/sessions/{sid}/finish", token=TRAINER).status_code == 200
    later = gateway_client.post("/training/sessions", token=TRAINER, json=BODY)
    assert later.status_code == 201, later.text
    reused = gateway_client.post(path, token=TRAINER)
    assert reused.status_code == 409 and reused.headers["content-type"] == "application/problem+json"
    assert f"now belongs to session {later.json()['id']}" in reused.json()["detail"]
