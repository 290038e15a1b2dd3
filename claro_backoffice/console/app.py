"""create_app(settings, http): the console as a Flask app, mounted by serve.py at /console.

Every screen acts through the gateway (`client.Gateway`) with the signed-in person's token and sandbox; the
customer view alone reaches Meta's simulator (`client.Simulator`). Sessions live on the server (`sessions.py`);
every POST carries the session's CSRF token (form field `csrf_token` or header `X-CSRF-Token`) and, when the
browser says where it comes from, an Origin of this same server.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

import requests
from flask import Flask, Response, current_app, g, render_template, request

from claro_backoffice.console import formatting, handoff, people
from claro_backoffice.console.sessions import COOKIE, SessionStore
from claro_backoffice.console.settings import ConsoleSettings

SIGN_INS = ("auth.sign_in_with_token", "auth.sign_in_shortcut")  # the posts a handoff ticket may stand in for


def create_app(settings: ConsoleSettings | None = None, http: requests.Session | None = None) -> Flask:
    app = Flask(__name__)
    app.config["CONSOLE"] = settings or ConsoleSettings()
    app.config["HTTP"] = http or requests.Session()
    app.config["SESSIONS"] = SessionStore(app.config["CONSOLE"].session_minutes)
    app.config["HANDOFF_TICKETS"] = handoff.UsedTickets()
    app.jinja_env.filters.update(
        money=formatting.money,
        clock=formatting.clock,
        date_time=formatting.date_time,
        day=formatting.day,
        waited=formatting.waited,
        phone=formatting.phone,
        person=people.name,
    )

    # views: registered here, nothing runs at import
    from claro_backoffice.console import (
        auth,
        case,
        chat,
        customer,
        practice,
        queue,
        supervisor,
        supervisor_reports,
        tools,
        training_cohort,
        training_report,
        training_sessions,
    )

    blueprints = (auth, queue, chat, customer, case, tools, supervisor, supervisor_reports, practice)
    training = (training_sessions, training_report, training_cohort)
    for blueprint in (module.blueprint for module in (*blueprints, *training)):
        app.register_blueprint(blueprint)
    app.before_request(_load_session)
    app.before_request(_refuse_cross_site)
    app.after_request(_headers)
    app.register_error_handler(404, lambda _e: (render_template("error.html", message="Esta página no existe."), 404))
    return app


def _load_session() -> None:
    store: SessionStore = _config("SESSIONS")
    g.session = store.get(request.cookies.get(COOKIE)) or store.new()


def _same_origin(origin: str) -> bool:
    parts = urlsplit(origin)
    return f"{parts.scheme}://{parts.netloc}" == request.host_url.rstrip("/")


def _refuse_cross_site() -> Response | tuple[str, int] | None:
    """Every state-changing request needs the session's CSRF token; a browser's Origin must be this server."""
    if request.method in ("GET", "HEAD", "OPTIONS"):
        return None
    origin = request.headers.get("Origin")
    presented = request.form.get("csrf_token") or request.headers.get("X-CSRF-Token")
    if (
        (origin and origin != "null" and not _same_origin(origin))
        or (origin == "null")
        or not (g.session.csrf_ok(presented) or _handed_over())
    ):
        message = (
            "La solicitud fue rechazada por seguridad (falta o no coincide el código anti-falsificación). "
            "Recarga la página e inténtalo de nuevo."
        )
        return render_template("error.html", message=message), 403
    return None


def _handed_over() -> bool:
    """A sign-in another replica handed over (handoff.py): its ticket stands for the CSRF token it checked there."""
    ticket = request.form.get(handoff.FIELD)
    if not ticket or request.endpoint not in SIGN_INS:
        return False
    fields = {name: request.form[name] for name in handoff.SIGNIN_FIELDS if name in request.form}
    g.handed_over = _config("HANDOFF_TICKETS").accept(_config("CONSOLE"), ticket, request.path, fields)
    return bool(g.handed_over)


def _headers(response: Response) -> Response:
    response.set_cookie(
        COOKIE,
        g.session.id,
        httponly=True,
        samesite="Lax",
        secure=request.scheme == "https",
        path=request.script_root or "/",
    )
    response.headers.setdefault(
        "Content-Security-Policy",
        "default-src 'self'; img-src 'self' data:; frame-ancestors 'none'; form-action 'self'; base-uri 'none'",
    )
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("Referrer-Policy", "same-origin")
    if response.mimetype == "text/html":
        response.headers.setdefault("Cache-Control", "no-store")
    return response


def _config(name: str) -> Any:
    return current_app.config[name]
