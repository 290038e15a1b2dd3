"""Scenarios: named cross-system situations (`scenarios/<name>.yaml`) loaded into a sandbox, for tests, demos and
training. A file names the customer it concerns (from the default world), the fixtures it plants in each system
(each system's block is exactly the body of that mock's `POST /__admin/fixtures`), the customer's side of the chat
and the expected handling. Loading applies every system's block through its adapter, concurrently: each system's
patch is one transaction there, but the systems are not changed atomically together, so a failure names the
systems that failed and those that were patched (reset the sandbox and load again). Fixture inserts replace rows by
primary key, so loading a scenario twice leaves the same state.

Files are read at each request (no cache): editing a scenario needs no restart.
"""

from __future__ import annotations

import functools
import re
from concurrent.futures import Executor
from pathlib import Path

import yaml

from core.systems import SYSTEMS
from core.yamlload import safe_load
from gateway.backoffice import Backoffice
from gateway.backoffice.base import CallContext
from gateway.domain_errors import NotFound, RuleBroken
from gateway.services.admin import _outcomes
from gateway.services.fanout import gather

NAME = re.compile(r"^[a-z0-9-]{1,60}$")


def scenarios_dir() -> Path:
    """The repository's `scenarios/` folder (as runtime.spec_path() finds the spec)."""
    return Path(__file__).resolve().parent.parent.parent / "scenarios"


def problems(scenario: dict, stem: str) -> list[str]:
    """What is wrong with a scenario file (empty when it is usable)."""
    errors = []
    if not isinstance(scenario, dict):
        return ["the file is not a mapping"]
    if scenario.get("name") != stem:
        errors.append(f"'name' must be the file's name ({stem!r})")
    if not isinstance(scenario.get("title"), str) or not scenario["title"]:
        errors.append("'title' (Spanish) is missing")
    customer = scenario.get("customer")
    if not isinstance(customer, dict) or not all(customer.get(k) for k in ("customerId", "phone", "document")):
        errors.append("'customer' needs customerId, phone and document")
    fixtures = scenario.get("fixtures")
    if not isinstance(fixtures, dict):
        errors.append("'fixtures' must be a mapping of system -> fixtures body (may be empty)")
    else:
        for system, body in fixtures.items():
            if system not in SYSTEMS:
                errors.append(f"fixtures for unknown system {system!r}; systems are {', '.join(SYSTEMS)}")
            elif not isinstance(body, dict) or not isinstance(body.get("changes"), list) or not body["changes"]:
                errors.append(f"fixtures of {system} need a non-empty 'changes' list")
    chat = scenario.get("chat")
    if not isinstance(chat, list) or not chat or not all(isinstance(m, str) and m for m in chat):
        errors.append("'chat' must be a non-empty list of the customer's messages")
    if not isinstance(scenario.get("expected"), dict):
        errors.append("'expected' must be a mapping")
    return errors


def read(name: str, directory: Path | None = None) -> dict:
    directory = directory or scenarios_dir()
    path = directory / f"{name}.yaml"
    if not NAME.match(name) or not path.is_file():
        known = ", ".join(names(directory)) or "none"
        raise NotFound(f"there is no scenario '{name}'; the scenarios are: {known}", "scenario-not-found")
    try:
        scenario = safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise RuleBroken(f"scenario file {path.name} is not valid YAML: {exc}", "invalid-scenario") from exc
    errors = problems(scenario, name)
    if errors:
        raise RuleBroken(f"scenario file {path.name} is not usable: {'; '.join(errors)}", "invalid-scenario")
    return scenario


def names(directory: Path | None = None) -> list[str]:
    directory = directory or scenarios_dir()
    return sorted(p.stem for p in directory.glob("*.yaml") if NAME.match(p.stem)) if directory.is_dir() else []


def catalogue(directory: Path | None = None) -> dict:
    entries = []
    for name in names(directory):
        scenario = read(name, directory)
        entries.append(
            {
                "name": name,
                "title": scenario["title"],
                "description": scenario.get("description"),
                "customer": _customer_summary(scenario["customer"]),
                "systems": sorted(scenario["fixtures"]),
            }
        )
    return {"scenarios": entries, "total": len(entries)}


def load(
    backoffice: Backoffice, executor: Executor, ctx: CallContext, name: str, directory: Path | None = None
) -> dict:
    """Plant the scenario's fixtures in ctx.sandbox; the customer, the chat script and the expected handling."""
    scenario = read(name, directory)
    fixtures = scenario["fixtures"]
    calls = {
        system: functools.partial(
            backoffice.control(system).apply_fixtures,
            ctx,
            body["changes"],
            body.get("description") or f"scenario {name}",
        )
        for system, body in fixtures.items()
    }
    outcomes = gather(executor, calls)
    results = _outcomes(
        f"loading scenario '{name}' into sandbox '{ctx.sandbox}'",
        {
            s: v if not isinstance(v, dict) else {"status": 200, "applied": v.get("applied", [])}
            for s, v in outcomes.items()
        },
        "applied",
    )
    customer = scenario["customer"]
    return {
        "name": name,
        "title": scenario["title"],
        "description": scenario.get("description"),
        "sandbox": ctx.sandbox,
        "customer": _customer(customer),
        "chat": [fill(m, customer) for m in scenario["chat"]],
        "waitMinutes": scenario.get("waitMinutes"),
        "expected": scenario["expected"],
        "results": results,
    }


def fill(message: str, customer: dict) -> str:
    """The chat's placeholders: {document} (the customer's document number) and {firstName}."""
    first = (customer.get("name") or "").split(" ")[0]
    return message.replace("{document}", str(customer["document"]["number"])).replace("{firstName}", first)


def _customer_summary(customer: dict) -> dict:
    return {
        "customerId": customer["customerId"],
        "name": customer.get("name"),
        "accountId": customer.get("accountId"),
        "msisdn": customer.get("msisdn"),
    }


def _customer(customer: dict) -> dict:
    phone = str(customer["phone"])
    return {
        "customerId": customer["customerId"],
        "name": customer.get("name"),
        "premium": bool(customer.get("premium")),
        "document": {"type": customer["document"]["type"], "number": str(customer["document"]["number"])},
        "phone": {"waId": "57" + phone, "national": phone},
        "accounts": customer.get("accounts") or [],
        "lines": customer.get("lines") or [],
        "accountId": customer.get("accountId"),
        "msisdn": customer.get("msisdn"),
    }
