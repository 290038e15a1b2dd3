"""A write stopped by a UNIQUE or PRIMARY KEY constraint is a 409 problem saying what exists, never a 500
(mocks/kit/conflicts.py): two requests creating the same RR folder at once both pass RR's own check, and the
second one's insert meets the folders' primary key."""

from __future__ import annotations

import sqlite3
import threading

import pytest

from claro_backoffice.mocks.rr.backend import RRBackend
from tests.support.inprocess_client import in_process_client

ACCOUNT = "46271064"
FOLDERS = f"/accounts/{ACCOUNT}/folders"
FOLDER = {"name": "ESTRATEGICOS", "advisor": "asesor.01"}


@pytest.fixture
def rr(mock_client):
    return mock_client("rr")


def test_a_folder_created_between_the_check_and_the_insert_is_a_409(rr, monkeypatch):
    assert rr.post(FOLDERS, json=FOLDER).status_code == 201
    # The seam: the second request's check ran before the first one committed, so it saw no folder.
    monkeypatch.setattr(RRBackend, "_has_folder", lambda self, account, name: False)
    second = rr.post(FOLDERS, json=FOLDER)
    assert second.status_code == 409, second.text
    assert second.headers["content-type"] == "application/problem+json"
    problem = second.json()
    assert problem["type"].endswith("/already-exists") and problem["system"] == "rr" and problem["table"] == "folders"
    assert problem["detail"].startswith("folders already holds a record with the same account_number and name")
    assert [f["name"] for f in rr.get(FOLDERS).json()["folders"]] == ["ESTRATEGICOS"]


def test_other_integrity_errors_stay_errors(rr, monkeypatch):
    """Only a uniqueness conflict is the client's: a NOT NULL violation would be a bug in the mock."""

    def broken(self, account_number, body):
        raise sqlite3.IntegrityError("NOT NULL constraint failed: folders.created_by")

    monkeypatch.setattr(RRBackend, "create_folder", broken)
    assert rr.post(FOLDERS, json=FOLDER).status_code == 500


def test_a_burst_of_creations_of_one_folder_gets_one_201_and_409s(mock_apps):
    app = mock_apps("rr")
    clients = [in_process_client(app) for _ in range(8)]
    barrier = threading.Barrier(len(clients))
    statuses = []

    def create(client):
        barrier.wait()
        statuses.append(client.post(FOLDERS, json=FOLDER).status_code)

    threads = [threading.Thread(target=create, args=(c,)) for c in clients]
    try:
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    finally:
        clients[0].post("/__admin/reset")
        for client in clients:
            client.close()
    assert sorted(statuses) == [201] + [409] * 7
