"""Handlers of the control API (openapi/mocks/admin.yaml), the same on every mock, under /__admin/.

A request that sends X-Sandbox is scoped to that sandbox: every operation but the list acts on it alone, so
creating or deleting another sandbox is a 403 (a contract run with `-H "X-Sandbox: st"` can't touch the others).
Without the header, the sandbox operations act on the sandbox they name.
"""

from __future__ import annotations

from typing import Any

import flask

from claro_backoffice.core.formats import instant
from claro_backoffice.core.problems import problem
from claro_backoffice.mocks.kit import faults, fixtures, journal
from claro_backoffice.mocks.kit.clock import InvalidDuration, parse_duration
from claro_backoffice.mocks.kit.context import SANDBOX_HEADER, runtime, session
from claro_backoffice.mocks.kit.problems import bad_request, conflict, not_found, unprocessable
from claro_backoffice.mocks.kit.store import DEFAULT_SANDBOX, SandboxExists, UnknownSandbox


def _sandbox_view(row: dict[str, Any]) -> dict[str, Any]:
    return {"name": row["name"], "seed": row["seed"], "created_at": row["created_at"], "system": runtime().system}


def list_sandboxes() -> dict[str, Any]:
    return {"sandboxes": [_sandbox_view(r) for r in runtime().store.list()]}


def _in_scope(name: str, action: str) -> None:
    scope = flask.request.headers.get(SANDBOX_HEADER)
    if scope and scope != name:
        raise problem(
            403,
            f"this request is scoped to sandbox '{scope}' (X-Sandbox) and can't {action} sandbox "
            f"'{name}'; send it without X-Sandbox, or with X-Sandbox: {name}",
            "out-of-scope",
        )


def create_sandbox(body: dict[str, Any]) -> tuple[dict[str, Any], int]:
    _in_scope(body["name"], "create")
    try:
        row = runtime().store.create(body["name"], body.get("seed"))
    except SandboxExists:
        raise conflict(
            f"sandbox '{body['name']}' already exists in {runtime().system}; reset it with "
            "POST /__admin/reset or delete it first",
            "sandbox-exists",
        ) from None
    return _sandbox_view(row), 201


def delete_sandbox(name: str) -> tuple[None, int]:
    _in_scope(name, "delete")
    if name == DEFAULT_SANDBOX:
        raise conflict(
            "the 'default' sandbox always exists and can't be deleted; POST /__admin/reset restores it",
            "default-sandbox",
        )
    try:
        runtime().store.delete(name)
    except UnknownSandbox:
        raise not_found(f"sandbox '{name}' does not exist in {runtime().system}", "unknown-sandbox") from None
    return None, 204


def reset_sandbox() -> dict[str, Any]:
    s = session()
    name = s.sandbox
    row = runtime().store.reset(name)
    return dict(_sandbox_view(row), reset=True, now=s.clock.now().isoformat())


def describe_fixtures() -> dict[str, Any]:
    return {"system": runtime().system, "tables": fixtures.schema(session().db)}


def apply_fixtures(body: dict[str, Any]) -> dict[str, Any]:
    try:
        served = runtime().served
        applied = fixtures.apply(session().db, body["changes"], served.check if served else None)
    except fixtures.FixtureError as exc:
        raise unprocessable(str(exc), "invalid-fixture") from None
    return {"system": runtime().system, "description": body.get("description"), "applied": applied}


def list_requests(
    method: str | None = None, path: str | None = None, limit: int = 100, status: int | None = None
) -> dict[str, Any]:
    return {"requests": journal.entries(session().db, method, path, limit, status)}


def clear_requests() -> dict[str, Any]:
    return {"deleted": journal.clear(session().db)}


def list_faults() -> dict[str, Any]:
    return {"faults": [faults.public(r) for r in faults.rules(session().db)]}


def add_fault(body: dict[str, Any]) -> tuple[dict[str, Any], int]:
    kind = body["kind"]
    if kind == "error" and not 400 <= body.get("status", 503) <= 599:
        raise bad_request("an error fault's status must be a 4xx or 5xx code")
    s = session()
    return faults.add(s.db, body, s.now().isoformat()), 201


def clear_faults() -> dict[str, Any]:
    return {"deleted": faults.remove(session().db)}


def delete_fault(fault_id: str) -> tuple[None, int]:
    if not faults.remove(session().db, fault_id):
        raise not_found(f"no fault '{fault_id}' in this sandbox of {runtime().system}", "unknown-fault")
    return None, 204


def get_clock() -> dict[str, Any]:
    return session().clock.state()


def set_clock(body: dict[str, Any]) -> dict[str, Any]:
    """`set` (a date-time), then `advance` (a duration), then `frozen`: each optional, applied in that order."""
    clock = session().clock
    when = clock.now()
    if "set" in body:
        when = instant(body["set"])  # RFC 3339 with an offset: the spec checked it
    if "advance" in body:
        try:
            when += parse_duration(body["advance"])
        except InvalidDuration as exc:
            raise unprocessable(str(exc), "invalid-duration") from None
        except OverflowError:
            raise unprocessable(f"advancing by {body['advance']} leaves the calendar", "invalid-duration") from None
    try:
        clock.set(when, body.get("frozen"))
    except OverflowError:
        raise unprocessable(f"{when.isoformat()} can't be shown in Bogotá time", "invalid-time") from None
    return clock.state()
