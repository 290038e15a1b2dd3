"""Idempotency-Key on the mocks' writes (mocks/kit/idempotency.py), through RR and AC: a repeat replays the first
answer and writes nothing; another body under the same key is a 422; the write and the record of its answer
commit together, so a crash between them can't leave one without the other."""

from __future__ import annotations

import pytest

from claro_backoffice.core.yamlload import safe_load
from claro_backoffice.mocks.kit import idempotency
from claro_backoffice.mocks.kit.idempotency import keyed_operations
from claro_backoffice.mocks.kit.paths import mock_specs_dir

ACCOUNT = "46271064"  # a home account of the default world
MARKING = {"code": "SOP-INT-01", "notes": "Módem sin sincronía", "advisor": "asesor.01"}
MARKINGS = f"/accounts/{ACCOUNT}/markings"
MOBILE_ACCOUNT = "7264934899"  # CUS00000032's AC account
TICKLER = {"code": "SAC-RCG-01", "text": "Recarga no aplicada", "advisor": "asesor.01", "resolved_first_contact": True}
TICKLERS = f"/accounts/{MOBILE_ACCOUNT}/ticklers"


class Crash(Exception):
    """The process dying at that point."""


@pytest.fixture
def rr(mock_client):
    return mock_client("rr")


def _markings(rr, **kw) -> list:
    return rr.get(MARKINGS, **kw).json()["markings"]


def test_a_repeat_replays_the_first_answer_and_writes_nothing(rr):
    key = {"Idempotency-Key": "CAS-000001:typify:rr-marking"}
    first = rr.post(MARKINGS, json=MARKING, headers=key)
    assert first.status_code == 201, first.text
    # The same content spaced and ordered otherwise is the same request.
    again = rr.post(
        MARKINGS,
        content=b'{"advisor": "asesor.01",  "notes": "M\\u00f3dem sin sincron\\u00eda", "code": "SOP-INT-01"}',
        headers=key | {"Content-Type": "application/json"},
    )
    assert again.status_code == 201
    assert again.json() == first.json()  # created_at and marking_id included: the first answer, not a new one
    assert [m["marking_id"] for m in _markings(rr)] == [first.json()["marking_id"]]
    without = rr.post(MARKINGS, json=MARKING)  # no key: a write each time, as before
    assert without.status_code == 201 and len(_markings(rr)) == 2


def test_the_same_key_with_another_body_is_a_422_naming_the_key(rr):
    key = {"Idempotency-Key": "CAS-000002:typify:rr-marking"}
    assert rr.post(MARKINGS, json=MARKING, headers=key).status_code == 201
    other = rr.post(MARKINGS, json=dict(MARKING, notes="Otra nota"), headers=key)
    assert other.status_code == 422 and other.headers["content-type"] == "application/problem+json"
    assert other.json()["type"].endswith("/idempotency-key-reused")
    assert "CAS-000002:typify:rr-marking" in other.json()["detail"]
    assert len(_markings(rr)) == 1
    # A key belongs to one method and path: on another operation it is a key of its own.
    elsewhere = rr.post(
        f"/accounts/{ACCOUNT}/folders", json={"name": "ESTRATEGICOS", "advisor": "asesor.01"}, headers=key
    )
    assert elsewhere.status_code == 201


def test_a_refused_request_keeps_its_key_free(rr):
    key = {"Idempotency-Key": "CAS-000003:typify:rr-marking"}
    refused = rr.post(MARKINGS, json=dict(MARKING, code="SAC-RCG-01"), headers=key)  # a mobile code: 422
    assert refused.status_code == 422 and refused.json()["type"].endswith("/unknown-typification")
    assert rr.post(MARKINGS, json=MARKING, headers=key).status_code == 201
    assert len(_markings(rr)) == 1


def test_keys_are_per_sandbox_and_a_reset_forgets_them(rr):
    key = {"Idempotency-Key": "CAS-000004:typify:rr-marking"}
    assert rr.post("/__admin/sandboxes", json={"name": "idem-other"}).status_code == 201
    try:
        assert rr.post(MARKINGS, json=MARKING, headers=key).status_code == 201
        other = rr.post(MARKINGS, json=dict(MARKING, notes="Otra"), headers=key | {"X-Sandbox": "idem-other"})
        assert other.status_code == 201
        assert len(_markings(rr, headers={"X-Sandbox": "idem-other"})) == 1 and len(_markings(rr)) == 1
    finally:
        rr.delete("/__admin/sandboxes/idem-other")
    assert rr.post("/__admin/reset").status_code == 200
    assert rr.post(MARKINGS, json=dict(MARKING, notes="Otra"), headers=key).status_code == 201


def test_the_write_and_its_record_commit_together(rr, monkeypatch):
    """Dying after the view wrote but before the answer was recorded leaves nothing: the retry writes once."""
    key = {"Idempotency-Key": "CAS-000005:typify:rr-marking"}
    real = idempotency.record

    def crash(*args, **kwargs):
        monkeypatch.setattr(idempotency, "record", real)
        raise Crash

    monkeypatch.setattr(idempotency, "record", crash)
    assert rr.post(MARKINGS, json=MARKING, headers=key).status_code == 500  # connexion renders the crash
    assert _markings(rr) == []
    retried = rr.post(MARKINGS, json=MARKING, headers=key)
    assert retried.status_code == 201
    assert rr.post(MARKINGS, json=MARKING, headers=key).json() == retried.json()
    assert len(_markings(rr)) == 1


def test_ac_ticklers_and_adjustments_honour_the_key(mock_client):
    ac = mock_client("ac")
    key = {"Idempotency-Key": "CAS-000006:typify:ac-tickler"}
    first = ac.post(TICKLERS, json=TICKLER, headers=key)
    assert first.status_code == 201, first.text
    assert ac.post(TICKLERS, json=TICKLER, headers=key).json() == first.json()
    assert len(ac.get(TICKLERS).json()["ticklers"]) == 1
    adjustment = {"amount": 20000, "reason": "Recarga cobrada dos veces", "advisor": "asesor.01"}
    path = f"/accounts/{MOBILE_ACCOUNT}/adjustments"
    made = ac.post(path, json=adjustment, headers={"Idempotency-Key": "CAS-000006:adjustment:r1"})
    assert made.status_code == 201
    again = ac.post(path, json=adjustment, headers={"Idempotency-Key": "CAS-000006:adjustment:r1"})
    assert again.json()["adjustment_id"] == made.json()["adjustment_id"]
    assert len(ac.get(path).json()["adjustments"]) == 1


@pytest.mark.parametrize(
    "system", ["ac", "almabi", "ascard", "cmax", "diagnosticador", "dime", "gestion", "paradigma", "portalpac", "rr"]
)
def test_every_write_of_the_specs_declares_the_key_and_its_statuses(system):
    spec = safe_load((mock_specs_dir() / f"{system}.yaml").read_text(encoding="utf-8"))
    writes = {
        op["operationId"]: op
        for item in spec["paths"].values()
        for method, op in item.items()
        if method.upper() in idempotency.WRITES
    }
    assert writes and keyed_operations(spec) == set(writes)
    for name, op in writes.items():
        assert {"409", "422"} <= set(op["responses"]), name
