"""A typification that fails half-way is finished by a retry with the same Idempotency-Key, without repeating
the steps that were done; the same key with another body is refused. A crash between a system's commit and the
gateway's record of the step is finished the same way, and the system's Idempotency-Key keeps the write single."""

from __future__ import annotations

import pytest

from claro_backoffice.gateway.cases.typification import Typification
from tests.flow.test_support_case import LONG_NOTES
from tests.support.cases import plant_case


def test_a_retry_after_a_partial_failure_finishes_without_duplicates(gateway_client):
    gw = gateway_client
    case_id = plant_case(gw.app.runtime)
    fault = {
        "system": "rr",
        "kind": "error",
        "status": 500,
        "method": "POST",
        "path": "/accounts/46271064/markings",
        "count": 1,
    }
    assert gw.post("/admin/faults", json=fault).status_code == 201
    body = {"code": "SOP-INT-01", "notes": LONG_NOTES, "resolvedFirstContact": False}
    key = {"Idempotency-Key": "typ-retry-0001"}
    failed = gw.post(f"/cases/{case_id}/typification", json=body, headers=key)
    assert failed.status_code == 502 and failed.json()["system"] == "rr", failed.text
    assert gw.get(f"/cases/{case_id}").json()["status"] == "open"
    other = gw.post(f"/cases/{case_id}/typification", json=dict(body, code="SOP-INT-02"), headers=key)
    assert other.status_code == 422 and "Idempotency-Key" in other.json()["detail"]
    done = gw.post(f"/cases/{case_id}/typification", json=body, headers=key)
    assert done.status_code == 200, done.text
    steps = {s["step"] for s in done.json()["typification"]["steps"]}
    assert steps == {"rr-folder", "rr-folder-note", "rr-marking"}
    rr = gw.backoffice.client("rr")
    assert (
        len(
            [
                n
                for n in rr.get("/accounts/46271064/folders/ESTRATEGICOS/notes").json()["notes"]
                if n["text"] == LONG_NOTES
            ]
        )
        == 1
    )
    assert (
        len(
            [
                m
                for m in rr.get("/accounts/46271064/markings").json()["markings"]
                if m["code"] == "SOP-INT-01" and "ESTRATEGICOS" in m["notes"]
            ]
        )
        == 1
    )
    posts = [c for c in gw.backoffice.calls_to("rr", "POST") if c.path.endswith("/notes")]
    assert len(posts) == 1, "the folder note was written once"
    again = gw.post(f"/cases/{case_id}/typification", json=body, headers={"Idempotency-Key": "typ-retry-0002"})
    assert again.status_code == 409 and again.json()["type"].endswith("/case-state"), again.text


class Crash(Exception):
    """The gateway's process dying at that point."""


def _crash_once_after(monkeypatch, step: str) -> list:
    """The seam: the gateway dies right after the system answered `step`'s write, before recording the step."""
    real, seen = Typification._record_step, []

    def record(self, case, name, system, reference):
        if name == step and not seen:
            seen.append(reference)
            raise Crash(step)
        return real(self, case, name, system, reference)

    monkeypatch.setattr(Typification, "_record_step", record)
    return seen


@pytest.mark.parametrize("step", ["rr-folder", "rr-folder-note", "rr-marking"])
def test_a_crash_between_rrs_commit_and_the_gateways_record_writes_once(gateway_client, monkeypatch, step):
    gw = gateway_client
    case_id = plant_case(gw.app.runtime)
    seen = _crash_once_after(monkeypatch, step)
    body = {"code": "SOP-INT-01", "notes": LONG_NOTES, "resolvedFirstContact": False}
    key = {"Idempotency-Key": f"typ-crash-{step}"}
    crashed = gw.post(f"/cases/{case_id}/typification", json=body, headers=key)
    assert crashed.status_code == 500  # the crash, as connexion renders it
    assert seen, "RR's write was made before the crash"
    done = gw.post(f"/cases/{case_id}/typification", json=body, headers=key)
    assert done.status_code == 200, done.text
    rr = gw.backoffice.client("rr")
    assert [f["name"] for f in rr.get("/accounts/46271064/folders").json()["folders"]] == ["ESTRATEGICOS"]
    notes = rr.get("/accounts/46271064/folders/ESTRATEGICOS/notes").json()["notes"]
    assert [n["text"] for n in notes] == [LONG_NOTES]
    markings = rr.get("/accounts/46271064/markings").json()["markings"]
    assert [(m["code"], "ESTRATEGICOS" in m["notes"]) for m in markings] == [("SOP-INT-01", True)]
    steps = {s["step"]: s["reference"] for s in done.json()["typification"]["steps"]}
    if step == "rr-marking":
        assert steps[step] == seen[0] == str(markings[0]["marking_id"])
    if step == "rr-folder-note":
        assert steps[step] == seen[0] == str(notes[0]["note_id"])


def test_a_crash_between_acs_commit_and_the_gateways_record_writes_one_tickler(gateway_client, monkeypatch):
    gw = gateway_client
    case_id = plant_case(
        gw.app.runtime, customer_id="CUS00000032", account_id="7264934899", system="ac", category="SAC", product="datos"
    )
    seen = _crash_once_after(monkeypatch, "ac-tickler")
    body = {"code": "SAC-RCG-01", "notes": "Recarga de 20.000 no aplicada; se reaplica.", "resolvedFirstContact": True}
    key = {"Idempotency-Key": "typ-crash-ac-tickler"}
    crashed = gw.post(f"/cases/{case_id}/typification", json=body, headers=key)
    assert crashed.status_code == 500  # the crash, as connexion renders it
    done = gw.post(f"/cases/{case_id}/typification", json=body, headers=key)
    assert done.status_code == 200, done.text
    ticklers = gw.backoffice.client("ac").get("/accounts/7264934899/ticklers").json()["ticklers"]
    assert [(t["code"], t["text"]) for t in ticklers] == [("SAC-RCG-01", body["notes"])]
    assert [s["reference"] for s in done.json()["typification"]["steps"]] == [str(seen[0])]
    assert seen[0] == ticklers[0]["tickler_id"]
