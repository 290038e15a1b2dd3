"""A training class for the console's tests, through the gateway's API as a formador (dev-formador): a session of
trainees on scenarios, each attempt's sandbox clock frozen at the flow tests' START (so virtual time moves only when
the test moves it), started; optionally played through the API with the session's tokens (tests/training/trainee.py)
and finished. The class's sandboxes are deleted afterwards by `remove`."""

from __future__ import annotations

import requests

from tests.flow.driver import OverHttp
from tests.flow.flows import START
from tests.training.trainee import Trainee

FORMADOR = {"Authorization": "Bearer dev-formador"}
ADMIN = {"Authorization": "Bearer dev-admin"}


def training(base: str, method: str, path: str, status: int = 200, **kw) -> dict:
    answer = requests.request(method, f"{base}/api/v1/training{path}", headers=FORMADOR, timeout=300, **kw)
    assert answer.status_code == status, f"{method} {path} -> {answer.status_code}: {answer.text}"
    return answer.json()


def started(base: str, klass: str, trainees: list[str], scenarios: list[str]) -> dict:
    """The session planned and started, its customers writing; its attempts carry their tokens (shown once)."""
    body = {"class": klass, "trainees": trainees, "scenarios": scenarios, "timeLimitMinutes": 30}
    planned = training(base, "POST", "/sessions", 201, json=body)
    admin = OverHttp(base)
    for a in planned["attempts"]:
        admin.in_sandbox(a["sandbox"]).ok("POST", "/admin/clock", json={"set": START, "frozen": True})
    training(base, "POST", f"/sessions/{planned['id']}/start")
    return planned


def played(base: str, session: dict, handlings: dict[str, str]) -> None:
    """Each trainee's attempts handled through the API (`handlings`: trainee -> a Trainee method, e.g. `good`,
    `discloses_first`), then the session finished."""
    admin = OverHttp(base)
    for a in session["attempts"]:
        trainee = Trainee(OverHttp(base, a["sandbox"], a["token"]), admin.in_sandbox(a["sandbox"]), a)
        getattr(trainee, handlings[a["trainee"]])()
    training(base, "POST", f"/sessions/{session['id']}/finish")


def remove(base: str, session: dict) -> None:
    for a in session["attempts"]:
        requests.delete(f"{base}/api/v1/admin/sandboxes/{a['sandbox']}", headers=ADMIN, timeout=120)
