"""/admin/*: sandboxes, clock, faults and journal of every system (admin role; gateway/services/admin.py).

An admin token pinned to a sandbox (`token:admin:<sandbox>`) administers that sandbox only: creating, deleting
or resetting another is a 403 (check_pinned), the header-scoped operations act on its own sandbox (security),
and the list of sandboxes shows its own sandbox alone. It may create and reset its sandbox but not delete it: a
run with that token (the README's contract run) would otherwise delete the ground under the rest of its requests;
deleting is for an unpinned admin token.
"""

from __future__ import annotations

from typing import Any

import flask

from claro_backoffice.gateway.api.calls import backoffice, call_context, check_pinned, executor, token_info
from claro_backoffice.gateway.domain_errors import NotFound
from claro_backoffice.gateway.errors import problem
from claro_backoffice.gateway.runtime import runtime
from claro_backoffice.gateway.services import admin, replicas, scenarios


def _forget(name: str, *, crm: str | None = None) -> None:
    """The gateway's own state follows the systems': its cached clock, and its CRM emptied or removed."""
    current = runtime()
    current.clocks.forget(name)
    current.sandboxes.forget(name)
    if crm == "reset" and current.crm.exists(name):
        current.crm.reset(name)
    elif crm == "delete":
        current.crm.delete(name)
        scenarios.forget_sandbox(current.settings.var_dir, name)  # its trainers' scenarios go with it
        current.release_memory()  # what its connections held, in this process (every mock's too, in `make run`)


def list_sandboxes(scope: str = "all") -> dict:
    """This replica's sandboxes, and with scope `all` every peer's (PEERS), each entry naming its replica."""
    listed = admin.list_sandboxes(backoffice(), executor(), call_context())
    pinned = token_info().get("pinned")
    if pinned:
        listed["sandboxes"] = [s for s in listed["sandboxes"] if s["name"] == pinned]
    settings = runtime().settings
    peers: list[dict] = []
    if scope == "all" and settings.peers:
        # the caller's own token: a peer applies the same roles and pinning (replicas share their configuration)
        forwarded = {k: v for k, v in flask.request.headers.items() if k.lower() in ("authorization", "x-request-id")}
        timeouts = (settings.connect_timeout, settings.read_timeout)
        peers = replicas.ask_peers(executor(), settings.peers, forwarded, timeouts)
    return replicas.merge(listed, settings.replica_id, peers)


def create_sandbox(body: dict[str, Any]) -> tuple[dict, int]:
    routed = flask.request.headers.get("X-Sandbox")
    if routed is not None and routed != body["name"]:  # a router sent it to the replica that owns `routed`
        raise problem(
            422,
            f"X-Sandbox '{routed}' is not the sandbox being created ('{body['name']}'): send the new sandbox's name "
            "in both, so a router puts the request on the replica that will own it",
            "sandbox-header-mismatch",
        )
    check_pinned(body["name"])
    created = admin.create_sandbox(backoffice(), executor(), call_context(), body["name"], body.get("seed"))
    _forget(body["name"], crm="reset")
    return created, 201


def delete_sandbox(name: str) -> dict:
    check_pinned(name)
    pinned = token_info().get("pinned")
    if pinned:
        raise problem(
            403,
            f"this token is pinned to sandbox '{pinned}' and can't delete it (its requests would be "
            "left without a sandbox); reset it, or delete it with an unpinned admin token",
            "forbidden-sandbox",
        )
    try:
        deleted = admin.delete_sandbox(backoffice(), executor(), call_context(), name)
    except NotFound:  # in no system: a CRM file left for it (by an older version) goes too
        _forget(name, crm="delete")
        raise
    _forget(name, crm="delete")
    return deleted


def reset_sandbox(name: str) -> dict:
    check_pinned(name)
    try:
        return admin.reset_sandbox(backoffice(), executor(), call_context(), name)
    finally:
        _forget(name, crm="reset")


def get_clock() -> dict:
    return admin.read_clock(backoffice(), executor(), call_context())


def set_clock(body: dict[str, Any]) -> dict:
    context = call_context()
    try:
        return admin.set_clock(backoffice(), executor(), context, body)
    finally:
        _forget(context.sandbox)


def list_faults(system: str | None = None) -> dict:
    return admin.list_faults(backoffice(), executor(), call_context(), system)


def add_fault(body: dict[str, Any]) -> tuple[dict, int]:
    return admin.add_fault(backoffice(), call_context(), body), 201


def clear_faults(system: str | None = None) -> dict:
    return admin.clear_faults(backoffice(), executor(), call_context(), system)


def get_journal(
    system: str | None = None,
    limit: int = 100,
    method: str | None = None,
    path: str | None = None,
    status: int | None = None,
) -> dict:
    ctx, crm = call_context(), runtime().crm
    erased: set[str] = set()
    if crm.exists(ctx.sandbox):  # Ley 1581: Meta's record of a customer who declined consent is not shown
        with crm.read(ctx.sandbox) as db:
            erased = {r[0] for r in db.execute("SELECT wamid FROM erased_wamids")}
    return admin.journal(backoffice(), executor(), ctx, system, limit, method, path, status, erased=erased)
