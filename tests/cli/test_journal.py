"""`journal SYSTEM`: what a system was asked in a sandbox, filtered by method, path glob and limit, as a table or
JSON, with document and phone numbers masked as the gateway's logs mask them (all but the last two digits)."""

from __future__ import annotations

import json

import pytest
import requests

SANDBOX = "cli-journal"


@pytest.fixture(scope="module")
def asked(server):
    """A sandbox where the gateway looked a scenario's customer up by phone and by document: what it asked."""
    admin = {"Authorization": "Bearer dev-admin", "X-Sandbox": SANDBOX}
    api = f"{server.base}/api/v1"
    assert requests.post(f"{api}/admin/sandboxes", json={"name": SANDBOX}, headers=admin).status_code == 201
    customer = requests.post(f"{api}/admin/scenarios/modem-without-sync", headers=admin).json()["customer"]
    asesor = {"Authorization": "Bearer dev-asesor", "X-Sandbox": SANDBOX}
    for params in ({"phone": customer["phone"]["national"]}, {"documentNumber": customer["document"]["number"]}):
        found = requests.get(f"{api}/customers", params=params, headers=asesor)
        assert found.status_code == 200 and found.json()[0]["id"] == customer["customerId"], found.text
    yield customer
    requests.delete(f"{api}/admin/sandboxes/{SANDBOX}", headers={"Authorization": "Bearer dev-admin"})


def _stars(number: str) -> str:
    return "*" * (len(number) - 2) + number[-2:]


def test_the_table_masks_phones_and_documents(cli, asked):
    phone, document = asked["phone"]["national"], asked["document"]["number"]
    ran = cli("journal", "rr", "--sandbox", SANDBOX)
    assert ran.code == 0, ran.err
    lines = ran.out.splitlines()
    assert lines[0].split() == ["AT", "METHOD", "PATH", "STATUS", "MS"]
    paths = [line.split()[2] for line in lines[2:]]
    assert f"/phones/{_stars(phone)}/subscribers" in paths
    assert any(_stars(document) in path and path.startswith("/subscribers?") for path in paths), paths
    assert phone not in ran.out and document not in ran.out


def test_json_with_a_glob_and_a_method(cli, asked):
    phone = asked["phone"]["national"]
    ran = cli("journal", "rr", "--sandbox", SANDBOX, "--json", "--method", "get", "--path", "/phones/*/subscribers")
    assert ran.code == 0, ran.err
    entries = json.loads(ran.out)
    assert [e["path"] for e in entries] == [f"/phones/{_stars(phone)}/subscribers"]
    assert entries[0]["system"] == "rr" and entries[0]["method"] == "GET" and entries[0]["status"] == 200
    assert phone not in ran.out and asked["document"]["number"] not in ran.out  # bodies included, masked
    assert json.loads(cli("journal", "rr", "--sandbox", SANDBOX, "--json", "--method", "POST").out) == []


def test_a_glob_matches_the_whole_path(cli, asked):
    """A glob without a wildcard is the exact path; '*' spans '/'."""
    assert json.loads(cli("journal", "rr", "--sandbox", SANDBOX, "--json", "--path", "/phones").out) == []
    spanning = json.loads(cli("journal", "rr", "--sandbox", SANDBOX, "--json", "--path", "*subscribers").out)
    assert {e["path"] for e in spanning} == {
        f"/phones/{_stars(asked['phone']['national'])}/subscribers",
        "/subscribers",
    }


def test_limit_keeps_the_newest(cli, asked):
    every = json.loads(cli("journal", "rr", "--sandbox", SANDBOX, "--json").out)
    assert len(every) >= 2
    newest = json.loads(cli("journal", "rr", "--sandbox", SANDBOX, "--json", "--limit", "1").out)
    assert newest == every[:1]


def test_another_sandbox_has_its_own_journal(cli, asked):
    ran = cli("journal", "rr", "--sandbox", "no-such-sandbox")
    assert ran.code == 1 and ran.err.startswith("claro-backoffice journal: 404 ")
