"""Signing in and out. With a gateway token (a configured one, GATEWAY_TOKENS, or an issued one), the sandbox and
the person's login; the gateway's GET /me says first who the token is: a token's user is the person (another login
typed is refused) and a token pinned to a sandbox is that sandbox's (another one typed is refused), so a trainee
never sees another sandbox. On a loopback server also the development shortcut: pick an asesor or a leader (supervisor,
coordinador, gerente) and a sandbox, acting with CONSOLE_DEV_TOKEN or the leader's role token
(CONSOLE_DEV_LEADER_TOKENS), or the development trainer (CONSOLE_DEV_TRAINER_TOKEN). The token is checked against the
gateway before the session starts; the person's role is Almabi's (a leader's screens need a token that may read
Almabi, and a login Almabi has as a leader), but a formador's token (GET /me) is a trainer's, whose screens are
Formación only; an admin's not pinned to a sandbox sees Formación too."""

from __future__ import annotations

import re
import unicodedata

from flask import Blueprint, g, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue

from claro_backoffice.console import handoff, people
from claro_backoffice.console.client import ApiError
from claro_backoffice.console.training_form import NAME as CLASS_NAME
from claro_backoffice.console.training_form import NAME_MAX as CLASS_MAX
from claro_backoffice.console.web import gateway, session, sessions, settings
from claro_backoffice.core.token_sandbox import claimed_sandbox

blueprint = Blueprint("auth", __name__)
SANDBOX = re.compile(r"^[a-z0-9-]{1,40}$")
ADVISOR = re.compile(r"^[A-Za-z0-9._-]{2,60}$")


ROLE_GROUPS = (
    ("asesor", "Asesores"),
    ("supervisor", "Supervisores"),
    ("coordinador", "Coordinadores"),
    ("gerente", "Gerentes"),
)


DEV_TRAINER = "formador"  # the shortcut's development trainer (Almabi has no formador: it is no agent)
TRAINERS = ("formador", "admin")  # the gateway's roles that run training sessions (gateway/api/training.py)


def _landing() -> str:
    if session().role == "formador":
        return url_for("training.sessions")
    return url_for("supervisor.show" if session().leads else "queue.show")


@blueprint.get("/")
def home() -> ResponseReturnValue:
    return redirect(_landing() if session().signed_in else url_for("auth.sign_in"))


def _directory(sandbox: str = "default") -> list[dict]:
    """Active agents from Almabi, by name (empty when the directory can't be read)."""
    try:
        agents = gateway(settings().dev_directory_token, sandbox).get("/workforce/agents", status="active")
    except ApiError:
        return []
    return sorted(agents, key=lambda a: unicodedata.normalize("NFKD", a["fullName"]).encode("ascii", "ignore"))


def _advisors() -> list[tuple[str, list[dict]]]:
    """The shortcut's picker: asesores first (as before), then each leader role that has a token to act with."""
    agents = _directory()
    groups = [
        (label, [a for a in agents if a["role"] == role])
        for role, label in ROLE_GROUPS
        if settings().dev_token_for(role) and any(a["role"] == role for a in agents)
    ]
    trainer = {"username": DEV_TRAINER, "fullName": "Formador de desarrollo", "role": "formador"}
    return groups + [("Formadores", [trainer])] if settings().dev_trainer_token else groups


def _role_of(token: str, sandbox: str, login: str) -> str:
    """A leader's role when the token may read Almabi and Almabi has the login as an active leader; else asesor."""
    try:
        agents = gateway(token, sandbox).get("/workforce/agents", status="active")
    except ApiError:  # an asesor's token (403) or a directory that can't be read: the asesor's screens only
        return "asesor"
    roles = {a["username"]: a["role"] for a in agents}
    return roles.get(login, "asesor")


def _form(errors: list[str], status: int = 200, values: dict | None = None) -> ResponseReturnValue:
    return render_template(
        "signin.html",
        errors=errors,
        values=values or {},
        shortcut=settings().shortcut,
        advisors=_advisors() if settings().shortcut else [],
    ), status


@blueprint.get("/signin")
def sign_in() -> ResponseReturnValue:
    return _form([])


def _check(token: str, sandbox: str, advisor: str) -> list[str]:
    errors = []
    if not token:
        errors.append("Escribe tu token de acceso.")
    if not SANDBOX.match(sandbox):
        errors.append("El sandbox lleva de 1 a 40 letras minúsculas, números o guiones (por ejemplo: default).")
    if not ADVISOR.match(advisor):
        errors.append("El usuario del asesor lleva de 2 a 60 letras, números, puntos, guiones o guiones bajos.")
    if errors:
        return errors
    try:  # the cheapest call an asesor may make: proves the token, its role and the sandbox
        gateway(token, sandbox).get("/conversations", status="queued", limit=1)
    except ApiError as exc:
        if exc.status == 401:
            return ["El token no es válido: revisa que lo hayas copiado completo."]
        if exc.status == 403:
            return [f"Ese token no sirve para este sandbox o rol: {exc.detail}"]
        if exc.status == 404:
            return [f"El sandbox «{sandbox}» no existe: pide a tu formador que lo cree."]
        return [f"No fue posible verificar el acceso ({exc.status}): {exc.detail}"]
    return []


def _start(
    token: str,
    sandbox: str,
    advisor: str,
    shortcut: bool,
    role: str = "asesor",
    trains: bool = False,
    klass: str | None = None,
) -> ResponseReturnValue:
    store = sessions()
    store.end(session().id)  # a new id once signed in: an id seen before sign-in is worthless after it
    fresh = store.new()
    fresh.token, fresh.sandbox, fresh.advisor, fresh.shortcut, fresh.role = token, sandbox, advisor, shortcut, role
    fresh.trains, fresh.klass = trains, klass
    fresh.names = people.directory(gateway(token, sandbox), gateway(settings().dev_directory_token, sandbox))
    fresh.full_name = fresh.names.get(advisor)
    fresh.token_role = people.token_role(gateway(token, sandbox))
    fresh.role_label = people.role_label(role, fresh.token_role)
    g.session = fresh
    # Behind a router, the browser's next requests come here: the sandbox's replica (a formador's: the class's).
    return handoff.set_cookie(redirect(_landing(), 303), settings(), klass or sandbox)


def _identity(token: str, sandbox: str, advisor: str) -> tuple[str, str, list[str], dict]:
    """The sandbox and login to sign in with: the token's own (GET /me) when it has them, else those typed; and
    what GET /me said (its role tells a trainer)."""
    if not token:
        return sandbox or "default", advisor, ["Escribe tu token de acceso."], {}
    try:
        me = gateway(token, "default").whoami()
    except ApiError as exc:
        if exc.status == 401:
            return sandbox, advisor, ["El token no es válido: revisa que lo hayas copiado completo."], {}
        return sandbox, advisor, [f"No fue posible verificar el acceso ({exc.status}): {exc.detail}"], {}
    errors = []
    pinned, user = me.get("sandbox"), me.get("user")
    if pinned and sandbox and sandbox != pinned:
        errors.append(
            f"Ese token no sirve para este sandbox: es del sandbox «{pinned}» y escribiste «{sandbox}» "
            "(puedes dejar el campo vacío)."
        )
    if user and advisor and advisor != user:
        errors.append(
            f"Ese token es del usuario «{user}»: no puedes ingresar como «{advisor}» (puedes dejar el campo vacío)."
        )
    return pinned or sandbox or "default", user or advisor, errors, me


def _trainer(token: str, advisor: str, klass: str, shortcut: bool) -> ResponseReturnValue:
    """A formador reaches the training operations only (no chats, no Almabi): GET /me proved the token; the
    training screens are where the session starts. With a class, the session belongs to it: behind a router it
    starts on the class's replica (handoff.py), where the class's sessions and sandboxes then live."""
    advisor = advisor or DEV_TRAINER
    errors = []
    if not ADVISOR.match(advisor):
        errors.append("El usuario lleva de 2 a 60 letras, números, puntos, guiones o guiones bajos.")
    if klass and (not CLASS_NAME.match(klass) or len(klass) > CLASS_MAX):
        errors.append(
            f"La clase lleva hasta {CLASS_MAX} letras minúsculas, números y guiones sueltos (por ejemplo: aula-1)."
        )
    if errors:
        return _form(errors, 422, {"advisor": advisor, "clase": klass})
    if handoff.needed(settings(), klass or "default"):
        return handoff.page(settings(), klass or "default")
    return _start(token, "default", advisor, shortcut, role="formador", trains=True, klass=klass or None)


def _no_class(klass: str, values: dict) -> ResponseReturnValue | None:
    """The class is a formador's: anyone else is told to leave it empty."""
    if not klass:
        return None
    errors = ["La clase es solo para formadores: déjala vacía (tu sandbox dice dónde trabajas)."]
    return _form(errors, 422, values | {"clase": klass})


@blueprint.post("/signin")
def sign_in_with_token() -> ResponseReturnValue:
    token = request.form.get("token", "").strip()
    typed_sandbox = request.form.get("sandbox", "").strip()
    typed_advisor = request.form.get("advisor", "").strip()
    klass = request.form.get("clase", "").strip().lower()
    # Behind a router, first where the form says it is for: an issued token is known only to the replica that
    # issued it (its sandbox's), so this replica may not be able to read who it is (GET /me) at all.
    said = klass or claimed_sandbox(token) or typed_sandbox or "default"
    if SANDBOX.match(said) and handoff.needed(settings(), said):
        return handoff.page(settings(), said)
    sandbox, advisor, errors, me = _identity(token, typed_sandbox, typed_advisor)
    if errors:
        return _form(errors, 422, {"sandbox": typed_sandbox, "advisor": typed_advisor, "clase": klass})
    if me.get("role") == "formador":
        return _trainer(token, advisor, klass, shortcut=False)
    refused = _no_class(klass, {"sandbox": sandbox, "advisor": advisor})
    if refused:
        return refused
    if handoff.needed(settings(), sandbox):  # before anything reads the sandbox: it lives on its own replica
        return handoff.page(settings(), sandbox)
    errors = _check(token, sandbox, advisor)
    if errors:
        return _form(errors, 422, {"sandbox": sandbox, "advisor": advisor})
    trains = me.get("role") in TRAINERS and not me.get("sandbox")  # a pinned admin runs no class (the gateway's rule)
    return _start(token, sandbox, advisor, shortcut=False, role=_role_of(token, sandbox, advisor), trains=trains)


@blueprint.post("/signin/dev")
def sign_in_shortcut() -> ResponseReturnValue:
    if not settings().shortcut:
        return render_template(
            "error.html", message="El acceso de desarrollo no está disponible en este servidor."
        ), 404
    sandbox = request.form.get("sandbox", "").strip() or "default"
    advisor = request.form.get("advisor", "").strip()
    klass = request.form.get("clase", "").strip().lower()
    if advisor == DEV_TRAINER and settings().dev_trainer_token:
        _, _, errors, me = _identity(settings().dev_trainer_token, "", "")
        if not errors and me.get("role") != "formador":
            errors = ["El token del formador de desarrollo (CONSOLE_DEV_TRAINER_TOKEN) no es de un formador."]
        if errors:
            return _form(errors, 422, {"advisor": advisor, "clase": klass})
        return _trainer(settings().dev_trainer_token, advisor, klass, shortcut=True)
    refused = _no_class(klass, {"sandbox": sandbox, "advisor": advisor})
    if refused:
        return refused
    if handoff.needed(settings(), sandbox):  # before the directory is read: the sandbox lives on its own replica
        return handoff.page(settings(), sandbox)
    role = next((a["role"] for a in _directory(sandbox) if a["username"] == advisor), "asesor")
    token = settings().dev_token_for(role) or settings().dev_token
    errors = _check(token, sandbox, advisor)
    if errors:
        return _form(errors, 422, {"sandbox": sandbox, "advisor": advisor})
    return _start(token, sandbox, advisor, shortcut=True, role=role)


@blueprint.post("/signout")
def sign_out() -> ResponseReturnValue:
    sessions().end(session().id)
    g.session = sessions().new()
    return redirect(url_for("auth.sign_in"), 303)
