"""Signing in behind a router (README "Scaling out"): console sessions live in one replica's memory, so the session
must start on the replica that owns the signed-in sandbox (or a formador's class). nginx routes the console by the
`claro_sandbox` cookie, set at sign-in. A sign-in POST reaches the replica the browser's *current* cookie routes to;
when the new sandbox's group is another one (and this server has PEERS), the answer sets the cookie for the new
sandbox and a small page that posts the same form again (by console.js, or the visible «Continuar» button), so the
owner starts the session.

CSRF on the owner: the CSRF token is the first replica's session's, unknown to the owner. The first replica, having
checked it, signs a handoff ticket instead: HMAC-SHA256 (a key derived from TOKEN_SECRET, the same on every replica)
over its expiry, a nonce, and a digest of the sign-in's action and fields. The owner accepts the re-post with that
ticket in place of the CSRF token only for that exact action and those exact fields, within TICKET_SECONDS, once.
The Origin check stays as it is. A page of another site can't read the ticket (same-origin), so it forges nothing.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
import re
import secrets
import threading
import time
from collections.abc import Callable, Mapping
from typing import TypeVar

from flask import Response, g, make_response, render_template, request
from werkzeug.wrappers import Response as BaseResponse

from claro_backoffice.console.settings import ConsoleSettings

COOKIE = "claro_sandbox"  # what nginx routes the console by (deploy/nginx/claro-backoffice.conf)
FIELD = "handoff"  # the re-post's form field carrying the ticket
SIGNIN_FIELDS = ("token", "advisor", "sandbox", "clase")  # what a sign-in form posts (besides its CSRF token)
TICKET_SECONDS = 120
SANDBOX = re.compile(r"^[a-z0-9-]{1,40}$")  # the router's rule: anything else counts as no sandbox
GROUP = re.compile(r"^(.+?)--")
R = TypeVar("R", bound=BaseResponse)


def group(sandbox: str) -> str:
    """What the router hashes on: the sandbox's name up to '--' (nginx's `^(?<group>.+?)--`)."""
    found = GROUP.match(sandbox)
    return found.group(1) if found else sandbox


def routed_by() -> str:
    """The sandbox the router chose this request's replica by, as nginx's maps work it out for a console path
    (there is no sandbox in the path): X-Sandbox (a bad one counts as `default`), else the cookie, else `default`."""
    header = request.headers.get("X-Sandbox")
    if header:
        return header if SANDBOX.match(header) else "default"
    cookie = request.cookies.get(COOKIE, "")
    return cookie if SANDBOX.match(cookie) else "default"


def needed(settings: ConsoleSettings, target: str) -> bool:
    """Whether a sign-in for `target` (a sandbox, or a formador's class) must start on another replica: only with
    PEERS, never twice (a handed-over post starts its session where it lands), and only for another group."""
    return settings.peers and not g.get("handed_over") and group(target) != group(routed_by())


def set_cookie(response: R, settings: ConsoleSettings, target: str) -> R:
    """The browser's next requests route to `target`'s replica (only behind a router: one server needs none)."""
    if settings.peers:
        response.set_cookie(COOKIE, target, httponly=True, samesite="Lax", secure=request.scheme == "https", path="/")
    return response


def _key(settings: ConsoleSettings) -> bytes:
    # A key of its own, derived: a ticket can never pass for a gateway token signed with TOKEN_SECRET, nor back.
    return hmac.new(settings.handoff_secret.encode(), b"claro-console-handoff-v1", hashlib.sha256).digest()


def _digest(action: str, fields: Mapping[str, str]) -> str:
    signed = json.dumps([action, [fields.get(name, "") for name in SIGNIN_FIELDS]], ensure_ascii=False)
    return hashlib.sha256(signed.encode()).hexdigest()


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def issue(settings: ConsoleSettings, action: str, fields: Mapping[str, str], now: float) -> str:
    expiry, nonce = int(now) + TICKET_SECONDS, secrets.token_urlsafe(16)
    claims = _b64(json.dumps({"exp": expiry, "n": nonce, "f": _digest(action, fields)}).encode())
    return f"{claims}.{_b64(hmac.new(_key(settings), claims.encode(), hashlib.sha256).digest())}"


class UsedTickets:
    """Nonces of the tickets this replica accepted, until they expire: a ticket starts one session, once."""

    def __init__(self, clock: Callable[[], float] = time.time) -> None:
        self.clock = clock
        self._seen: dict[str, float] = {}
        self._lock = threading.Lock()

    def accept(self, settings: ConsoleSettings, ticket: str, action: str, fields: Mapping[str, str]) -> bool:
        """True, once, for a ticket this deployment signed for this action and these fields, not expired."""
        claims_text, _, signature = ticket.partition(".")
        expected = _b64(hmac.new(_key(settings), claims_text.encode(), hashlib.sha256).digest())
        if not signature or not hmac.compare_digest(signature.encode(), expected.encode()):
            return False
        try:
            claims = json.loads(base64.urlsafe_b64decode(claims_text + "=" * (-len(claims_text) % 4)))
        except (binascii.Error, ValueError):
            return False
        now = self.clock()
        if claims.get("exp", 0) < now or not hmac.compare_digest(str(claims.get("f")), _digest(action, fields)):
            return False
        with self._lock:
            self._seen = {nonce: exp for nonce, exp in self._seen.items() if exp >= now}
            if claims["n"] in self._seen:
                return False
            self._seen[claims["n"]] = claims["exp"]
        return True


def page(settings: ConsoleSettings, target: str, clock: Callable[[], float] = time.time) -> Response:
    """The answer that moves a sign-in to `target`'s replica: the cookie, and the same form posted again there."""
    fields = {name: request.form.get(name, "") for name in SIGNIN_FIELDS if name in request.form}
    ticket = issue(settings, request.path, fields, clock())
    action = request.script_root + request.path
    body = render_template("handoff.html", action=action, fields=fields, field=FIELD, ticket=ticket, target=target)
    return set_cookie(make_response(body, 200), settings, target)
