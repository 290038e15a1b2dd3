"""Console sessions, kept on the server: the browser holds only a random id (HttpOnly, SameSite=Lax cookie), so
a gateway token never travels back to the page. Each session has its own CSRF token; signing in starts a new
session (a session id known before sign-in is worthless after it)."""

from __future__ import annotations

import dataclasses
import hmac
import secrets
import threading
import time
from collections.abc import Callable

from claro_backoffice.console.settings import LEADER_ROLES

COOKIE = "console_session"


@dataclasses.dataclass
class Session:
    id: str
    csrf: str
    started: float
    token: str | None = None
    sandbox: str | None = None
    advisor: str | None = None
    role: str = "asesor"  # Almabi's role of the signed-in person: supervisor, coordinador and gerente lead
    shortcut: bool = False  # signed in with the development shortcut
    trains: bool = False  # the token is a trainer's (formador, or admin not pinned): the Formación screens
    klass: str | None = None  # the class a formador signed in for: its training sessions are created here only
    full_name: str | None = None  # Almabi's name of the signed-in person (None: the login is all there is)
    token_role: str | None = None  # the token's role (GET /me): only an admin token may run practices
    role_label: str = "Asesor"  # the role as the top bar says it, in Spanish (people.role_label)
    names: dict = dataclasses.field(default_factory=dict)  # login -> full name, read at sign-in (people.directory)
    notice: str | None = None  # one message for the next page (after a redirect)
    tool_results: dict = dataclasses.field(default_factory=dict)  # conversation id -> the Tools panel's answers

    def take_notice(self) -> str | None:
        notice, self.notice = self.notice, None
        return notice

    @property
    def signed_in(self) -> bool:
        return self.token is not None

    @property
    def leads(self) -> bool:
        """A supervisor, coordinador or gerente: the supervision screens are theirs."""
        return self.signed_in and self.role in LEADER_ROLES

    def csrf_ok(self, presented: str | None) -> bool:
        return bool(presented) and hmac.compare_digest(self.csrf.encode(), str(presented).encode())


class SessionStore:
    def __init__(self, minutes: int, monotonic: Callable[[], float] = time.monotonic, limit: int = 10_000) -> None:
        self._seconds = minutes * 60
        self._limit = limit
        self._monotonic = monotonic
        self._sessions: dict[str, Session] = {}
        self._lock = threading.Lock()

    def new(self) -> Session:
        session = Session(secrets.token_urlsafe(32), secrets.token_urlsafe(32), self._monotonic())
        with self._lock:
            self._drop_expired()
            if len(self._sessions) >= self._limit:  # a client that never keeps its cookie: forget the oldest unsigned
                for key in [k for k, s in self._sessions.items() if not s.signed_in][: len(self._sessions) // 2 or 1]:
                    del self._sessions[key]
            self._sessions[session.id] = session
        return session

    def get(self, session_id: str | None) -> Session | None:
        if not session_id:
            return None
        with self._lock:
            found = self._sessions.get(session_id)
            if found and self._monotonic() - found.started > self._seconds:
                del self._sessions[session_id]
                return None
            return found

    def end(self, session_id: str) -> None:
        with self._lock:
            self._sessions.pop(session_id, None)

    def _drop_expired(self) -> None:
        now = self._monotonic()
        for key in [k for k, s in self._sessions.items() if now - s.started > self._seconds]:
            del self._sessions[key]
