"""Writes the gateway makes for one request carry an Idempotency-Key from their scope and the request's
X-Request-Id: the same request sent again (same X-Request-Id) gets the system's first answer instead of a second
adjustment, escalation or visit, even when the gateway died between the system's commit and its own record."""

from __future__ import annotations

from claro_backoffice.gateway.cases.timeline import CaseTimeline
from tests.gateway.test_appointments import booking, free_slots
from tests.gateway.test_trouble_tickets import ticket
from tests.support.advisors import active_leader
from tests.support.cases import plant_case

ASESOR = "dev-asesor"


class Crash(Exception):
    """The gateway's process dying at that point."""


def test_an_adjustment_retried_after_a_crash_before_the_crm_record_is_registered_once(gateway_client, monkeypatch):
    gw = gateway_client
    case_id = plant_case(gw.app.runtime)
    real, crashed = CaseTimeline.add, []

    def add(self, *args, **kwargs):  # the seam: RR committed the request, the CRM's transaction dies
        if not crashed:
            crashed.append(True)
            raise Crash
        return real(self, *args, **kwargs)

    monkeypatch.setattr(CaseTimeline, "add", add)
    body = {"amount": 80000, "reason": "Cobro de visita no realizada"}
    request = {"X-Request-Id": "req-adjustment-0001"}
    assert gw.post(f"/cases/{case_id}/adjustments", json=body, headers=request).status_code == 500
    made = gw.post(f"/cases/{case_id}/adjustments", json=body, headers=request)
    assert made.status_code == 201, made.text
    in_rr = [
        a
        for a in gw.backoffice.client("rr").get("/accounts/46271064/adjustments").json()["adjustments"]
        if a["case_id"] == case_id
    ]
    assert [a["adjustment_id"] for a in in_rr] == [made.json()["id"]]
    assert [a["id"] for a in gw.get(f"/cases/{case_id}/adjustments").json()["adjustments"]] == [made.json()["id"]]


def test_a_trouble_ticket_sent_twice_with_one_request_id_is_one_escalation(gateway_client):
    request = {"X-Request-Id": "req-ticket-0001"}
    body = ticket(case=plant_case(gateway_client.app.runtime))
    first = gateway_client.post("/troubleTicket", token=ASESOR, json=body, headers=request)
    assert first.status_code == 201, first.text
    again = gateway_client.post("/troubleTicket", token=ASESOR, json=body, headers=request)
    assert again.status_code == 201, again.text  # without the key: DIME's 409, an open escalation of the case
    assert again.json()["id"] == first.json()["id"]
    case_id = body["relatedEntity"][0]["id"]
    steps = [t for t in gateway_client.get(f"/cases/{case_id}").json()["timeline"] if t["action"] == "escalated"]
    assert [t["outcome"] for t in steps] == [first.json()["id"]]  # the replay adds no second step
    other = gateway_client.post("/troubleTicket", token=ASESOR, json=body, headers={"X-Request-Id": "req-ticket-2"})
    assert other.status_code == 409 and other.json()["system"] == "dime"


def test_an_appointment_sent_twice_with_one_request_id_is_one_visit(gateway_client):
    request = {"X-Request-Id": "req-visit-0001"}
    body = booking(free_slots(gateway_client)[0]["validFor"]["startDateTime"])
    first = gateway_client.post("/appointment", token=ASESOR, json=body, headers=request)
    assert first.status_code == 201, first.text
    again = gateway_client.post("/appointment", token=ASESOR, json=body, headers=request)
    assert again.status_code == 201, again.text  # without the key: Gestión's 409, an open visit already
    assert again.json()["id"] == first.json()["id"]


def test_an_adjustment_request_and_decision_repeated_whole_are_recorded_once(gateway_client):
    gw = gateway_client
    case_id = plant_case(gw.app.runtime)
    body, request = {"amount": 90000, "reason": "Cobro doble del plan"}, {"X-Request-Id": "req-adjustment-0002"}
    first = gw.post(f"/cases/{case_id}/adjustments", json=body, headers=request)
    again = gw.post(f"/cases/{case_id}/adjustments", json=body, headers=request)
    assert first.status_code == again.status_code == 201, again.text
    assert again.json()["id"] == first.json()["id"]
    decision, request = {"supervisor": active_leader(gw)["username"]}, {"X-Request-Id": "req-approval-0002"}
    approve = f"/adjustments/{first.json()['id']}/approve"
    assert gw.post(approve, json=decision, headers=request).status_code == 200
    assert gw.post(approve, json=decision, headers=request).status_code == 200  # replayed: no 409 "already approved"
    steps = [t["action"] for t in gw.get(f"/cases/{case_id}").json()["timeline"] if t["kind"] == "step"]
    assert steps.count("adjustmentRequested") == 1 and steps.count("adjustmentApproved") == 1
