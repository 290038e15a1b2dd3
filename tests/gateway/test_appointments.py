"""Technical visits in Módulo de Gestión as TMF646 (searchTimeSlot, appointment), through the gateway: slots as
Gestión offers them, a booking that appears as an LLS in RR, reschedule and cancel; Gestión's refusals keep their
status and detail; a failing Gestión is a 504 naming it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from jsonschema import Draft4Validator, FormatChecker

ASESOR = "dev-asesor"
ACCOUNT = "46271064"
TMF646 = (
    Path(__file__).resolve().parents[2]
    / "claro_backoffice"
    / "openapi"
    / "tmf"
    / "TMF646-Appointment-v4.0.0.swagger.json"
)


def tmf646_errors(definition: str, instance: dict) -> list[str]:
    definitions = json.loads(TMF646.read_text(encoding="utf-8"))["definitions"]
    validator = Draft4Validator(
        {"$ref": f"#/definitions/{definition}", "definitions": definitions}, format_checker=FormatChecker()
    )
    return [f"{'/'.join(map(str, e.path))}: {e.message}" for e in validator.iter_errors(instance)]


def booking(start: str, account: str = ACCOUNT) -> dict:
    return {
        "@type": "TechnicalVisit",
        "validFor": {"startDateTime": start},
        "description": "Internet intermitente; módem sin sincronía",
        "relatedEntity": [{"id": account, "role": "account", "@referredType": "BillingAccount"}],
        "relatedParty": [{"id": "asesor.premium07", "role": "advisor", "@referredType": "Individual"}],
        "contactMedium": [{"mediumType": "phone", "characteristic": {"phoneNumber": "3130568954"}}],
    }


def free_slots(gateway_client) -> list[dict]:
    response = gateway_client.post("/searchTimeSlot", token=ASESOR, json={"accountId": ACCOUNT})
    assert response.status_code == 200, response.text
    return response.json()["availableTimeSlot"]


def test_the_search_answers_gestions_slots_for_the_accounts_zone(gateway_client, world):
    node = next(a["node"] for a in world.tables["home_accounts"] if a["account_number"] == ACCOUNT)
    response = gateway_client.post("/searchTimeSlot", token=ASESOR, json={"accountId": ACCOUNT})
    assert response.status_code == 200, response.text
    found = response.json()
    mock = gateway_client.backoffice.client("gestion").get(f"/accounts/{ACCOUNT}/slots").json()
    assert [s["validFor"] for s in found["availableTimeSlot"]] == [
        {"startDateTime": s["slot_start"], "endDateTime": s["slot_end"]} for s in mock["slots"]
    ]
    assert found["zoneId"] == f"ZT-{node}" and found["searchResult"] == "success" and found["status"] == "done"
    assert found["relatedEntity"][0]["id"] == ACCOUNT
    assert found["@type"] == "TechnicalVisitSlotSearch" and found["@baseType"] == "SearchTimeSlot"
    assert tmf646_errors("SearchTimeSlot", found) == []


def test_a_requested_window_keeps_only_the_slots_inside_it(gateway_client):
    first = free_slots(gateway_client)[0]["validFor"]["startDateTime"]
    day = first[:10]
    window = {"startDateTime": f"{day}T00:00:00-05:00", "endDateTime": f"{day}T23:59:59-05:00"}
    body = {"relatedEntity": [{"id": ACCOUNT, "role": "account"}], "requestedTimeSlot": [{"validFor": window}]}
    found = gateway_client.post("/searchTimeSlot", token=ASESOR, json=body).json()
    starts = [s["validFor"]["startDateTime"] for s in found["availableTimeSlot"]]
    assert starts and starts[0] == first and all(s.startswith(day) for s in starts)
    assert found["requestedTimeSlot"] == [{"validFor": window}]
    [call] = [c for c in gateway_client.backoffice.calls if c.path.endswith("/slots")][-1:]
    assert call.system == "gestion"


def test_a_booking_is_an_lls_in_rr_and_can_be_rescheduled_and_cancelled(gateway_client, world):
    customer = next(a["customer_id"] for a in world.tables["home_accounts"] if a["account_number"] == ACCOUNT)
    slots = free_slots(gateway_client)
    response = gateway_client.post("/appointment", token=ASESOR, json=booking(slots[0]["validFor"]["startDateTime"]))
    assert response.status_code == 201, response.text
    visit = response.json()
    assert visit["status"] == "confirmed" and visit["validFor"] == slots[0]["validFor"]
    assert response.headers["Location"] == visit["href"] and visit["href"].endswith(f"/appointment/{visit['id']}")
    assert {(e["role"], e["id"]) for e in visit["relatedEntity"]} == {("lls", visit["llsId"]), ("account", ACCOUNT)}
    assert [(p["role"], p["id"]) for p in visit["relatedParty"]][:2] == [
        ("customer", customer),
        ("advisor", "asesor.premium07"),
    ]
    assert tmf646_errors("Appointment", visit) == []
    # The LLS is in RR at once (the mock's own API, in-process).
    lls = gateway_client.backoffice.client("rr").get(f"/accounts/{ACCOUNT}/lls").json()["lls"]
    [order] = [x for x in lls if x["lls_id"] == visit["llsId"]]
    assert order["appointment_id"] == visit["id"] and order["state"] == "confirmed"
    assert order["slot_start"] == visit["validFor"]["startDateTime"]
    assert gateway_client.get(f"/appointment/{visit['id']}", token=ASESOR).json() == visit
    # Reschedule to another free slot: Gestión and RR both move.
    moved = gateway_client.request(
        "PATCH", f"/appointment/{visit['id']}", token=ASESOR, json={"validFor": slots[1]["validFor"]}
    )
    assert moved.status_code == 200, moved.text
    assert moved.json()["validFor"] == slots[1]["validFor"] and moved.json()["rescheduleCount"] == 1
    order = next(
        x
        for x in gateway_client.backoffice.client("rr").get(f"/accounts/{ACCOUNT}/lls").json()["lls"]
        if x["lls_id"] == visit["llsId"]
    )
    assert order["slot_start"] == slots[1]["validFor"]["startDateTime"]
    # Cancel: TMF646 cancelled, in RR too.
    cancelled = gateway_client.request(
        "PATCH",
        f"/appointment/{visit['id']}",
        token=ASESOR,
        json={"status": "cancelled", "cancellationReason": "El cliente reinició el módem"},
    )
    assert cancelled.status_code == 200 and cancelled.json()["status"] == "cancelled"
    assert cancelled.json()["cancellationReason"] == "El cliente reinició el módem"
    order = next(
        x
        for x in gateway_client.backoffice.client("rr").get(f"/accounts/{ACCOUNT}/lls").json()["lls"]
        if x["lls_id"] == visit["llsId"]
    )
    assert order["state"] == "cancelled"
    again = gateway_client.request(
        "PATCH",
        f"/appointment/{visit['id']}",
        token=ASESOR,
        json={"status": "cancelled", "cancellationReason": "otra vez"},
    )
    assert again.status_code == 409 and again.json()["system"] == "gestion"


def test_gestion_refusals_keep_their_status_and_detail(gateway_client):
    slots = free_slots(gateway_client)
    first = gateway_client.post("/appointment", token=ASESOR, json=booking(slots[0]["validFor"]["startDateTime"]))
    assert first.status_code == 201
    second = gateway_client.post("/appointment", token=ASESOR, json=booking(slots[1]["validFor"]["startDateTime"]))
    assert second.status_code == 409 and second.json()["system"] == "gestion"
    assert first.json()["id"] in second.json()["detail"]  # names the open visit
    sunday = gateway_client.post("/appointment", token=ASESOR, json=booking("2026-11-08T09:00:00-05:00", "20150259"))
    assert sunday.status_code in (404, 409) and sunday.json()["system"] == "gestion"
    missing = gateway_client.get("/appointment/APT09999999", token=ASESOR)
    assert (
        missing.status_code == 404
        and missing.json()["system"] == "gestion"
        and "APT09999999" in missing.json()["detail"]
    )
    unknown = gateway_client.post("/searchTimeSlot", token=ASESOR, json={"accountId": "19999999"})
    assert unknown.status_code == 404 and unknown.json()["system"] == "gestion"


def test_a_slot_is_two_hours_and_one_account_is_named(gateway_client):
    body = booking("2026-11-05T09:00:00-05:00")
    body["validFor"]["endDateTime"] = "2026-11-05T12:00:00-05:00"
    response = gateway_client.post("/appointment", token=ASESOR, json=body)
    assert response.status_code == 422 and "2 h" in response.json()["detail"]
    both = {"accountId": ACCOUNT, "relatedEntity": [{"id": "20150259", "role": "account"}]}
    assert gateway_client.post("/searchTimeSlot", token=ASESOR, json=both).status_code == 422
    assert gateway_client.post("/searchTimeSlot", token=ASESOR, json={}).status_code == 422
    assert [c for c in gateway_client.backoffice.calls if not c.path.startswith("/__admin")] == []


@pytest.mark.parametrize(
    "method, path, body",
    [
        ("POST", "/searchTimeSlot", {"accountId": ACCOUNT}),
        ("POST", "/appointment", booking("2026-11-05T09:00:00-05:00")),
        ("GET", "/appointment/APT00000001", None),
        ("PATCH", "/appointment/APT00000001", {"status": "cancelled", "cancellationReason": "sin falla"}),
    ],
)
def test_a_gestion_timeout_is_a_504_naming_gestion(gateway_client, method, path, body):
    fault = gateway_client.post("/admin/faults", json={"system": "gestion", "kind": "timeout"})
    assert fault.status_code == 201, fault.text
    response = gateway_client.request(method, path, token=ASESOR, json=body)
    assert response.status_code == 504, response.text
    assert response.json()["system"] == "gestion" and "gestion" in response.json()["detail"]
    calls = [c for c in gateway_client.backoffice.calls_to("gestion") if not c.path.startswith("/__admin")]
    # the search and GET read Gestión (a GET, retried twice); booking and changes are never retried
    assert len(calls) == (3 if path == "/searchTimeSlot" or method == "GET" else 1)
    assert {c.method for c in calls} == {"GET" if path == "/searchTimeSlot" else method}
