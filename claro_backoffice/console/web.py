"""What every view needs: the settings, the signed-in person's gateway, the simulator, and the sign-in guard."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, TypeVar, cast

import requests
from flask import current_app, g, redirect, url_for

from claro_backoffice.console.client import Gateway, Simulator
from claro_backoffice.console.sessions import Session, SessionStore
from claro_backoffice.console.settings import ConsoleSettings

F = TypeVar("F", bound=Callable[..., Any])


def settings() -> ConsoleSettings:
    return cast(ConsoleSettings, current_app.config["CONSOLE"])


def http() -> requests.Session:
    return cast(requests.Session, current_app.config["HTTP"])


def sessions() -> SessionStore:
    return cast(SessionStore, current_app.config["SESSIONS"])


def session() -> Session:
    return cast(Session, g.session)


def gateway(token: str | None = None, sandbox: str | None = None) -> Gateway:
    current = session()
    chosen_token, chosen_sandbox = token or current.token, sandbox or current.sandbox
    assert chosen_token and chosen_sandbox  # views call it signed in, or name both
    return Gateway(http(), settings().gateway_url, chosen_token, chosen_sandbox, settings().timeout)


def simulator() -> Simulator:
    assert session().sandbox
    return Simulator(http(), settings().meta_url, session().sandbox or "default", settings().timeout)


def signed_in(view: F) -> F:
    @functools.wraps(view)
    def guarded(*args: Any, **kwargs: Any) -> Any:
        if not session().signed_in:
            return redirect(url_for("auth.sign_in"))
        return view(*args, **kwargs)

    return cast(F, guarded)
