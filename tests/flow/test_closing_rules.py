"""Closing and following up a case as the procedure says (issue 14): the typification code's category decides
whether a case may be closed outright, a case not solved at first contact goes to follow-up, a case whose PQR is
unanswered is not closed out, and callback attempts keep Ley 2300/2023 contact hours. Cases are planted open in
the CRM and typified, closed and called back through the API; times are the sandbox's frozen clock."""

from __future__ import annotations

from tests.support.cases import escalation, plant_case

WEDNESDAY = "2026-11-04T09:00:00-05:00"
THURSDAY_10 = "2026-11-05T10:00:00-05:00"  # inside contact hours
FOLLOW_UP = {"outcome": "followUp", "callbackAt": THURSDAY_10, "nothingPending": True}


def set_clock(gw, when: str) -> None:
    answer = gw.post("/admin/clock", json={"set": when, "frozen": True})
    assert answer.status_code == 200, answer.text


def typified_case(gw, code: str, resolved: bool, category: str = "SAC", key: str = "") -> str:
    case_id = plant_case(gw.app.runtime, category=category, product="internet")
    body = {"code": code, "notes": "Gestión del caso", "resolvedFirstContact": resolved}
    typed = gw.post(
        f"/cases/{case_id}/typification", json=body, headers={"Idempotency-Key": f"closing-rules-{case_id}{key}"}
    )
    assert typed.status_code == 200, typed.text
    return case_id


def problem(answer, status: int, kind: str) -> str:
    assert answer.status_code == status, answer.text
    assert answer.json()["type"].endswith(f"/{kind}"), answer.json()
    return answer.json()["detail"]


def test_a_sac_case_typified_with_a_support_code_is_followed_up_as_support(gateway_client):
    gw = gateway_client
    set_clock(gw, WEDNESDAY)
    case_id = typified_case(gw, "SOP-INT-02", resolved=False)
    detail = problem(
        gw.post(f"/cases/{case_id}/close", json={"outcome": "closed", "nothingPending": True}),
        422,
        "support-follow-up",
    )
    assert "SOP-INT-02" in detail and "followUp" in detail
    closed = gw.post(f"/cases/{case_id}/close", json=dict(FOLLOW_UP, followUpType="SOPORTE"))
    assert closed.status_code == 200, closed.text
    assert closed.json()["status"] == "followUp" and closed.json()["callbackAt"] == THURSDAY_10


def test_a_case_not_solved_at_first_contact_goes_to_follow_up_with_a_callback(gateway_client):
    gw = gateway_client
    set_clock(gw, WEDNESDAY)
    case_id = typified_case(gw, "SAC-FAC-04", resolved=False)
    detail = problem(
        gw.post(f"/cases/{case_id}/close", json={"outcome": "closed", "nothingPending": True}),
        422,
        "unsolved-follow-up",
    )
    assert "first contact" in detail and "callbackAt" in detail
    assert gw.get(f"/cases/{case_id}").json()["status"] == "typified"
    billing = escalation(case_id, area="FACT", typification="SAC-FAC-04", description="Cobro no reconocido: revisión.")
    assert gw.post("/troubleTicket", json=billing).status_code == 201  # an ESCALAMIENTOS follow-up waits on a ticket
    closed = gw.post(f"/cases/{case_id}/close", json=dict(FOLLOW_UP, followUpType="ESCALAMIENTOS"))
    assert closed.status_code == 200 and closed.json()["status"] == "followUp", closed.text


def test_a_case_typified_sac_and_solved_at_first_contact_closes_outright(gateway_client):
    gw = gateway_client
    set_clock(gw, WEDNESDAY)
    # Opened as SOPORTE, it turned out a billing question: the code's category (SAC) decides.
    case_id = typified_case(gw, "SAC-FAC-04", resolved=True, category="SOPORTE")
    closed = gw.post(f"/cases/{case_id}/close", json={"outcome": "closed", "nothingPending": True})
    assert closed.status_code == 200 and closed.json()["status"] == "closed", closed.text


def test_a_pqr_case_is_not_closed_out_while_its_pqr_is_unanswered(gateway_client):
    gw = gateway_client
    set_clock(gw, WEDNESDAY)
    case_id = plant_case(gw.app.runtime, category="PQR", product="general")
    pqr = gw.post(f"/cases/{case_id}/pqr", json={"description": "Cobro no reconocido de 45.900"})
    assert pqr.status_code == 201, pqr.text
    pqr_id = pqr.json()["id"]
    body = {"code": "PQR-FAC-01", "notes": "PQR radicada", "resolvedFirstContact": False}
    typed = gw.post(f"/cases/{case_id}/typification", json=body, headers={"Idempotency-Key": "closing-rules-pqr"})
    assert typed.status_code == 200, typed.text
    closed = gw.post(f"/cases/{case_id}/close", json=dict(FOLLOW_UP, followUpType="PQR"))
    assert closed.status_code == 200, closed.text
    set_clock(gw, "2026-11-05T10:05:00-05:00")
    close_out = {"reached": True, "outcome": "solved", "closeOut": True}
    detail = problem(gw.post(f"/cases/{case_id}/callbacks", json=close_out), 422, "pqr-unanswered")
    assert pqr_id in detail and f"/pqrs/{pqr_id}/answer" in detail
    case = gw.get(f"/cases/{case_id}").json()
    assert case["status"] == "followUp" and case["callbacks"] == []
    # The callback that does not close out is recorded; once the PQR is answered, the close-out goes through.
    pending = {"reached": True, "outcome": "pending", "nextCallbackAt": "2026-11-06T10:00:00-05:00"}
    assert gw.post(f"/cases/{case_id}/callbacks", json=pending).status_code == 201
    answered = gw.post(f"/pqrs/{pqr_id}/answer", json={"answer": "Se reversa el cobro.", "favourable": True})
    assert answered.status_code == 200, answered.text
    done = gw.post(f"/cases/{case_id}/callbacks", json=close_out)
    assert done.status_code == 201, done.text
    assert done.json()["status"] == "closed" and done.json()["closedOutAt"] == "2026-11-05T10:05:00-05:00"


def in_follow_up(gw) -> str:
    set_clock(gw, WEDNESDAY)
    case_id = typified_case(gw, "SOP-INT-02", resolved=False, category="SOPORTE")  # the guide: SOPORTE
    closed = gw.post(f"/cases/{case_id}/close", json=dict(FOLLOW_UP, followUpType="SOPORTE"))
    assert closed.status_code == 200, closed.text
    return case_id


def test_a_callback_attempt_on_sunday_night_is_outside_contact_hours(gateway_client):
    gw = gateway_client
    case_id = in_follow_up(gw)
    set_clock(gw, "2026-11-09T08:00:00-05:00")  # Monday: the stated Sunday 22:00 is in the past
    attempt = {"at": "2026-11-08T22:00:00-05:00", "reached": False, "outcome": "noAnswer"}
    attempt["nextCallbackAt"] = "2026-11-09T10:00:00-05:00"
    detail = problem(gw.post(f"/cases/{case_id}/callbacks", json=attempt), 422, "outside-contact-hours")
    # Sunday → the next window opens Monday 9 Nov 07:00 Bogotá.
    assert "Sunday" in detail and "the next allowed moment is 2026-11-09T07:00:00-05:00" in detail
    assert gw.get(f"/cases/{case_id}").json()["callbacks"] == []
    ok = gw.post(f"/cases/{case_id}/callbacks", json=dict(attempt, at="2026-11-09T07:30:00-05:00"))
    assert ok.status_code == 201, ok.text
    assert [c["at"] for c in ok.json()["callbacks"]] == ["2026-11-09T07:30:00-05:00"]


def test_a_callback_attempt_at_the_sandbox_now_keeps_contact_hours(gateway_client):
    gw = gateway_client
    case_id = in_follow_up(gw)
    set_clock(gw, "2026-11-08T22:00:00-05:00")  # Sunday 22:00: the attempt's time is the sandbox's now
    attempt = {"reached": False, "outcome": "noAnswer", "nextCallbackAt": "2026-11-09T10:00:00-05:00"}
    detail = problem(gw.post(f"/cases/{case_id}/callbacks", json=attempt), 422, "outside-contact-hours")
    assert "the next allowed moment is 2026-11-09T07:00:00-05:00" in detail


def test_a_callback_attempt_is_not_stated_in_the_sandbox_future(gateway_client):
    gw = gateway_client
    case_id = in_follow_up(gw)
    set_clock(gw, "2026-11-05T10:05:00-05:00")
    attempt = {"at": "2026-11-05T11:00:00-05:00", "reached": True, "outcome": "solved", "closeOut": True}
    detail = problem(gw.post(f"/cases/{case_id}/callbacks", json=attempt), 422, "callback-in-future")
    assert "2026-11-05T11:00:00-05:00" in detail and "2026-11-05T10:05:00-05:00" in detail
    done = gw.post(f"/cases/{case_id}/callbacks", json=dict(attempt, at="2026-11-05T10:00:00-05:00"))
    assert done.status_code == 201 and done.json()["closedOutAt"] == "2026-11-05T10:00:00-05:00", done.text
