"""Callbacks come after the close: a callbackAt not after the close moment (the sandbox's clock), or a callback
attempt made before the case went to follow-up, is a 422 naming the earliest allowed moment (Ley 2300 hours)."""

from __future__ import annotations

from tests.support.cases import plant_case


def _typified_sac_case(gw) -> str:
    """A SAC case not solved at first contact (it must go to follow-up), typified with the catalogue's first code."""
    case_id = plant_case(gw.app.runtime, category="SAC")
    catalogue = gw.get("/typifications", params={"category": "SAC"}).json()
    code = (catalogue["typifications"] if isinstance(catalogue, dict) else catalogue)[0]["code"]
    body = {"code": code, "resolvedFirstContact": False, "advisor": "an.asesor"}
    typed = gw.post(f"/cases/{case_id}/typification", json=body, headers={"Idempotency-Key": case_id})
    assert typed.status_code == 200, typed.text
    return case_id


def _follow_up(callback_at: str) -> dict:
    return {"outcome": "followUp", "followUpType": "SOPORTE", "callbackAt": callback_at, "nothingPending": True}


def test_a_callback_at_before_the_close_names_the_earliest_moment_in_contact_hours(gateway_client):
    gw = gateway_client
    gw.post("/admin/clock", json={"set": "2026-11-06T18:59:30-05:00", "frozen": True})  # a Friday, 30 s before 19:00
    case_id = _typified_sac_case(gw)
    refused = gw.post(f"/cases/{case_id}/close", json=_follow_up("2026-11-06T10:00:00-05:00"))
    assert refused.status_code == 422, refused.text
    # the next whole minute is 19:00, when Friday's hours are over; Saturday 7 November 2026 (no holiday) opens at 08:00
    assert refused.json()["type"].endswith("/callback-in-past")
    assert refused.json()["earliest"] == "2026-11-07T08:00:00-05:00"
    assert "the earliest allowed moment is 2026-11-07T08:00:00-05:00" in refused.json()["detail"]
    assert gw.get(f"/cases/{case_id}").json()["status"] == "typified"


def test_a_callback_attempt_before_the_case_went_to_follow_up_is_refused(gateway_client):
    gw = gateway_client
    gw.post("/admin/clock", json={"set": "2026-11-04T10:00:00-05:00", "frozen": True})  # a Wednesday
    case_id = _typified_sac_case(gw)
    closed = gw.post(f"/cases/{case_id}/close", json=_follow_up("2026-11-04T15:00:00-05:00"))
    assert closed.status_code == 200 and closed.json()["status"] == "followUp", closed.text
    gw.post("/admin/clock", json={"set": "2026-11-04T16:00:00-05:00", "frozen": True})
    attempt = {"reached": False, "outcome": "noAnswer", "nextCallbackAt": "2026-11-05T09:00:00-05:00"}
    early = gw.post(f"/cases/{case_id}/callbacks", json=attempt | {"at": "2026-11-04T09:30:00-05:00"})
    assert early.status_code == 422, early.text
    assert early.json()["type"].endswith("/callback-before-close")
    assert early.json()["earliest"] == "2026-11-04T10:00:00-05:00"  # the close itself, inside Wednesday's hours
    assert gw.get(f"/cases/{case_id}").json()["callbacks"] == []
    made = gw.post(f"/cases/{case_id}/callbacks", json=attempt | {"at": "2026-11-04T10:30:00-05:00"})
    assert made.status_code == 201, made.text
