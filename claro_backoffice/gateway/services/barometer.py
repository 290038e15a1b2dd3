"""The barómetro (procedure, section 7, reuniones barómetro): a team's climate-survey results per question
(average score 1–5), the worst-rated questions (the lowest three, ties by the order given), and the action plans
agreed in the meeting with their owner, due date and follow-ups.

The team, the owner of an action and whoever records are checked in Almabi (422 when unknown); one survey per team
and period (409 for a second one). Action states: agreed -> inProgress -> done | cancelled (agreed -> done or
cancelled too); a follow-up on a done or cancelled action is a 409 naming its state.
"""

from __future__ import annotations

import datetime as dt

import sqlite_utils

from claro_backoffice.gateway.backoffice import Backoffice
from claro_backoffice.gateway.backoffice.base import CallContext
from claro_backoffice.gateway.cases.ids import next_id
from claro_backoffice.gateway.cases.store import CrmStore, row, rows
from claro_backoffice.gateway.domain_errors import Conflict, NotFound, RuleBroken
from claro_backoffice.gateway.services.adherence import LEADER_ROLES
from claro_backoffice.gateway.services.ideas import person

WORST = 3
FINAL = ("done", "cancelled")


def _load(db: sqlite_utils.Database, barometer_id: str) -> dict:
    found = row(db.execute("SELECT * FROM barometers WHERE id = ?", [barometer_id]))
    if found is None:
        raise NotFound(f"barometer {barometer_id} does not exist in this sandbox", "barometer-not-found")
    return found


def _view(db: sqlite_utils.Database, barometer: dict) -> dict:
    questions = rows(
        db.execute(
            "SELECT code, text, score FROM barometer_questions WHERE barometer_id = ? ORDER BY position",
            [barometer["id"]],
        )
    )
    worst = sorted(questions, key=lambda q: q["score"])[:WORST]  # stable: ties keep the order given
    actions = []
    for action in rows(
        db.execute("SELECT * FROM barometer_actions WHERE barometer_id = ? ORDER BY id", [barometer["id"]])
    ):
        follow = rows(
            db.execute(
                "SELECT status, note, by, at FROM barometer_follow_ups WHERE action_id = ? ORDER BY seq", [action["id"]]
            )
        )
        actions.append(
            {
                "id": action["id"],
                "questionCode": action["question_code"],
                "description": action["description"],
                "owner": action["owner"],
                "dueDate": action["due_date"],
                "status": action["status"],
                "createdAt": action["created_at"],
                "followUps": follow,
            }
        )
    return {
        "id": barometer["id"],
        "teamId": barometer["team_id"],
        "period": barometer["period"],
        "respondents": barometer["respondents"],
        "recordedBy": barometer["recorded_by"],
        "createdAt": barometer["created_at"],
        "questions": questions,
        "worstQuestions": worst,
        "actions": actions,
    }


def create(backoffice: Backoffice, crm: CrmStore, now: dt.datetime, ctx: CallContext, body: dict) -> dict:
    if body["teamId"] not in {t["teamId"] for t in backoffice.almabi.teams(ctx)}:
        raise RuleBroken(f"{body['teamId']} is not a team in Almabi", "barometer-team")
    person(backoffice, ctx, body["recordedBy"], LEADER_ROLES, "recording a barometer")
    codes = [q["code"] for q in body["questions"]]
    if len(set(codes)) != len(codes):
        raise RuleBroken("each question code may appear once", "barometer-questions")
    with crm.write(ctx.sandbox) as db:
        if row(
            db.execute("SELECT id FROM barometers WHERE team_id = ? AND period = ?", [body["teamId"], body["period"]])
        ):
            raise Conflict(f"{body['teamId']} has a barometer for {body['period']} already", "barometer-exists")
        barometer = {
            "id": next_id(db, "BAR"),
            "team_id": body["teamId"],
            "period": body["period"],
            "respondents": body.get("respondents"),
            "recorded_by": body["recordedBy"],
            "created_at": now.isoformat(),
        }
        db.table("barometers").insert(barometer)
        db.table("barometer_questions").insert_all(
            {"barometer_id": barometer["id"], "position": i, "code": q["code"], "text": q["text"], "score": q["score"]}
            for i, q in enumerate(body["questions"])
        )
        return _view(db, barometer)


def get(crm: CrmStore, ctx: CallContext, barometer_id: str) -> dict:
    with crm.read(ctx.sandbox) as db:
        return _view(db, _load(db, barometer_id))


def add_action(
    backoffice: Backoffice, crm: CrmStore, now: dt.datetime, ctx: CallContext, barometer_id: str, body: dict
) -> dict:
    person(backoffice, ctx, body["owner"], LEADER_ROLES + ("asesor",), "owning an action plan")
    if body["dueDate"] < now.date().isoformat():
        raise RuleBroken(f"dueDate {body['dueDate']} is before today ({now.date()})", "action-due-date")
    with crm.write(ctx.sandbox) as db:
        barometer = _load(db, barometer_id)
        code = body.get("questionCode")
        if code and not row(
            db.execute("SELECT code FROM barometer_questions WHERE barometer_id = ? AND code = ?", [barometer_id, code])
        ):
            raise RuleBroken(f"{code} is not a question of barometer {barometer_id}", "action-question")
        db.table("barometer_actions").insert(
            {
                "id": next_id(db, "ACT"),
                "barometer_id": barometer_id,
                "question_code": code,
                "description": body["description"],
                "owner": body["owner"],
                "due_date": body["dueDate"],
                "status": "agreed",
                "created_at": now.isoformat(),
            }
        )
        return _view(db, barometer)


def follow_up(
    backoffice: Backoffice,
    crm: CrmStore,
    now: dt.datetime,
    ctx: CallContext,
    barometer_id: str,
    action_id: str,
    body: dict,
) -> dict:
    person(backoffice, ctx, body["recordedBy"], LEADER_ROLES, "following up an action plan")
    with crm.write(ctx.sandbox) as db:
        barometer = _load(db, barometer_id)
        action = row(
            db.execute("SELECT * FROM barometer_actions WHERE id = ? AND barometer_id = ?", [action_id, barometer_id])
        )
        if action is None:
            raise NotFound(f"action {action_id} is not an action of barometer {barometer_id}", "action-not-found")
        if action["status"] in FINAL:
            raise Conflict(
                f"action {action_id} is {action['status']}: it takes no more follow-ups",
                "action-state",
                actionStatus=action["status"],
            )
        seq = db.execute("SELECT COUNT(*) FROM barometer_follow_ups WHERE action_id = ?", [action_id]).fetchone()[0]
        db.table("barometer_follow_ups").insert(
            {
                "action_id": action_id,
                "seq": seq + 1,
                "status": body["status"],
                "note": body["note"],
                "by": body["recordedBy"],
                "at": now.isoformat(),
            }
        )
        db.execute("UPDATE barometer_actions SET status = ? WHERE id = ?", [body["status"], action_id])
        return _view(db, barometer)
