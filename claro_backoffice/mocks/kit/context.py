"""What a handler can reach during a request: its system's runtime and the session of the requested sandbox."""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any

import flask
import requests
import sqlite_utils

from claro_backoffice.mocks.kit.clock import VirtualClock
from claro_backoffice.mocks.kit.events import EventLog
from claro_backoffice.mocks.kit.served import ServedShapes
from claro_backoffice.mocks.kit.settings import MockSettings
from claro_backoffice.mocks.kit.store import DEFAULT_SANDBOX, SandboxStore

RUNTIME_KEY = "KIT_RUNTIME"
SANDBOX_HEADER = "X-Sandbox"


@dataclasses.dataclass
class MockRuntime:
    system: str
    settings: MockSettings
    store: SandboxStore
    served: ServedShapes | None = None  # what a fixture may write (POST /__admin/fixtures); None: not checked
    # The session the mock's own outgoing calls take (Meta's webhooks): `make run` mounts its own gateway on it,
    # in-process; None: a session of their own each time, over the network.
    outbound: requests.Session | None = None


@dataclasses.dataclass
class Session:
    """One sandbox, for one request: its database, virtual clock and the shared event log."""

    system: str
    sandbox: str
    db: sqlite_utils.Database
    clock: VirtualClock
    events: EventLog

    def now(self) -> dt.datetime:
        return self.clock.now()

    def emit(self, type_: str, key: str | None, payload: dict[str, Any]) -> int:
        return self.events.append(self.system, type_, key, payload, self.now().isoformat())


def runtime() -> MockRuntime:
    return flask.current_app.config[RUNTIME_KEY]


def sandbox_name() -> str:
    # The kit's middleware has already checked the name and that the sandbox exists.
    return flask.request.headers.get(SANDBOX_HEADER) or DEFAULT_SANDBOX


def session() -> Session:
    if "kit_session" not in flask.g:
        rt = runtime()
        name = sandbox_name()
        db = rt.store.open(name, checked=True)  # the kit's middleware checked it on arrival
        flask.g.kit_session = Session(rt.system, name, db, VirtualClock(db), rt.store.events(name))
    return flask.g.kit_session


def close_session(_exc: BaseException | None = None) -> None:
    current = flask.g.pop("kit_session", None)
    if current is not None:
        current.db.close()
