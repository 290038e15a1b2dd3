"""A support case is followed up the way its typification code says (the advisor's guide: GET /guides, each
code's followUpType): a mismatch is a 422 naming the allowed types, and the case stays typified."""

from __future__ import annotations

from tests.support.cases import plant_case


def _guide_types(gateway_client) -> dict[str, list[str]]:
    """Each support code's follow-up types as the guide lists them (in order, without repeats)."""
    types: dict[str, list[str]] = {}
    for guide in gateway_client.get("/guides").json()["guides"]:
        for option in guide["typifications"]:
            if option["category"] == "SOPORTE" and option["followUpType"]:
                known = types.setdefault(option["code"], [])
                if option["followUpType"] not in known:
                    known.append(option["followUpType"])
    return types


def test_a_support_code_closes_only_with_its_guides_follow_up_types(gateway_client):
    gw = gateway_client
    # a home internet code the guide only follows up with a visit (none needs a ticket or a visit for SOPORTE)
    code, allowed = next((c, t) for c, t in _guide_types(gw).items() if c.startswith("SOP-INT") and "SOPORTE" not in t)
    gw.post("/admin/clock", json={"set": "2026-11-04T09:00:00-05:00", "frozen": True})  # a Wednesday, no holiday
    case_id = plant_case(gw.app.runtime, category="SOPORTE", product="internet")
    body = {"code": code, "resolvedFirstContact": True, "advisor": "an.asesor"}
    typed = gw.post(f"/cases/{case_id}/typification", json=body, headers={"Idempotency-Key": case_id})
    assert typed.status_code == 200, typed.text
    close = {
        "outcome": "followUp",
        "followUpType": "SOPORTE",
        "callbackAt": "2026-11-04T15:00:00-05:00",
        "nothingPending": True,
    }
    refused = gw.post(f"/cases/{case_id}/close", json=close)
    assert refused.status_code == 422, refused.text
    problem = refused.json()
    assert problem["type"].endswith("/follow-up-type-mismatch") and problem["allowed"] == allowed
    assert f"{code}: the guide follows it up as {' or '.join(allowed)}, not SOPORTE" in problem["detail"]
    assert gw.get(f"/cases/{case_id}").json()["status"] == "typified"
