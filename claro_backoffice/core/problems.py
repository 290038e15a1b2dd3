"""application/problem+json (RFC 9457), one way for the gateway and the mocks alike: as an exception a view raises
(connexion renders it), as a body an ASGI middleware sends, or as a response an error handler returns.

`kind` names the problem type (`<PROBLEM_TYPE_BASE><kind>`, or about:blank without one); the title is the
status's; extension members (`system`, `degraded`, ...) follow the standard ones and can't shadow them: a clashing
name gets a trailing underscore."""

from __future__ import annotations

import json
from typing import Any

from connexion.exceptions import ProblemException
from connexion.lifecycle import ConnexionResponse

PROBLEM_TYPE_BASE = "https://claro-premium.example/problems/"
PROBLEM_JSON = "application/problem+json"
TITLES = {
    400: "Bad Request",
    401: "Unauthorized",
    403: "Forbidden",
    404: "Not Found",
    409: "Conflict",
    413: "Content Too Large",
    415: "Unsupported Media Type",
    422: "Unprocessable Content",
    500: "Internal Server Error",
    502: "Bad Gateway",
    503: "Service Unavailable",
    504: "Gateway Timeout",
}
_RESERVED = ("type", "title", "status", "detail", "instance")


def _type(kind: str | None) -> str:
    return PROBLEM_TYPE_BASE + kind if kind else "about:blank"


def _extensions(ext: dict[str, Any]) -> dict[str, Any]:
    return {(f"{k}_" if k in _RESERVED else k): v for k, v in ext.items()}


def problem(
    status: int, detail: str, kind: str | None = None, title: str | None = None, /, **ext: Any
) -> ProblemException:
    """An exception connexion renders as problem+json."""
    return ProblemException(
        status=status,
        title=title or TITLES.get(status, "Error"),
        detail=detail,
        type=_type(kind),
        ext=_extensions(ext) or None,
    )


def problem_body(status: int, detail: str, kind: str | None = None, title: str | None = None, /, **ext: Any) -> bytes:
    body = {
        "type": _type(kind),
        "title": title or TITLES.get(status, "Error"),
        "status": status,
        "detail": detail,
        **_extensions(ext),
    }
    return json.dumps(body, ensure_ascii=False).encode()


def problem_response(status: int, detail: str, kind: str | None = None, /, **ext: Any) -> ConnexionResponse:
    return ConnexionResponse(
        status_code=status, body=problem_body(status, detail, kind, **ext), content_type=PROBLEM_JSON
    )
