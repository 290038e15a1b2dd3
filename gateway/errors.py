"""application/problem+json (RFC 9457) for the gateway: its own problems, and DownstreamError, the one typed
error every adapter raises, rendered with the failing `system`.

Mapping of a downstream failure (architecture rule 2): a timeout is a 504; a refused connection or an open
circuit is a 503; a 5xx answer, an unparseable body or a connection dropped mid-response is a 502. A 4xx that a
system answers on purpose (an unknown account, an unknown sandbox) keeps its status and the system's detail.
"""
from __future__ import annotations

import json

from connexion.exceptions import ProblemException
from connexion.lifecycle import ConnexionResponse

PROBLEM_TYPE_BASE = "https://claro-premium.example/problems/"
PROBLEM_JSON = "application/problem+json"
TITLES = {400: "Bad Request", 401: "Unauthorized", 403: "Forbidden", 404: "Not Found", 409: "Conflict",
          413: "Content Too Large", 415: "Unsupported Media Type", 422: "Unprocessable Content",
          500: "Internal Server Error", 502: "Bad Gateway", 503: "Service Unavailable", 504: "Gateway Timeout"}
_RESERVED = ("type", "title", "status", "detail", "instance")

# kind -> the gateway's status for it
FAILURE_STATUS = {"timeout": 504, "refused": 503, "circuit-open": 503, "bad-status": 502, "malformed": 502,
                  "dropped": 502}


class DownstreamError(Exception):
    """A system failed or refused a request. `kind`: timeout, refused, circuit-open, bad-status, malformed,
    dropped (failures: the system is unwell) or the problem kind a system answered with a 4xx (not-found, ...)."""

    def __init__(self, system: str, kind: str, status: int, detail: str, **extra):
        super().__init__(detail)
        self.system, self.kind, self.status, self.detail = system, kind, status, detail
        self.extra = extra  # more problem members (e.g. `degraded` when every system failed)

    @property
    def is_failure(self) -> bool:
        """True when the system is unwell (5xx mapping); False for an answer the client has to act on (4xx)."""
        return self.status >= 500

    def as_dict(self) -> dict:
        return {"system": self.system, "status": self.status, "reason": self.kind, "detail": self.detail}

    def __repr__(self):
        return f"DownstreamError({self.system!r}, {self.kind!r}, {self.status})"


def _extensions(ext: dict) -> dict:
    return {(f"{k}_" if k in _RESERVED else k): v for k, v in ext.items()}


def problem(status: int, detail: str, kind: str | None = None, /, **ext) -> ProblemException:
    """An exception connexion renders as problem+json; `kind` names the problem type."""
    return ProblemException(status=status, title=TITLES.get(status, "Error"), detail=detail,
                            type=PROBLEM_TYPE_BASE + kind if kind else "about:blank", ext=_extensions(ext) or None)


def problem_body(status: int, detail: str, kind: str | None = None, /, **ext) -> bytes:
    body = {"type": PROBLEM_TYPE_BASE + kind if kind else "about:blank", "title": TITLES.get(status, "Error"),
            "status": status, "detail": detail, **_extensions(ext)}
    return json.dumps(body, ensure_ascii=False).encode()


def problem_response(status: int, detail: str, kind: str | None = None, /, **ext) -> ConnexionResponse:
    return ConnexionResponse(status_code=status, body=problem_body(status, detail, kind, **ext),
                             content_type=PROBLEM_JSON)


def render_downstream(_request, exc: DownstreamError) -> ConnexionResponse:
    return problem_response(exc.status, exc.detail, exc.kind, system=exc.system, **exc.extra)


def install(app) -> None:
    """Register the gateway's error handlers on a connexion app."""
    app.add_error_handler(DownstreamError, render_downstream)
    from gateway.domain_errors import DomainError  # the edge imports this module: imported here, not at the top
    from gateway.edge import render_domain
    app.add_error_handler(DomainError, render_domain)
