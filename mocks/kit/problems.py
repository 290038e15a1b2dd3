"""application/problem+json errors (RFC 9457) for handlers (raise) and for the kit's ASGI layer (render)."""
from __future__ import annotations

import json

from connexion.exceptions import ProblemException

PROBLEM_TYPE_BASE = "https://claro-premium.example/problems/"
_TITLES = {400: "Bad Request", 401: "Unauthorized", 403: "Forbidden", 404: "Not Found", 409: "Conflict",
           413: "Content Too Large", 415: "Unsupported Media Type", 422: "Unprocessable Content",
           500: "Internal Server Error", 502: "Bad Gateway", 503: "Service Unavailable", 504: "Gateway Timeout"}


_RESERVED = ("type", "title", "status", "detail", "instance")


def _extensions(ext: dict) -> dict:
    """Extension members can't shadow the standard ones: a clashing name gets a trailing underscore."""
    return {(f"{k}_" if k in _RESERVED else k): v for k, v in ext.items()}


def problem(status: int, detail: str, kind: str | None = None, title: str | None = None, /, **ext) -> ProblemException:
    """An exception connexion renders as problem+json; `kind` names the problem type (e.g. 'account-not-found')."""
    ext = _extensions(ext)
    return ProblemException(status=status, title=title or _TITLES.get(status, "Error"), detail=detail,
                            type=PROBLEM_TYPE_BASE + kind if kind else "about:blank", ext=ext or None)


def bad_request(detail: str, kind: str = "bad-request", /, **ext) -> ProblemException:
    return problem(400, detail, kind, None, **ext)


def not_found(detail: str, kind: str = "not-found", /, **ext) -> ProblemException:
    return problem(404, detail, kind, None, **ext)


def conflict(detail: str, kind: str = "conflict", /, **ext) -> ProblemException:
    return problem(409, detail, kind, None, **ext)


def unprocessable(detail: str, kind: str = "unprocessable", /, **ext) -> ProblemException:
    return problem(422, detail, kind, None, **ext)


def problem_body(status: int, detail: str, kind: str | None = None, title: str | None = None, /, **ext) -> bytes:
    body = {"type": PROBLEM_TYPE_BASE + kind if kind else "about:blank", "title": title or _TITLES.get(status, "Error"),
            "status": status, "detail": detail}
    body.update(_extensions(ext))
    return json.dumps(body, ensure_ascii=False).encode()
