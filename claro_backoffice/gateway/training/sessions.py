"""Training sessions: a trainer's class of trainees on scenarios (planned -> running -> finished), each trainee x
scenario an attempt in its own sandbox `<class>--<trainee>-<n>` (n: the scenario's position; the part before `--`
is the class, the sandbox group scale-out routes by). An attempt ends when the trainer finishes the session or its
sandbox's virtual clock passes the time limit (noticed at the next read of the session); its evidence is then frozen
in the registry and every report is computed from that copy, scored with the copy of the rubric the session kept
when it was created. Creating a session is all or nothing: a failure while the class is prepared undoes what was
prepared (tokens revoked, sandboxes it created deleted) and records nothing. Manual items: the trainer marks, the
trainee disputes, the trainer answers; a trainer reissues a trainee's lost token (the old one revoked)."""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Callable

import sqlite_utils

from claro_backoffice.gateway.cases.store import CrmStore, row, rows
from claro_backoffice.gateway.domain_errors import Conflict, DomainError, NotFound, RuleBroken
from claro_backoffice.gateway.errors import DownstreamError
from claro_backoffice.gateway.training import replay, scorer
from claro_backoffice.gateway.training.classroom import Classroom

NAME = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")  # no '--': it separates the class from the trainee
MAX_SANDBOX = 40
CARD_MINUTES = 8 * 60  # a trainee's token lives a shift plus the session's time limit (wall clock)


def _next(db: sqlite_utils.Database, table: str, prefix: str) -> int:
    """The number after the highest id (ids are never reused, even if a record was removed)."""
    found = db.execute(f"SELECT MAX(id) FROM {table}").fetchone()[0]
    return int(found[len(prefix) :]) + 1 if found else 1


def _json(value: object) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


class Training:
    def __init__(
        self,
        crm: CrmStore,
        classroom: Classroom,
        rubric: dict,
        silence_minutes: int,
        wall_clock: Callable[[], float],
        scenario_names: list[str],
    ):
        """`rubric`: the current one, which new sessions copy; a session is scored with its own copy."""
        self.crm, self.classroom, self.rubric = crm, classroom, rubric
        self.silence, self.wall_clock, self.scenario_names = silence_minutes, wall_clock, scenario_names
        self._rubrics: dict[str, dict] = {}  # session id -> its rubric, read once per request

    def _now(self) -> str:
        return dt.datetime.fromtimestamp(int(self.wall_clock()), dt.UTC).isoformat().replace("+00:00", "Z")

    # ---- sessions ------------------------------------------------------------------------------------------------
    def create(self, body: dict, trainer: str) -> dict:
        klass, trainees, names = body["class"], body["trainees"], body["scenarios"]
        for what, value in [("class", klass)] + [("trainee", t) for t in trainees]:
            if not NAME.match(value):
                raise RuleBroken(f"{what} '{value}' must be lowercase letters, digits and single '-'", "bad-name")
        for label, listed in (("trainees", trainees), ("scenarios", names)):
            if len(set(listed)) != len(listed):
                raise RuleBroken(f"{label} repeated: {', '.join(sorted({x for x in listed if listed.count(x) > 1}))}")
        unknown = [n for n in names if n not in self.scenario_names]
        if unknown:
            raise RuleBroken(
                f"unknown scenarios: {', '.join(unknown)} (GET /admin/scenarios lists them)", "unknown-scenario"
            )
        longest = max(len(f"{klass}--{t}-{len(names)}") for t in trainees)
        if longest > MAX_SANDBOX:
            raise RuleBroken(
                f"'<class>--<trainee>-<n>' must fit a sandbox name of {MAX_SANDBOX} characters ({longest})"
            )
        with self.crm.registry_read() as db:
            busy = row(db.execute("SELECT id FROM training_sessions WHERE class = ? AND state != 'finished'", [klass]))
        if busy:
            raise Conflict(
                f"class '{klass}' has session {busy['id']} not finished: its sandboxes are in use", "class-busy"
            )
        minutes = body.get("timeLimitMinutes", 30)
        prepared: list[tuple] = []
        created: list[str] = []
        doing = "preparing the class"
        try:
            for i, trainee in enumerate(trainees, start=1):
                for n, scenario in enumerate(names, start=1):
                    sandbox = f"{klass}--{trainee}-{n}"
                    doing = f"preparing sandbox '{sandbox}' ({trainee} on {scenario})"
                    if not self.classroom.exists(sandbox):
                        created.append(sandbox)  # listed first: one half made by a failing system goes too
                        self.classroom.create(sandbox)
                    made = self.classroom.prepare(sandbox, scenario, i, trainer, CARD_MINUTES + minutes)
                    prepared.append((trainee, scenario, n, sandbox, made))
            doing = "recording the session"
            session_id = self._record(klass, minutes, trainer, prepared)
        except Exception as failed:
            left = self._undo(prepared, created, trainer)
            if isinstance(failed, DomainError | DownstreamError):
                failed.detail = f"session not created: {doing} failed: {failed.detail}. " + (
                    "What it had prepared was undone (tokens revoked, the sandboxes it created deleted): send the "
                    "same request again once the failure is over"
                    if not left
                    else f"Tokens revoked; sandboxes it created and could not delete: {', '.join(left)} (an admin "
                    "deletes each with DELETE /admin/sandboxes/{name} once the system is back, then send it again)"
                )
            raise
        view = self.get(session_id)
        tokens = {(t, s): m["token"]["token"] for t, s, _, _, m in prepared}
        for attempt in view["attempts"]:
            attempt["token"] = tokens[(attempt["trainee"], attempt["scenario"])]  # shown once, here
        return view

    def _undo(self, prepared: list[tuple], created: list[str], by: str) -> list[str]:
        """Revoke the tokens issued and delete the sandboxes created (each tried, whatever failed before); the
        sandboxes that could not be deleted, with the system still failing. A sandbox that existed before stays."""
        for *_, made in prepared:
            self.classroom.revoke(made["token"]["id"], by)
        left = []
        for sandbox in created:
            try:
                self.classroom.remove(sandbox)
            except DownstreamError as exc:  # the other systems deleted it (each is asked): this one may keep it
                left.append(f"{sandbox} (in {exc.system})")
            except DomainError:
                left.append(sandbox)
        return left

    def _record(self, klass: str, minutes: int, trainer: str, prepared: list[tuple]) -> str:
        """The session, its attempts and its copy of the rubric, in one transaction."""
        with self.crm.registry() as db:
            number = _next(db, "training_sessions", "TRS-")
            session_id = f"TRS-{number:06d}"
            db.table("training_sessions").insert(
                {
                    "id": session_id,
                    "class": klass,
                    "state": "planned",
                    "time_limit_minutes": minutes,
                    "created_by": trainer,
                    "created_at": self._now(),
                }
            )
            first = _next(db, "training_attempts", "TRA-")
            for k, (trainee, scenario, n, sandbox, made) in enumerate(prepared):
                db.table("training_attempts").insert(
                    {
                        "id": f"TRA-{first + k:06d}",
                        "session_id": session_id,
                        "trainee": trainee,
                        "scenario": scenario,
                        "position": n,
                        "sandbox": sandbox,
                        "advisor": made["advisor"],
                        "advisor_first_name": made["firstName"],
                        "token_id": made["token"]["id"],
                        "state": "planned",
                    }
                )
            db.table("training_rubrics").insert(
                {"session_id": session_id, "version": self.rubric["version"], "rubric": _json(self.rubric)}
            )
        return session_id

    def rubric_of(self, session_id: str) -> dict:
        """The rubric the session was created with (the current one for a session older than these copies)."""
        if session_id not in self._rubrics:
            with self.crm.registry_read() as db:
                found = row(db.execute("SELECT rubric FROM training_rubrics WHERE session_id = ?", [session_id]))
            self._rubrics[session_id] = json.loads(found["rubric"]) if found else self.rubric
        return self._rubrics[session_id]

    def _session(self, db: sqlite_utils.Database, session_id: str) -> dict:
        found = row(db.execute("SELECT * FROM training_sessions WHERE id = ?", [session_id]))
        if found is None:
            raise NotFound(f"no training session {session_id}; GET /training/sessions lists them", "session-not-found")
        return found

    def _attempts(self, db: sqlite_utils.Database, session_id: str) -> list[dict]:
        return rows(
            db.execute("SELECT * FROM training_attempts WHERE session_id = ? ORDER BY trainee, position", [session_id])
        )

    def start(self, session_id: str) -> dict:
        with self.crm.registry_read() as db:
            session, attempts = self._session(db, session_id), self._attempts(db, session_id)
        if session["state"] != "planned":
            raise Conflict(f"session {session_id} is {session['state']}: only a planned one starts", "session-state")
        limit = dt.timedelta(minutes=session["time_limit_minutes"])
        for a in attempts:
            began = self.classroom.begin(a["sandbox"], a["scenario"])
            with self.crm.registry() as db:
                db.execute(
                    "UPDATE training_attempts SET state = 'running', started_at = ?, deadline = ? WHERE id = ?",
                    [began.isoformat(), (began + limit).isoformat(), a["id"]],
                )
        with self.crm.registry() as db:
            db.execute(
                "UPDATE training_sessions SET state = 'running', started_at = ? WHERE id = ?", [self._now(), session_id]
            )
        return self.get(session_id)

    def _finish_attempt(self, a: dict, until: dt.datetime) -> None:
        advisor = {"login": a["advisor"], "firstName": a["advisor_first_name"]}
        evidence = self.classroom.freeze(a["sandbox"], a["scenario"], advisor, until)
        with self.crm.registry() as db:
            db.execute(
                "UPDATE training_attempts SET state = 'finished', finished_at = ?, evidence = ? "
                "WHERE id = ? AND state = 'running'",
                [until.isoformat(), _json(evidence), a["id"]],
            )

    def _close_if_done(self, session_id: str, by: str) -> None:
        with self.crm.registry() as db:
            left = db.execute(
                "SELECT COUNT(*) FROM training_attempts WHERE session_id = ? AND state != 'finished'", [session_id]
            ).fetchone()[0]
            if left == 0:
                db.execute(
                    "UPDATE training_sessions SET state = 'finished', finished_at = ?, finished_by = ? "
                    "WHERE id = ? AND state != 'finished'",
                    [self._now(), by, session_id],
                )

    def finish(self, session_id: str, trainer: str) -> dict:
        """Every attempt still running ends now (its sandbox's virtual time), its evidence frozen."""
        with self.crm.registry_read() as db:
            session, attempts = self._session(db, session_id), self._attempts(db, session_id)
        if session["state"] == "finished":
            raise Conflict(f"session {session_id} is already finished", "session-state")
        for a in attempts:
            if a["state"] == "running":
                self._finish_attempt(a, min(self.classroom.now(a["sandbox"]), dt.datetime.fromisoformat(a["deadline"])))
        with self.crm.registry() as db:
            db.execute(
                "UPDATE training_attempts SET state = 'finished' WHERE session_id = ? AND state = 'planned'",
                [session_id],
            )
        self._close_if_done(session_id, trainer)
        return self.get(session_id)

    def _expire(self, session_id: str) -> None:
        """Attempts whose sandbox clock passed the time limit end at the limit."""
        with self.crm.registry_read() as db:
            running = [a for a in self._attempts(db, session_id) if a["state"] == "running"]
        expired = [a for a in running if self.classroom.now(a["sandbox"]) >= dt.datetime.fromisoformat(a["deadline"])]
        for a in expired:
            self._finish_attempt(a, dt.datetime.fromisoformat(a["deadline"]))
        if expired:
            self._close_if_done(session_id, "timeLimit")

    def get(self, session_id: str) -> dict:
        self._expire(session_id)
        with self.crm.registry_read() as db:
            session, attempts = self._session(db, session_id), self._attempts(db, session_id)
        return self._view(session, attempts)

    def sessions(self, klass: str | None = None, state: str | None = None) -> dict:
        with self.crm.registry_read() as db:
            ids = [
                r["id"]
                for r in rows(db.execute("SELECT id, class, state FROM training_sessions ORDER BY id"))
                if (klass is None or r["class"] == klass) and (state is None or r["state"] == state)
            ]
        return {"sessions": [self.get(i) for i in ids]}

    def _view(self, s: dict, attempts: list[dict]) -> dict:
        return {
            "id": s["id"],
            "class": s["class"],
            "state": s["state"],
            "timeLimitMinutes": s["time_limit_minutes"],
            "createdBy": s["created_by"],
            "createdAt": s["created_at"],
            "startedAt": s["started_at"],
            "finishedAt": s["finished_at"],
            "finishedBy": s["finished_by"],
            "rubricVersion": self.rubric_of(s["id"])["version"],
            "trainees": list(dict.fromkeys(a["trainee"] for a in attempts)),
            "scenarios": list(dict.fromkeys(a["scenario"] for a in sorted(attempts, key=lambda a: a["position"]))),
            "attempts": [self._attempt_view(a) for a in attempts],
        }

    def _attempt_view(self, a: dict) -> dict:
        view = {
            "id": a["id"],
            "trainee": a["trainee"],
            "scenario": a["scenario"],
            "sandbox": a["sandbox"],
            "advisor": a["advisor"],
            "tokenId": a["token_id"],
            "state": a["state"],
            "startedAt": a["started_at"],
            "deadline": a["deadline"],
            "finishedAt": a["finished_at"],
            "score": None,
            "passed": None,
        }
        if a["evidence"]:
            result = self._score(a)
            view |= {"score": result["score"], "passed": result["passed"]}
        return view

    def _score(self, a: dict) -> dict:
        rubric = self.rubric_of(a["session_id"])
        return scorer.score(rubric, json.loads(a["evidence"]), json.loads(a["manual"]), self.silence)

    # ---- reports ---------------------------------------------------------------------------------------------------
    def _attempt(self, session_id: str, attempt_id: str) -> dict:
        self._expire(session_id)
        with self.crm.registry_read() as db:
            self._session(db, session_id)
            found = row(
                db.execute("SELECT * FROM training_attempts WHERE id = ? AND session_id = ?", [attempt_id, session_id])
            )
        if found is None:
            raise NotFound(f"session {session_id} has no attempt {attempt_id}", "attempt-not-found")
        return found

    def attempt_report(self, session_id: str, attempt_id: str) -> dict:
        a = self._attempt(session_id, attempt_id)
        report = self._attempt_view(a) | {"disputes": json.loads(a["disputes"])}
        if not a["evidence"]:
            return report | {"result": None, "replay": [], "case": None}
        result, evidence = self._score(a), json.loads(a["evidence"])
        return report | {
            "result": result,
            "replay": replay.timeline(evidence, result["items"]),
            "case": replay.case_summary(evidence),
        }

    def live(self, session_id: str, attempt_id: str) -> dict:
        """A running attempt as it stands (a provisional score from the evidence so far, not frozen); a finished one
        is its report; a planned one has nothing to show yet (result null)."""
        a = self._attempt(session_id, attempt_id)
        if a["state"] != "running":
            return self.attempt_report(session_id, attempt_id)
        advisor = {"login": a["advisor"], "firstName": a["advisor_first_name"]}
        until = min(self.classroom.now(a["sandbox"]), dt.datetime.fromisoformat(a["deadline"]))
        evidence = self.classroom.evidence(a["sandbox"], a["scenario"], advisor, until)
        result = scorer.score(self.rubric_of(session_id), evidence, json.loads(a["manual"]), self.silence)
        report = self._attempt_view(a) | {"disputes": json.loads(a["disputes"]), "score": result["score"]}
        return report | {
            "passed": result["passed"],
            "result": result,
            "replay": replay.timeline(evidence, result["items"]),
            "case": replay.case_summary(evidence),
        }

    def trainee_report(self, session_id: str, trainee: str) -> dict:
        with self.crm.registry_read() as db:
            self._session(db, session_id)
            ids = [a["id"] for a in self._attempts(db, session_id) if a["trainee"] == trainee]
        if not ids:
            raise NotFound(f"session {session_id} has no trainee '{trainee}'", "trainee-not-found")
        reports = [self.attempt_report(session_id, i) for i in ids]
        scored = [r for r in reports if r["result"]]
        return {
            "sessionId": session_id,
            "trainee": trainee,
            "attempts": reports,
            "passed": sum(1 for r in scored if r["passed"]),
            "meanScore": round(sum(r["score"] for r in scored) / len(scored), 2) if scored else None,
        }

    # ---- manual items and disputes -------------------------------------------------------------------------------
    def _manual_item(self, session_id: str, item_id: str) -> dict:
        rubric = self.rubric_of(session_id)
        item = next((i for i in rubric["items"] if i["id"] == item_id), None)
        if item is None or item["kind"] != "manual":
            manual = [i["id"] for i in rubric["items"] if i["kind"] == "manual"]
            raise RuleBroken(f"'{item_id}' is not a manual rubric item ({', '.join(manual)})", "not-a-manual-item")
        return item

    def _finished(self, a: dict) -> None:
        if not a["evidence"]:
            raise Conflict(f"attempt {a['id']} has not finished: it can't be marked or disputed yet", "attempt-state")

    def mark(self, session_id: str, attempt_id: str, item_id: str, body: dict, trainer: str) -> dict:
        a = self._attempt(session_id, attempt_id)
        self._manual_item(session_id, item_id)
        self._finished(a)
        manual = json.loads(a["manual"])
        manual[item_id] = {"met": body["met"], "comment": body.get("comment", ""), "by": trainer, "at": self._now()}
        with self.crm.registry() as db:
            db.execute("UPDATE training_attempts SET manual = ? WHERE id = ?", [_json(manual), attempt_id])
        return self.attempt_report(session_id, attempt_id)

    def dispute(self, session_id: str, attempt_id: str, body: dict, by: str, pinned: str | None) -> dict:
        a = self._attempt(session_id, attempt_id)
        if pinned is not None and pinned != a["sandbox"]:
            raise Forbidden(f"this token is for sandbox '{pinned}', not attempt {attempt_id}'s", "forbidden-sandbox")
        self._finished(a)
        item = body["item"]
        if item not in {i["id"] for i in self.rubric_of(session_id)["items"]}:
            raise RuleBroken(f"'{item}' is not a rubric item", "unknown-item")
        disputes = json.loads(a["disputes"])
        disputes.append(
            {"id": len(disputes) + 1, "item": item, "text": body["text"], "by": by, "at": self._now(), "answer": None}
        )
        with self.crm.registry() as db:
            db.execute("UPDATE training_attempts SET disputes = ? WHERE id = ?", [_json(disputes), attempt_id])
        return self.attempt_report(session_id, attempt_id)

    def answer(self, session_id: str, attempt_id: str, number: int, body: dict, trainer: str) -> dict:
        a = self._attempt(session_id, attempt_id)
        disputes = json.loads(a["disputes"])
        if not 1 <= number <= len(disputes):
            raise NotFound(f"attempt {attempt_id} has no dispute {number}", "dispute-not-found")
        if disputes[number - 1]["answer"] is not None:
            raise Conflict(f"dispute {number} of attempt {attempt_id} is already answered", "dispute-answered")
        disputes[number - 1]["answer"] = {"text": body["text"], "by": trainer, "at": self._now()}
        with self.crm.registry() as db:
            db.execute("UPDATE training_attempts SET disputes = ? WHERE id = ?", [_json(disputes), attempt_id])
        return self.attempt_report(session_id, attempt_id)

    # ---- a lost access card ----------------------------------------------------------------------------------------
    def reissue_token(self, session_id: str, attempt_id: str, trainer: str) -> dict:
        """A new token for the attempt's trainee (the same asesor, pinned to the same sandbox), shown once; the old
        one revoked. Refused (409) once a later session of the class reuses the attempt's sandbox: a token pinned
        to it would reach that session's attempt."""
        a = self._attempt(session_id, attempt_id)
        with self.crm.registry_read() as db:
            session = self._session(db, session_id)
            later = row(
                db.execute(
                    "SELECT id FROM training_sessions WHERE class = ? AND id > ? ORDER BY id LIMIT 1",
                    [session["class"], session_id],
                )
            )
        if later:
            raise Conflict(
                f"sandbox '{a['sandbox']}' now belongs to session {later['id']} of class '{session['class']}': a "
                f"token for attempt {attempt_id} would reach it",
                "sandbox-reused",
            )
        token = self.classroom.issue(a["advisor"], a["sandbox"], CARD_MINUTES + session["time_limit_minutes"], trainer)
        with self.crm.registry() as db:
            db.execute("UPDATE training_attempts SET token_id = ? WHERE id = ?", [token["id"], attempt_id])
        self.classroom.revoke(a["token_id"], trainer)
        return self._attempt_view(self._attempt(session_id, attempt_id)) | {"token": token["token"]}

    def class_rubric(self, klass: str) -> dict:
        """The rubric of the class's latest session: the cohort's items, mastery rule and certifications."""
        with self.crm.registry_read() as db:
            latest = row(db.execute("SELECT MAX(id) AS id FROM training_sessions WHERE class = ?", [klass]))
        return self.rubric_of(latest["id"]) if latest and latest["id"] else self.rubric


class Forbidden(DomainError):
    """A trainee's token reaching another trainee's attempt (403)."""

    status = 403


def class_attempts(training: Training, klass: str) -> list[dict]:
    """The class's finished attempts with their results, oldest first (the cohort's input)."""
    with training.crm.registry_read() as db:
        ids = [
            r["id"] for r in rows(db.execute("SELECT id FROM training_sessions WHERE class = ? ORDER BY id", [klass]))
        ]
    if not ids:
        raise NotFound(f"class '{klass}' has no training session", "class-not-found")
    for session_id in ids:
        training.get(session_id)  # attempts past their time limit end now
    with training.crm.registry_read() as db:
        found = rows(
            db.execute(
                "SELECT a.* FROM training_attempts a JOIN training_sessions s ON s.id = a.session_id "
                "WHERE s.class = ? AND a.evidence IS NOT NULL ORDER BY s.id, a.id",
                [klass],
            )
        )
    return [
        {
            "trainee": a["trainee"],
            "scenario": a["scenario"],
            "finishedAt": a["finished_at"],
            "result": training._score(a),
        }
        for a in found
    ]
