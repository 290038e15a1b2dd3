"""Scenarios: named cross-system situations (`scenarios/<name>.yaml`) loaded into a sandbox, for tests, demos and
training. A file names the customer it concerns (from the default world), the fixtures it plants in each system
(each system's block is exactly the body of that mock's `POST /__admin/fixtures`), the customer's side of the chat
and the expected handling. Loading applies every system's block through its adapter, concurrently: each system's
patch is one transaction there, but the systems are not changed atomically together, so a failure names the
systems that failed and those that were patched (reset the sandbox and load again). Fixture inserts replace rows by
primary key, so loading a scenario twice leaves the same state.

Files are read at each request (no cache): editing a scenario needs no restart. The format is
scenarios/scenario.schema.json (gateway/services/scenario_format.py): a file that breaks it is refused naming the
file and the line. Trainers add their own through POST /admin/scenarios, kept under the gateway's var folder
(`scenarios/sandboxes/<sandbox>/` or `scenarios/all/`), never in the repository's folder: a sandbox sees its own,
then those for all, then the repository's.
"""

from __future__ import annotations

import functools
import os
import re
import shutil
import tempfile
from collections.abc import Sequence
from concurrent.futures import Executor
from pathlib import Path

import yaml

from claro_backoffice.core import package_data
from claro_backoffice.gateway.backoffice import Backoffice
from claro_backoffice.gateway.backoffice.base import CallContext
from claro_backoffice.gateway.domain_errors import Conflict, NotFound, RuleBroken
from claro_backoffice.gateway.practice import rules
from claro_backoffice.gateway.services import scenario_format
from claro_backoffice.gateway.services.admin import _outcomes
from claro_backoffice.gateway.services.fanout import gather

NAME = re.compile(r"^[a-z0-9-]{1,60}$")
ALL = "all"  # a trainer's scenario for every sandbox (else: for the one it was posted in)


def scenarios_dir() -> Path:
    """The shipped scenarios (package data, claro_backoffice/scenarios/; as runtime.spec_path() finds the spec)."""
    return package_data.path("scenarios")


def trainer_dirs(var_dir: Path, sandbox: str) -> list[Path]:
    """Where trainers' scenarios are kept (POST /admin/scenarios), the sandbox's own before those for all."""
    root = Path(var_dir) / "scenarios"
    return [root / "sandboxes" / sandbox, root / ALL]


def _format() -> dict:
    return scenario_format.schema(scenarios_dir())


def problems(scenario: object, stem: str) -> list[str]:
    """What is wrong with a scenario document (empty when it is usable), by the format's JSON Schema and checks."""
    return [message for _, message in scenario_format.problems(scenario, _format(), stem)]


def _path(name: str, directory: Path | None, extra: Sequence[Path]) -> Path | None:
    if not NAME.match(name):
        return None
    found = (d / f"{name}.yaml" for d in [*extra, directory or scenarios_dir()])
    return next((path for path in found if path.is_file()), None)


def read(name: str, directory: Path | None = None, extra: Sequence[Path] = ()) -> dict:
    """The scenario `name`: a trainer's (`extra` folders, first found) or the repository's; checked whole."""
    path = _path(name, directory, extra)
    if path is None:
        known = ", ".join(names(directory, extra)) or "none"
        raise NotFound(f"there is no scenario '{name}'; the scenarios are: {known}", "scenario-not-found")
    try:
        return scenario_format.parse_file(path, _format(), stem=name)
    except scenario_format.ScenarioInvalid as exc:
        raise RuleBroken(str(exc), "invalid-scenario") from exc


def names(directory: Path | None = None, extra: Sequence[Path] = ()) -> list[str]:
    found: set[str] = set()
    for folder in [directory or scenarios_dir(), *extra]:
        if folder.is_dir():
            found |= {p.stem for p in folder.glob("*.yaml") if NAME.match(p.stem)}
    return sorted(found)


def catalogue(directory: Path | None = None, extra: Sequence[Path] = ()) -> dict:
    entries = []
    for name in names(directory, extra):
        scenario = read(name, directory, extra)
        path = _path(name, directory, extra)
        assert path is not None  # listed just above
        entries.append(
            {
                "name": name,
                "title": scenario["title"],
                "description": scenario.get("description"),
                "customer": _customer_summary(scenario["customer"]),
                "systems": sorted(scenario["fixtures"]),
                "practice": bool(scenario.get("practice")),
                "source": _source(path, directory),
            }
        )
    return {"scenarios": entries, "total": len(entries)}


def _source(path: Path, directory: Path | None) -> str:
    if path.parent == (directory or scenarios_dir()):
        return "repository"
    return ALL if path.parent.name == ALL and path.parent.parent.name == "scenarios" else "sandbox"


def store(document: object, var_dir: Path, sandbox: str | None, directory: Path | None = None) -> tuple[dict, bool]:
    """A trainer's scenario checked and kept under var/ (for `sandbox`, or for every sandbox when None), never in
    the repository's folder; (what was kept, True when it is new rather than a replacement)."""
    try:
        scenario = scenario_format.check_document(document, _format(), "document")
    except scenario_format.ScenarioInvalid as exc:
        raise RuleBroken(str(exc), "invalid-scenario") from exc
    name = scenario["name"]
    folder = _trainer_folder(name, var_dir, sandbox, directory)
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / f"{name}.yaml"
    created = not target.exists()
    text = yaml.safe_dump(scenario, allow_unicode=True, sort_keys=False, width=120)
    with tempfile.NamedTemporaryFile("w", encoding="utf-8", dir=folder, suffix=".tmp", delete=False) as out:
        out.write(text)
        out.flush()
        os.fsync(out.fileno())
    os.replace(out.name, target)  # a reader sees the old file or the new one, never half of it
    return scenario, created


def remove(name: str, var_dir: Path, sandbox: str | None, directory: Path | None = None) -> None:
    """A trainer's scenario deleted from var/ (for `sandbox`, or the one for all when None)."""
    path = _trainer_folder(name, var_dir, sandbox, directory) / f"{name}.yaml"
    if not NAME.match(name) or not path.is_file():
        where = f"sandbox '{sandbox}'" if sandbox else "all sandboxes"
        raise NotFound(f"there is no trainer's scenario '{name}' kept for {where}", "scenario-not-found")
    path.unlink()


def forget_sandbox(var_dir: Path, sandbox: str) -> None:
    """A deleted sandbox's own trainers' scenarios go with it (a sandbox created again later starts without them)."""
    shutil.rmtree(Path(var_dir) / "scenarios" / "sandboxes" / sandbox, ignore_errors=True)


def _trainer_folder(name: str, var_dir: Path, sandbox: str | None, directory: Path | None) -> Path:
    if _path(name, directory, ()) is not None:
        raise Conflict(
            f"'{name}' is a scenario of the repository, which is read-only: trainers' scenarios take other names",
            "scenario-exists",
        )
    root = Path(var_dir) / "scenarios"
    return root / "sandboxes" / sandbox if sandbox else root / ALL


def load(
    backoffice: Backoffice,
    executor: Executor,
    ctx: CallContext,
    name: str,
    directory: Path | None = None,
    extra: Sequence[Path] = (),
) -> dict:
    """Plant the scenario's fixtures in ctx.sandbox; the customer, the chat script and the expected handling."""
    scenario = read(name, directory, extra)
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
    """The chat's placeholders ({document}, {firstName}, … as practice lines have them)."""
    return rules.fill(message, customer)


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
