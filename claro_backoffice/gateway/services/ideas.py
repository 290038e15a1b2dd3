"""Continuous improvement ideas (procedure, section 7): raised by asesores and supervisores, reviewed in the
improvement meetings (reuniones de mejora continua: supervisores, coordinadores), delivered to the client in the
improvement circuit (circuito de mejora continua: coordinadores) and tracked with the client's status.

States: raised -> accepted | rejected (a rejection needs its reason); accepted -> delivered; delivered ->
inProgress | discarded; inProgress -> implemented | discarded. Any other step is a 409 naming the idea's state.
Every person is an Almabi username checked there (422 when unknown or of a role that can't take that step);
every change is kept with its date (the sandbox's virtual now) and note.
"""

from __future__ import annotations

import datetime as dt

import sqlite_utils

from claro_backoffice.gateway.backoffice import Backoffice
from claro_backoffice.gateway.backoffice.base import CallContext
from claro_backoffice.gateway.cases.ids import next_id
from claro_backoffice.gateway.cases.store import CrmStore, row, rows
from claro_backoffice.gateway.domain_errors import Conflict, NotFound, RuleBroken

RAISERS = ("asesor", "supervisor")
REVIEWERS = ("supervisor", "coordinador")
DELIVERERS = ("coordinador",)
TRACKERS = ("coordinador", "gerente")
NEXT = {
    "raised": ("accepted", "rejected"),
    "accepted": ("delivered",),
    "delivered": ("inProgress", "discarded"),
    "inProgress": ("implemented", "discarded"),
}


def person(backoffice: Backoffice, ctx: CallContext, username: str, roles: tuple[str, ...], step: str) -> dict:
    agent = backoffice.almabi.agent_by_username(ctx, username)
    if agent is None:
        raise RuleBroken(f"'{username}' is not an agent in Almabi", "unknown-agent")
    if agent["role"] not in roles:
        raise RuleBroken(f"{username} is a {agent['role']} in Almabi; {step} is for {' / '.join(roles)}", "agent-role")
    if agent["status"] == "exited":
        raise RuleBroken(f"{username} left the operation on {agent['exitDate']}", "agent-exited")
    return agent


def _load(db: sqlite_utils.Database, idea_id: str) -> dict:
    found = row(db.execute("SELECT * FROM ideas WHERE id = ?", [idea_id]))
    if found is None:
        raise NotFound(f"idea {idea_id} does not exist in this sandbox; GET /ideas lists them", "idea-not-found")
    return found


def _view(db: sqlite_utils.Database, idea: dict) -> dict:
    history = rows(
        db.execute("SELECT status, by, note, at FROM idea_events WHERE idea_id = ? ORDER BY seq", [idea["id"]])
    )
    return {
        "id": idea["id"],
        "title": idea["title"],
        "description": idea["description"],
        "raisedBy": idea["raised_by"],
        "raiserRole": idea["raiser_role"],
        "teamId": idea["team_id"],
        "status": idea["status"],
        "reason": idea["reason"],
        "createdAt": idea["created_at"],
        "updatedAt": idea["updated_at"],
        "history": history,
    }


def _event(db: sqlite_utils.Database, idea_id: str, status: str, by: str, note: str | None, at: str) -> None:
    seq = db.execute("SELECT COUNT(*) FROM idea_events WHERE idea_id = ?", [idea_id]).fetchone()[0] + 1
    db.table("idea_events").insert({"idea_id": idea_id, "seq": seq, "status": status, "by": by, "note": note, "at": at})


def raise_idea(backoffice: Backoffice, crm: CrmStore, now: dt.datetime, ctx: CallContext, body: dict) -> dict:
    agent = person(backoffice, ctx, body["raisedBy"], RAISERS, "raising an idea")
    team = body.get("teamId") or agent["teamId"]
    if team != agent["teamId"]:
        raise RuleBroken(f"{agent['username']} is in {agent['teamId']}, not {team}", "idea-team")
    at = now.isoformat()
    with crm.write(ctx.sandbox) as db:
        idea = {
            "id": next_id(db, "IDEA"),
            "title": body["title"],
            "description": body["description"],
            "raised_by": agent["username"],
            "raiser_role": agent["role"],
            "team_id": team,
            "status": "raised",
            "reason": None,
            "created_at": at,
            "updated_at": at,
        }
        db.table("ideas").insert(idea)
        _event(db, idea["id"], "raised", agent["username"], None, at)
        return _view(db, idea)


def find(crm: CrmStore, ctx: CallContext, status: str | None = None, team: str | None = None) -> list[dict]:
    where, args = [], []
    for column, value in (("status", status), ("team_id", team)):
        if value:
            where.append(f"{column} = ?")
            args.append(value)
    with crm.read(ctx.sandbox) as db:
        found = rows(
            db.execute(
                "SELECT * FROM ideas" + (" WHERE " + " AND ".join(where) if where else "") + " ORDER BY id", args
            )
        )
        return [_view(db, i) for i in found]


def get(crm: CrmStore, ctx: CallContext, idea_id: str) -> dict:
    with crm.read(ctx.sandbox) as db:
        return _view(db, _load(db, idea_id))


def _move(
    crm: CrmStore,
    now: dt.datetime,
    ctx: CallContext,
    idea_id: str,
    status: str,
    by: str,
    note: str | None,
    reason: str | None = None,
) -> dict:
    with crm.write(ctx.sandbox) as db:
        idea = _load(db, idea_id)
        allowed = NEXT.get(idea["status"], ())
        if status not in allowed:
            after = f"only {' or '.join(allowed)} can follow" if allowed else "it is final"
            raise Conflict(
                f"idea {idea_id} is {idea['status']}: it can't become {status} ({after})",
                "idea-state",
                ideaId=idea_id,
                ideaStatus=idea["status"],
            )
        at = now.isoformat()
        db.execute(
            "UPDATE ideas SET status = ?, reason = COALESCE(?, reason), updated_at = ? WHERE id = ?",
            [status, reason, at, idea_id],
        )
        _event(db, idea_id, status, by, note if reason is None else reason, at)
        return _view(db, _load(db, idea_id))


def review(backoffice: Backoffice, crm: CrmStore, now: dt.datetime, ctx: CallContext, idea_id: str, body: dict) -> dict:
    agent = person(backoffice, ctx, body["reviewedBy"], REVIEWERS, "reviewing an idea")
    reason = (body.get("reason") or "").strip()
    if body["decision"] == "rejected" and not reason:
        raise RuleBroken("a rejected idea needs the reason it can't be done (reason)", "idea-reason")
    return _move(
        crm,
        now,
        ctx,
        idea_id,
        body["decision"],
        agent["username"],
        reason or None,
        reason if body["decision"] == "rejected" else None,
    )


def deliver(
    backoffice: Backoffice, crm: CrmStore, now: dt.datetime, ctx: CallContext, idea_id: str, body: dict
) -> dict:
    agent = person(backoffice, ctx, body["deliveredBy"], DELIVERERS, "delivering an idea to the client")
    return _move(crm, now, ctx, idea_id, "delivered", agent["username"], body.get("note"))


def track(backoffice: Backoffice, crm: CrmStore, now: dt.datetime, ctx: CallContext, idea_id: str, body: dict) -> dict:
    agent = person(backoffice, ctx, body["recordedBy"], TRACKERS, "recording the client's status")
    return _move(crm, now, ctx, idea_id, body["status"], agent["username"], body["note"])
