"""`sandbox create|reset|delete|list` and `scenario list|load`, through the gateway's admin API, checked through
that API."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from claro_backoffice.core.systems import SYSTEMS

SCENARIOS = Path(__file__).resolve().parents[2] / "claro_backoffice" / "scenarios"


def _listed(api, name):
    return next((s for s in api("GET", "/admin/sandboxes").json()["sandboxes"] if s["name"] == name), None)


def test_create_list_reset_delete(cli, api):
    created = cli("sandbox", "create", "cli-box", "--seed", "7")
    assert created.code == 0, created.err
    assert created.out == f"sandbox cli-box created (seed 7): created in {len(SYSTEMS)} systems\n"
    listed = _listed(api, "cli-box")
    assert listed["seed"] == 7 and sorted(listed["systems"]) == sorted(SYSTEMS) and listed["missingIn"] == []

    rows = [line.split() for line in cli("sandbox", "list").out.splitlines()[2:]]
    assert ["cli-box", "7", str(len(SYSTEMS)), "-"] in rows
    assert ["default", str(_listed(api, "default")["seed"]), str(len(SYSTEMS)), "-"] in rows

    planted = api("POST", "/admin/faults", sandbox="cli-box", json={"system": "rr", "kind": "error", "status": 503})
    assert planted.status_code == 201, planted.text
    reset = cli("sandbox", "reset", "cli-box")
    assert reset.code == 0 and reset.out == f"sandbox cli-box reset: reset in {len(SYSTEMS)} systems\n"
    assert api("GET", "/admin/faults", sandbox="cli-box").json()["faults"] == []

    deleted = cli("sandbox", "delete", "cli-box")
    assert deleted.code == 0 and deleted.out == f"sandbox cli-box deleted: deleted in {len(SYSTEMS)} systems\n"
    assert _listed(api, "cli-box") is None
    again = cli("sandbox", "delete", "cli-box")
    assert again.code == 1 and again.err.startswith("claro-backoffice sandbox: 404 ")


def test_creating_a_sandbox_twice_is_a_409(cli, api):
    assert cli("sandbox", "create", "cli-twice").code == 0
    try:
        twice = cli("sandbox", "create", "cli-twice")
        assert twice.code == 1 and twice.err.startswith("claro-backoffice sandbox: 409 Conflict: ")
    finally:
        api("DELETE", "/admin/sandboxes/cli-twice")


def test_scenario_list_names_the_repository_scenarios(cli):
    ran = cli("scenario", "list")
    assert ran.code == 0
    rows = [line.split(None, 4) for line in ran.out.splitlines()[2:]]
    assert {row[0] for row in rows} == {path.stem for path in SCENARIOS.glob("*.yaml")}
    for row in rows:
        document = yaml.safe_load((SCENARIOS / f"{row[0]}.yaml").read_text())
        assert row[1] == document["customer"]["customerId"] and row[3] == "repository"
        assert row[4] == document["title"]
        assert row[2] == ("yes" if "practice" in document else "no")


@pytest.fixture
def sandbox(api):
    assert api("POST", "/admin/sandboxes", json={"name": "cli-scenario"}).status_code == 201
    yield "cli-scenario"
    api("DELETE", "/admin/sandboxes/cli-scenario")


def test_scenario_load_plants_it_in_the_sandbox_and_prints_its_facts(cli, sandbox):
    document = yaml.safe_load((SCENARIOS / "modem-without-sync.yaml").read_text())
    ran = cli("scenario", "load", "modem-without-sync", "--sandbox", sandbox)
    assert ran.code == 0, ran.err
    loaded = json.loads(ran.out)
    assert loaded["name"] == "modem-without-sync" and loaded["sandbox"] == sandbox
    assert loaded["customer"]["customerId"] == document["customer"]["customerId"]
    assert {r["system"] for r in loaded["results"]} == set(document["fixtures"])


def test_loading_an_unknown_scenario_is_a_404(cli, sandbox):
    ran = cli("scenario", "load", "no-such-scenario", "--sandbox", sandbox)
    assert ran.code == 1 and ran.err.startswith("claro-backoffice scenario: 404 ")
