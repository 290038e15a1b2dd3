"""The scenario format (scenarios/scenario.schema.json) and trainers' own scenarios, through /api/v1: every file of
scenarios/ is valid and has reply rules; a broken file is refused naming the file and the line; a trainer's
document posted to POST /admin/scenarios is checked the same way and kept under var/, for one sandbox or for all,
never in the repository's folder."""

from __future__ import annotations

import copy

import pytest

from claro_backoffice.gateway.services import scenarios
from tests.flow.driver import InProcess
from tests.flow.flows import START, new_sandbox

NAMES = scenarios.names()


def _trainers_root(gateway_client):
    return gateway_client.app.runtime.settings.var_dir / "scenarios"


def _document(name: str) -> dict:
    """A trainer's scenario made from the repository's modem-without-sync (its customer, whatever the world is)."""
    document = copy.deepcopy(scenarios.read("modem-without-sync"))
    document["name"], document["title"] = name, "Módem sin señal (aula)"
    return document


@pytest.mark.parametrize("name", NAMES)
def test_every_scenario_file_follows_the_format_and_has_reply_rules(name):
    scenario = scenarios.read(name)  # raises, naming the file and line, when the file breaks the format
    assert scenarios.problems(scenario, name) == []
    assert scenario["practice"]["rules"], f"{name} has no reply rules for practice mode"


def test_a_broken_file_is_refused_naming_the_file_and_the_line(gateway_client):
    """A trainer who edits a kept file by hand and breaks a rule: loading it says which file and which line."""
    folder = _trainers_root(gateway_client) / "all"
    folder.mkdir(parents=True, exist_ok=True)
    text = (scenarios.scenarios_dir() / "modem-without-sync.yaml").read_text(encoding="utf-8")
    text = text.replace("name: modem-without-sync", "name: aula-roto")
    lines = text.splitlines()
    broken = next(i for i, line in enumerate(lines) if "said: ['deseas que un asesor'], by: bot" in line)
    lines[broken] = lines[broken].replace("by: bot", "by: robot")
    (folder / "aula-roto.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    try:
        answer = gateway_client.post("/admin/scenarios/aula-roto", json={})
        assert answer.status_code == 422, answer.text
        detail = answer.json()["detail"]
        assert f"aula-roto.yaml, line {broken + 1}: practice.rules[1].when" in detail, detail
        assert "'robot' is not one of ['advisor', 'bot', 'anyone']" in detail, detail
        lines[broken] = lines[broken].replace("by: robot", "by: [bot")  # not even YAML
        (folder / "aula-roto.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")
        detail = gateway_client.post("/admin/scenarios/aula-roto", json={}).json()["detail"]
        assert f"aula-roto.yaml, line {broken + 1}: not valid YAML" in detail, detail
    finally:
        (folder / "aula-roto.yaml").unlink()


def test_a_trainers_scenario_is_kept_for_one_sandbox(gateway_client):
    d = new_sandbox(InProcess(gateway_client), "aula-1")
    other = new_sandbox(InProcess(gateway_client), "aula-2")
    root = _trainers_root(gateway_client)
    try:
        kept = d.gw("POST", "/admin/scenarios", json=_document("aula-modem"))
        assert kept.status_code == 201, kept.text
        assert kept.json() | {"customer": None} == {
            "name": "aula-modem",
            "title": "Módem sin señal (aula)",
            "description": scenarios.read("modem-without-sync")["description"],
            "customer": None,
            "systems": ["diagnosticador"],
            "practice": True,
            "source": "sandbox",
            "scope": "sandbox",
        }
        assert (root / "sandboxes" / "aula-1" / "aula-modem.yaml").is_file()
        assert not (scenarios.scenarios_dir() / "aula-modem.yaml").exists(), "never in the repository's folder"
        assert "aula-modem" in [s["name"] for s in d.ok("GET", "/admin/scenarios")["scenarios"]]
        assert "aula-modem" not in [s["name"] for s in other.ok("GET", "/admin/scenarios")["scenarios"]]
        assert other.gw("POST", "/admin/scenarios/aula-modem", json={}).status_code == 404

        d.ok("POST", "/admin/clock", json={"set": START, "frozen": True})
        loaded = d.ok("POST", "/admin/scenarios/aula-modem", json={"practice": True})
        assert loaded["practice"]["scenario"] == "aula-modem" and loaded["practice"]["lines"][0]["state"] == "said"

        again = d.gw("POST", "/admin/scenarios", json=_document("aula-modem") | {"title": "Otra versión"})
        assert again.status_code == 200 and again.json()["title"] == "Otra versión"
        assert d.gw("DELETE", "/admin/scenarios/aula-modem").status_code == 204
        assert not (root / "sandboxes" / "aula-1" / "aula-modem.yaml").exists()
        assert d.gw("DELETE", "/admin/scenarios/aula-modem").status_code == 404

        assert other.gw("POST", "/admin/scenarios", json=_document("aula-dos")).status_code == 201
        assert gateway_client.delete("/admin/sandboxes/aula-2").status_code == 200
        assert not (root / "sandboxes" / "aula-2").exists(), "a deleted sandbox's scenarios go with it"
        new_sandbox(InProcess(gateway_client), "aula-2")
        assert "aula-dos" not in [s["name"] for s in other.ok("GET", "/admin/scenarios")["scenarios"]]
    finally:
        for name in ("aula-1", "aula-2"):
            assert gateway_client.delete(f"/admin/sandboxes/{name}").status_code == 200


def test_a_trainers_scenario_for_all_sandboxes(gateway_client):
    d = new_sandbox(InProcess(gateway_client), "aula-3")
    try:
        kept = gateway_client.post("/admin/scenarios", params={"scope": "all"}, json=_document("aula-todos"))
        assert kept.status_code == 201 and kept.json()["source"] == "all", kept.text
        assert (_trainers_root(gateway_client) / "all" / "aula-todos.yaml").is_file()
        [entry] = [s for s in d.ok("GET", "/admin/scenarios")["scenarios"] if s["name"] == "aula-todos"]
        assert entry["source"] == "all"
        d.ok("POST", "/admin/scenarios/aula-todos", json={})
        assert d.gw("DELETE", "/admin/scenarios/aula-todos").status_code == 404, "not this sandbox's own"
        assert gateway_client.delete("/admin/scenarios/aula-todos", params={"scope": "all"}).status_code == 204
        assert d.gw("POST", "/admin/scenarios/aula-todos", json={}).status_code == 404
    finally:
        assert gateway_client.delete("/admin/sandboxes/aula-3").status_code == 200


def test_an_invalid_document_is_a_422_naming_the_problem(gateway_client):
    document = _document("aula-mala")
    document["practice"]["rules"][2]["when"] = {"said": []}
    document["practice"]["rules"][3]["say"] = "Mi correo es {email}"
    answer = gateway_client.post("/admin/scenarios", json=document)
    assert answer.status_code == 422, answer.text
    assert "practice.rules[2].when.said: [] should be non-empty" in answer.json()["detail"]

    document["practice"]["rules"][2]["when"] = {"said": ["algo"]}
    answer = gateway_client.post("/admin/scenarios", json=document)
    assert answer.status_code == 422 and "practice.rules[3].say: unknown placeholder {email}" in answer.text

    document = _document("aula-mala")
    document["practice"]["rules"].append({"id": "x", "when": {"did": "close"}, "say": "Chao", "after": ["nadie"]})
    answer = gateway_client.post("/admin/scenarios", json=document)
    assert answer.status_code == 422 and "'after' names 'nadie', which is not a rule above this one" in answer.text

    document = _document("aula-mala")
    document["customer"].pop("msisdn", None)
    document["practice"]["rules"][0]["say"] = "Mi línea es la {msisdn}"
    answer = gateway_client.post("/admin/scenarios", json=document)
    assert answer.status_code == 422 and "says {msisdn} but the customer has no msisdn" in answer.text

    missing = {k: v for k, v in _document("aula-mala").items() if k != "customer"}
    answer = gateway_client.post("/admin/scenarios", json=missing)
    assert answer.status_code == 422 and "'customer' is a required property" in answer.text
    assert not (_trainers_root(gateway_client) / "sandboxes" / "default" / "aula-mala.yaml").exists()


def test_the_repository_scenarios_are_read_only(gateway_client):
    answer = gateway_client.post("/admin/scenarios", json=_document("modem-without-sync"))
    assert answer.status_code == 409 and "read-only" in answer.json()["detail"]
    assert gateway_client.delete("/admin/scenarios/modem-without-sync").status_code == 409


def test_a_token_pinned_to_a_sandbox_keeps_scenarios_for_it_only(gateway_client):
    new_sandbox(InProcess(gateway_client), "st")
    try:
        answer = gateway_client.post(
            "/admin/scenarios", params={"scope": "all"}, json=_document("aula-st"), token="dev-admin-st"
        )
        assert answer.status_code == 403 and "scope=sandbox" in answer.json()["detail"]
        kept = gateway_client.post("/admin/scenarios", json=_document("aula-st"), token="dev-admin-st")
        assert (
            kept.status_code == 201 and (_trainers_root(gateway_client) / "sandboxes" / "st" / "aula-st.yaml").is_file()
        )
    finally:
        assert gateway_client.delete("/admin/sandboxes/st").status_code == 200


def test_practice_needs_a_scenario_with_rules(gateway_client):
    document = _document("aula-sin-reglas")
    del document["practice"]
    assert gateway_client.post("/admin/scenarios", json=document).status_code == 201
    try:
        answer = gateway_client.post("/admin/scenarios/aula-sin-reglas", json={"practice": True})
        assert answer.status_code == 422 and "no practice section" in answer.json()["detail"]
    finally:
        assert gateway_client.delete("/admin/scenarios/aula-sin-reglas").status_code == 204
