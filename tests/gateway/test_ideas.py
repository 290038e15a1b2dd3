"""Continuous improvement: ideas through their states (people checked in Almabi, illegal steps 409 naming the
state) and the barómetro (worst-rated questions, action plans and their follow-ups)."""

from __future__ import annotations

SUP, COORD = "dev-supervisor", "dev-coordinador"
IDEA = {
    "title": "Plantilla para reprogramar",
    "description": "Ofrecer las tres franjas más cercanas.",
    "raisedBy": "asesor.premium01",
}


def _raise(gateway_client, **extra):
    response = gateway_client.post("/ideas", json=IDEA | extra, token="dev-asesor")
    assert response.status_code == 201, response.text
    return response.json()


def test_an_idea_goes_from_raised_to_implemented(gateway_client):
    idea = _raise(gateway_client)
    assert (idea["status"], idea["teamId"], idea["raiserRole"]) == ("raised", "TEAM02", "asesor")
    base = f"/ideas/{idea['id']}"
    steps = [
        ("/review", {"decision": "accepted", "reviewedBy": "sup.premium02"}, "accepted"),
        ("/delivery", {"deliveredBy": "coord.premium01", "note": "Circuito de noviembre"}, "delivered"),
        ("/status", {"status": "inProgress", "recordedBy": "coord.premium01", "note": "En plan"}, "inProgress"),
        ("/status", {"status": "implemented", "recordedBy": "ger.premium01", "note": "Listo"}, "implemented"),
    ]
    for path, body, status in steps:
        response = gateway_client.post(base + path, json=body, token=COORD)
        assert response.status_code == 200 and response.json()["status"] == status, response.text
    history = gateway_client.get(base, token=SUP).json()["history"]
    assert [h["status"] for h in history] == ["raised", "accepted", "delivered", "inProgress", "implemented"]
    assert [h["by"] for h in history][-1] == "ger.premium01" and history[2]["note"] == "Circuito de noviembre"
    listed = gateway_client.get("/ideas", params={"status": "implemented"}, token="dev-asesor").json()
    assert [i["id"] for i in listed] == [idea["id"]]


def test_rejection_needs_a_reason_and_is_final(gateway_client):
    idea = _raise(gateway_client)
    review = f"/ideas/{idea['id']}/review"
    bare = gateway_client.post(review, json={"decision": "rejected", "reviewedBy": "coord.premium02"}, token=SUP)
    assert bare.status_code == 422 and "reason" in bare.json()["detail"]
    rejected = gateway_client.post(
        review,
        json={"decision": "rejected", "reviewedBy": "coord.premium02", "reason": "Fuera del alcance del canal"},
        token=SUP,
    ).json()
    assert (rejected["status"], rejected["reason"]) == ("rejected", "Fuera del alcance del canal")
    again = gateway_client.post(f"/ideas/{idea['id']}/delivery", json={"deliveredBy": "coord.premium01"}, token=SUP)
    assert again.status_code == 409 and "is rejected" in again.json()["detail"]


def test_illegal_steps_and_wrong_people(gateway_client):
    idea = _raise(gateway_client)
    early = gateway_client.post(
        f"/ideas/{idea['id']}/status",
        token=COORD,
        json={"status": "implemented", "recordedBy": "coord.premium01", "note": "x"},
    )
    assert early.status_code == 409 and early.json()["ideaStatus"] == "raised"
    by_advisor = gateway_client.post(
        f"/ideas/{idea['id']}/review", token=SUP, json={"decision": "accepted", "reviewedBy": "asesor.premium02"}
    )
    assert by_advisor.status_code == 422 and "asesor" in by_advisor.json()["detail"]
    coordinator_raising = gateway_client.post("/ideas", json=IDEA | {"raisedBy": "coord.premium01"})
    assert coordinator_raising.status_code == 422
    assert (
        gateway_client.post(
            "/ideas/IDEA-999999/review", token=SUP, json={"decision": "accepted", "reviewedBy": "sup.premium02"}
        ).status_code
        == 404
    )
    assert (
        gateway_client.post(
            f"/ideas/{idea['id']}/review",
            token="dev-asesor",
            json={"decision": "accepted", "reviewedBy": "sup.premium02"},
        ).status_code
        == 403
    )


BAROMETER = {
    "teamId": "TEAM02",
    "period": "2026-S2",
    "respondents": 11,
    "recordedBy": "sup.premium02",
    "questions": [
        {"code": "Q1", "text": "Objetivos", "score": 4.5},
        {"code": "Q2", "text": "Feedback", "score": 3.1},
        {"code": "Q3", "text": "Herramientas", "score": 2.8},
        {"code": "Q4", "text": "Carga", "score": 2.6},
        {"code": "Q5", "text": "Reconocimiento", "score": 3.1},
    ],
}


def test_barometer_worst_questions_actions_and_follow_ups(gateway_client):
    created = gateway_client.post("/barometer", json=BAROMETER, token=SUP)
    assert created.status_code == 201, created.text
    barometer = created.json()
    expected = sorted(BAROMETER["questions"], key=lambda q: q["score"])[:3]
    assert [q["code"] for q in barometer["worstQuestions"]] == [q["code"] for q in expected] == ["Q4", "Q3", "Q2"]
    assert gateway_client.post("/barometer", json=BAROMETER, token=SUP).status_code == 409
    base = f"/barometer/{barometer['id']}/actions"
    action = {
        "questionCode": "Q4",
        "description": "Revisar la carga por franja",
        "owner": "sup.premium02",
        "dueDate": "2026-12-15",
    }
    with_action = gateway_client.post(base, json=action, token=SUP).json()
    action_id = with_action["actions"][0]["id"]
    assert with_action["actions"][0]["status"] == "agreed"
    for status in ("inProgress", "done"):
        response = gateway_client.post(
            f"{base}/{action_id}/follow-up",
            token=SUP,
            json={"status": status, "recordedBy": "coord.premium01", "note": status},
        )
        assert response.status_code == 200, response.text
    read = gateway_client.get(f"/barometer/{barometer['id']}", token=SUP).json()
    assert read["actions"][0]["status"] == "done"
    assert [f["status"] for f in read["actions"][0]["followUps"]] == ["inProgress", "done"]
    closed = gateway_client.post(
        f"{base}/{action_id}/follow-up",
        token=SUP,
        json={"status": "inProgress", "recordedBy": "coord.premium01", "note": "otra"},
    )
    assert closed.status_code == 409 and "is done" in closed.json()["detail"]
    bad = [
        (base, action | {"questionCode": "Q9"}),
        (base, action | {"owner": "nadie.premium99"}),
        (base, action | {"dueDate": "2020-01-01"}),
        ("/barometer", BAROMETER | {"teamId": "TEAM99"}),
    ]
    for path, body in bad:
        assert gateway_client.post(path, json=body, token=SUP).status_code == 422, body


def test_ideas_fail_naming_almabi(gateway_client):
    gateway_client.backoffice.refuse("almabi")
    response = gateway_client.post("/ideas", json=IDEA, token="dev-asesor")
    assert response.status_code == 503 and response.json()["system"] == "almabi"
