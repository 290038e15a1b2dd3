"""Creating a session is all or nothing: when a system fails while the class is prepared (here RR refuses
connections during the second trainee's preparation), what the first one got is undone (its token revoked, the
sandbox the session created deleted), no session is recorded, the answer names the failing system, and the same
request sent again makes the session."""

from __future__ import annotations

import pytest

from claro_backoffice.gateway.training.classroom import Classroom

TRAINER = "dev-formador"
BODY = {"class": "aula-todo", "trainees": ["ana", "beto"], "scenarios": ["modem-without-sync"]}
SANDBOXES = ["aula-todo--ana-1", "aula-todo--beto-1"]


@pytest.fixture
def cleanup(gateway_client):
    yield
    for listed in gateway_client.get("/training/sessions", token=TRAINER, params={"class": "aula-todo"}).json()[
        "sessions"
    ]:  # finished, so that the class is free for another test
        gateway_client.post(f"/training/sessions/{listed['id']}/finish", token=TRAINER)
    for sandbox in SANDBOXES:
        gateway_client.delete(f"/admin/sandboxes/{sandbox}")


def sandboxes(client) -> set[str]:
    return {s["name"] for s in client.get("/admin/sandboxes").json()["sandboxes"]} & set(SANDBOXES)


def test_a_failure_halfway_leaves_nothing_and_a_retry_works(gateway_client, cleanup, monkeypatch):
    prepare, issued = Classroom.prepare, []

    def rr_down_for_the_second(self, sandbox, *args):
        """The seam: RR refuses connections while the second attempt is prepared (it is back for the undo)."""
        if len(issued) == 1:
            gateway_client.backoffice.refuse("rr")
        try:
            made = prepare(self, sandbox, *args)
        finally:
            gateway_client.backoffice.accept()
        issued.append(made["token"])
        return made

    monkeypatch.setattr(Classroom, "prepare", rr_down_for_the_second)
    assert sandboxes(gateway_client) == set()
    failed = gateway_client.post("/training/sessions", token=TRAINER, json=BODY)
    assert failed.status_code == 503, failed.text
    assert failed.headers["content-type"] == "application/problem+json"
    problem = failed.json()
    assert problem["system"] == "rr"
    assert problem["detail"].startswith("session not created: preparing sandbox 'aula-todo--beto-1' (beto on ")
    assert "was undone" in problem["detail"]

    [ana] = issued  # the first attempt was prepared: its token is revoked, both sandboxes the session made are gone
    assert gateway_client.get("/me", token=ana["token"]).status_code == 401
    assert gateway_client.get(f"/admin/tokens/{ana['id']}").json()["revokedBy"] == "formador"
    assert sandboxes(gateway_client) == set()
    assert gateway_client.get("/training/sessions", token=TRAINER, params={"class": "aula-todo"}).json() == {
        "sessions": []
    }

    monkeypatch.setattr(Classroom, "prepare", prepare)
    made = gateway_client.post("/training/sessions", token=TRAINER, json=BODY)
    assert made.status_code == 201, made.text
    assert [a["sandbox"] for a in made.json()["attempts"]] == SANDBOXES
    assert sandboxes(gateway_client) == set(SANDBOXES)
    for attempt in made.json()["attempts"]:
        me = gateway_client.get("/me", token=attempt["token"])
        assert me.status_code == 200 and me.json()["sandbox"] == attempt["sandbox"]
