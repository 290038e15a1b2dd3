"""Administration fanned out to every system's control API (`/__admin/`), concurrently, with a result per system.

A partial failure is named: the problem lists each system's outcome (`results`) and says which failed; its status
is the failures' common status (e.g. 404 when the sandbox is unknown everywhere, 422 for an invalid duration),
or 502 when they differ. Reads (sandboxes, clock, faults, journal) answer with what the systems that could answer said,
and list the others in `degraded`.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Sequence
from concurrent.futures import Executor

from claro_backoffice.core.systems import SYSTEMS
from claro_backoffice.gateway.backoffice import Backoffice
from claro_backoffice.gateway.backoffice.base import CallContext
from claro_backoffice.gateway.domain_errors import Conflict, NotFound
from claro_backoffice.gateway.errors import DownstreamError
from claro_backoffice.gateway.services.fanout import all_failed, gather, split

_FAULT_FIELDS = {
    "method": "method",
    "path": "path",
    "kind": "kind",
    "status": "status",
    "delayMs": "delay_ms",
    "delayMaxMs": "delay_max_ms",
    "probability": "probability",
    "count": "count",
    "seed": "seed",
}


def _fan(
    backoffice: Backoffice, executor: Executor, method: str, *args: object, systems: Sequence[str] = SYSTEMS
) -> dict:
    return gather(executor, {s: functools.partial(getattr(backoffice.control(s), method), *args) for s in systems})


def _failed(what: str, failures: list[DownstreamError], results: list[dict]) -> DownstreamError:
    statuses = {f.status for f in failures}
    status = statuses.pop() if len(statuses) == 1 else 502
    named = ", ".join(f"{f.system} ({f.status} {f.kind})" for f in failures)
    fine = [r["system"] for r in results if r["outcome"] != "failed"]
    detail = f"{what} failed in {named}" + (f"; done in {', '.join(fine)}" if fine else "")
    detail += f". First: {failures[0].detail}"
    return DownstreamError(failures[0].system, failures[0].kind, status, detail, results=results)


def _outcomes(what: str, outcomes: dict, ok: str, tolerated: dict[int, str] | None = None) -> list[dict]:
    """Per-system results; raises the named partial failure when any system failed."""
    tolerated = tolerated or {}
    results, failures = [], []
    for system in outcomes:
        value = outcomes[system]
        if isinstance(value, DownstreamError):
            if value.status in tolerated:
                results.append({"system": system, "outcome": tolerated[value.status], "status": value.status})
                continue
            failures.append(value)
            results.append({"system": system, "outcome": "failed", "status": value.status, "detail": value.detail})
        else:
            results.append({"system": system, "outcome": ok} | (value if isinstance(value, dict) else {}))
    if failures:
        raise _failed(what, failures, results)
    return results


# ---- sandboxes ---------------------------------------------------------------------------------------------------
def list_sandboxes(backoffice: Backoffice, executor: Executor, ctx: CallContext) -> dict:
    answers, failures = split(_fan(backoffice, executor, "list_sandboxes", ctx))
    if not answers:
        raise all_failed(list(failures.values()))
    merged: dict[str, dict] = {}
    for system in SYSTEMS:
        for sandbox in answers.get(system, []):
            entry = merged.setdefault(
                sandbox["name"], {"name": sandbox["name"], "seed": sandbox.get("seed"), "systems": []}
            )
            entry["systems"].append(system)
    for entry in merged.values():
        entry["missingIn"] = [s for s in SYSTEMS if s in answers and s not in entry["systems"]]
    return {
        "sandboxes": sorted(merged.values(), key=lambda e: e["name"]),
        "degraded": [failures[s].as_dict() for s in SYSTEMS if s in failures],
    }


def create_sandbox(backoffice: Backoffice, executor: Executor, ctx: CallContext, name: str, seed: int | None) -> dict:
    outcomes = _fan(backoffice, executor, "create_sandbox", ctx, name, seed)
    results = _outcomes(
        f"creating sandbox '{name}'", {s: _created(v) for s, v in outcomes.items()}, "created", {409: "exists"}
    )
    if all(r["outcome"] == "exists" for r in results):
        raise Conflict(
            f"sandbox '{name}' already exists in every system; reset it with POST "
            f"/admin/sandboxes/{name}/reset or delete it first",
            "sandbox-exists",
            results=results,
        )
    seeds = [v["seed"] for v in outcomes.values() if isinstance(v, dict)]
    return {"name": name, "seed": seeds[0] if seeds else seed, "results": results}


def _created(value: dict | DownstreamError) -> dict | DownstreamError:
    return value if isinstance(value, DownstreamError) else {"status": 201}


def delete_sandbox(backoffice: Backoffice, executor: Executor, ctx: CallContext, name: str) -> dict:
    if name == "default":
        raise Conflict(
            "the 'default' sandbox always exists and can't be deleted; POST /admin/sandboxes/default/reset restores it",
            "default-sandbox",
        )
    outcomes = _fan(backoffice, executor, "delete_sandbox", ctx, name)
    results = _outcomes(
        f"deleting sandbox '{name}'",
        {s: v if v else {"status": 204} for s, v in outcomes.items()},
        "deleted",
        {404: "absent"},
    )
    if all(r["outcome"] == "absent" for r in results):
        raise NotFound(f"sandbox '{name}' does not exist in any system", "unknown-sandbox", results=results)
    return {"name": name, "results": results}


def reset_sandbox(backoffice: Backoffice, executor: Executor, ctx: CallContext, name: str) -> dict:
    target = CallContext(name, ctx.request_id, ctx.case_id)
    outcomes = _fan(backoffice, executor, "reset_sandbox", target)
    results = _outcomes(
        f"resetting sandbox '{name}'",
        {s: v if isinstance(v, DownstreamError) else {"status": 200, "now": v["now"]} for s, v in outcomes.items()},
        "reset",
        {404: "absent"},
    )
    if all(r["outcome"] == "absent" for r in results):
        raise NotFound(
            f"sandbox '{name}' does not exist in any system; create it with POST /admin/sandboxes",
            "unknown-sandbox",
            results=results,
        )
    return {"name": name, "results": results}


# ---- clock -------------------------------------------------------------------------------------------------------
def read_clock(backoffice: Backoffice, executor: Executor, ctx: CallContext) -> dict:
    """Each system's virtual clock for the sandbox (they drift apart when one missed a change)."""
    answers, failures = split(_fan(backoffice, executor, "get_clock", ctx))
    if not answers:
        raise all_failed(list(failures.values()))
    return {
        "name": ctx.sandbox,
        "clocks": [{"system": s} | answers[s] for s in SYSTEMS if s in answers],
        "degraded": [failures[s].as_dict() for s in SYSTEMS if s in failures],
    }


def set_clock(backoffice: Backoffice, executor: Executor, ctx: CallContext, change: dict) -> dict:
    outcomes = _fan(backoffice, executor, "set_clock", ctx, change)
    results = _outcomes(
        f"changing the clock of sandbox '{ctx.sandbox}'",
        {
            s: v if isinstance(v, DownstreamError) else {"status": 200, "now": v["now"], "frozen": v["frozen"]}
            for s, v in outcomes.items()
        },
        "set",
    )
    return {"name": ctx.sandbox, "results": results}


# ---- faults ------------------------------------------------------------------------------------------------------
def add_fault(backoffice: Backoffice, ctx: CallContext, rule: dict) -> dict:
    system = rule["system"]
    body = {snake: rule[camel] for camel, snake in _FAULT_FIELDS.items() if camel in rule}
    return {"system": system} | backoffice.control(system).add_fault(ctx, body)


def list_faults(backoffice: Backoffice, executor: Executor, ctx: CallContext, system: str | None = None) -> dict:
    answers, failures = split(_fan(backoffice, executor, "list_faults", ctx, systems=[system] if system else SYSTEMS))
    if not answers:
        raise all_failed(list(failures.values()))
    faults = [{"system": s} | f for s in SYSTEMS for f in answers.get(s, [])]
    return {"faults": faults, "degraded": [failures[s].as_dict() for s in SYSTEMS if s in failures]}


def clear_faults(backoffice: Backoffice, executor: Executor, ctx: CallContext, system: str | None = None) -> dict:
    outcomes = _fan(backoffice, executor, "clear_faults", ctx, systems=[system] if system else SYSTEMS)
    results = _outcomes(
        f"clearing the faults of sandbox '{ctx.sandbox}'",
        {s: v if isinstance(v, DownstreamError) else {"status": 200, "deleted": v} for s, v in outcomes.items()},
        "cleared",
    )
    return {"name": ctx.sandbox, "results": results}


# ---- journal -----------------------------------------------------------------------------------------------------
def journal(
    backoffice: Backoffice,
    executor: Executor,
    ctx: CallContext,
    system: str | None = None,
    limit: int = 100,
    method: str | None = None,
    path: str | None = None,
    status: int | None = None,
    *,
    erased: set[str] | frozenset[str] = frozenset(),
) -> dict:
    """The newest `limit` entries of the systems asked that pass the filters, merged newest first (as each mock's
    journal is), each tagged with its system; bodies exactly as the systems sent them. An entry that mentions an
    erased wamid (a message of a customer who declined consent, Ley 1581) is left out: it carries their number
    and text."""
    answers, failures = split(
        _fan(backoffice, executor, "journal", ctx, limit, method, path, status, systems=[system] if system else SYSTEMS)
    )
    if not answers:
        raise all_failed(list(failures.values()))
    # caseId only when the call was made for a case: a null one is no case id (a client following the field,
    # as schemathesis's link inference does, would ask for /cases/None).
    entries = [
        {"system": s} | {k: v for k, v in e.items() if k != "caseId" or v is not None}
        for s, listed in answers.items()
        for e in listed
        if not erased or not any(w in json.dumps(e, ensure_ascii=False) for w in erased)
    ]
    entries.sort(key=lambda e: (e["at"], SYSTEMS.index(e["system"]), e.get("id", 0)), reverse=True)
    return {"entries": entries[:limit], "degraded": [failures[s].as_dict() for s in SYSTEMS if s in failures]}
