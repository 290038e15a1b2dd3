"""/training/...: training sessions, reports, manual marks and disputes, a class's cohort (gateway/training/).

Trainers (formador, and admin) run sessions; a trainee's issued token (asesor, pinned to the attempt's sandbox) may
read its own attempt's report (alone, or as its trainee report) and dispute a mark there, never another's (403)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from claro_backoffice.gateway.api.calls import base_url, token_info
from claro_backoffice.gateway.errors import problem
from claro_backoffice.gateway.runtime import runtime
from claro_backoffice.gateway.services import scenarios
from claro_backoffice.gateway.training import cohort as cohorts
from claro_backoffice.gateway.training import rubric
from claro_backoffice.gateway.training.classroom import Classroom
from claro_backoffice.gateway.training.sessions import Training, class_attempts

TRAINERS = ("formador", "admin")


def _training(trainee: bool = False) -> Training:
    """The training service; a trainer's operation (every one but a trainee's own report and dispute) needs a token
    not pinned to a sandbox."""
    if not trainee:
        _unpinned_trainer()
    current = runtime()
    names = scenarios.names(extra=[Path(current.settings.var_dir) / "scenarios" / scenarios.ALL])
    return Training(
        current.crm,
        Classroom(current, base_url()),
        rubric.load(scenario_names=None),
        current.settings.training_silence_minutes,
        current.wall_clock,
        names,
    )


def _who() -> str:
    info = token_info()
    return info.get("user") or info.get("role") or "formador"


def _unpinned_trainer() -> None:
    """A trainer's operation creates and drives a class's sandboxes: a token pinned to one sandbox (an admin's
    `token:admin:<sandbox>`) runs no class, as it creates no other sandbox (403)."""
    info = token_info()
    if info.get("role") in TRAINERS and info.get("pinned"):
        raise problem(
            403,
            f"this token is pinned to sandbox '{info['pinned']}': training sessions create and drive sandboxes of "
            "their own, which needs a token not pinned to a sandbox (dev-formador, dev-admin)",
            "forbidden-sandbox",
        )


def _trainee_may_see(session_id: str, attempt_id: str, training: Training) -> None:
    """An asesor's token reaches only the attempt of the sandbox it is pinned to."""
    info = token_info()
    if info.get("role") in TRAINERS and not info.get("pinned"):
        return
    sandbox = training.attempt_report(session_id, attempt_id)["sandbox"]
    if info.get("pinned") != sandbox:
        raise problem(403, f"this token is not the trainee's of attempt {attempt_id}", "forbidden-sandbox")


def get_rubric() -> dict:
    return rubric.load(scenario_names=None)


def create_session(body: dict[str, Any]) -> tuple[dict, int]:
    return _training().create(body, _who()), 201


def list_sessions(class_: str | None = None, state: str | None = None) -> dict:
    return _training().sessions(class_, state)


def get_session(session_id: str) -> dict:
    return _training().get(session_id)


def start_session(session_id: str) -> dict:
    return _training().start(session_id)


def finish_session(session_id: str) -> dict:
    return _training().finish(session_id, _who())


def get_attempt_report(session_id: str, attempt_id: str) -> dict:
    training = _training(trainee=True)
    _trainee_may_see(session_id, attempt_id, training)
    return training.attempt_report(session_id, attempt_id)


def get_attempt_live(session_id: str, attempt_id: str) -> dict:
    return _training().live(session_id, attempt_id)


def get_trainee_report(session_id: str, trainee: str) -> dict:
    """A trainer reads every attempt; a trainee's token the one of the sandbox it is pinned to (so that the trainee
    can read the marks they may dispute); any other token (an unpinned asesor's, another trainee's) gets a 403."""
    info = token_info()
    if info.get("role") in TRAINERS:
        return _training().trainee_report(session_id, trainee)
    training, pinned = _training(trainee=True), info.get("pinned")
    mine = [a for a in training.get(session_id)["attempts"] if a["trainee"] == trainee and a["sandbox"] == pinned]
    if not pinned or not mine:
        raise problem(
            403,
            f"this token has no attempt of trainee '{trainee}' in session {session_id}: a trainee's token reads the "
            "attempt of the sandbox it is pinned to",
            "forbidden-sandbox",
        )
    reports = [training.attempt_report(session_id, a["id"]) for a in mine]
    scored = [r for r in reports if r["result"]]
    return {
        "sessionId": session_id,
        "trainee": trainee,
        "attempts": reports,
        "passed": sum(1 for r in scored if r["passed"]),
        "meanScore": round(sum(r["score"] for r in scored) / len(scored), 2) if scored else None,
    }


def mark_item(session_id: str, attempt_id: str, item_id: str, body: dict[str, Any]) -> dict:
    return _training().mark(session_id, attempt_id, item_id, body, _who())


def dispute_mark(session_id: str, attempt_id: str, body: dict[str, Any]) -> tuple[dict, int]:
    training = _training(trainee=True)
    _trainee_may_see(session_id, attempt_id, training)
    return training.dispute(session_id, attempt_id, body, _who(), token_info().get("pinned")), 201


def answer_dispute(session_id: str, attempt_id: str, dispute_id: int, body: dict[str, Any]) -> dict:
    return _training().answer(session_id, attempt_id, dispute_id, body, _who())


def reissue_token(session_id: str, attempt_id: str) -> tuple[dict, int]:
    return _training().reissue_token(session_id, attempt_id, _who()), 201


def get_cohort(class_name: str) -> dict:
    training = _training()
    attempts = class_attempts(training, class_name)
    return cohorts.cohort(training.class_rubric(class_name), class_name, attempts)
