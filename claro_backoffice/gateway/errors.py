"""application/problem+json (RFC 9457) for the gateway: its own problems, and DownstreamError, the one typed
error every adapter raises, rendered with the failing `system`.

Mapping of a downstream failure (architecture rule 2): a timeout is a 504; a refused connection or an open
circuit is a 503; a 5xx answer, an unparseable body or a connection dropped mid-response is a 502. A 4xx that a
system answers on purpose (an unknown account, an unknown sandbox) keeps its status and the system's detail.
"""

from __future__ import annotations

from connexion import FlaskApp
from connexion.lifecycle import ConnexionRequest, ConnexionResponse

from claro_backoffice.core.problems import problem, problem_response  # noqa: F401  (problem: what the gateway's views raise)

# kind -> the gateway's status for it
FAILURE_STATUS = {
    "timeout": 504,
    "refused": 503,
    "circuit-open": 503,
    "bad-status": 502,
    "malformed": 502,
    "dropped": 502,
}


class DownstreamError(Exception):
    """A system failed or refused a request. `kind`: timeout, refused, circuit-open, bad-status, malformed,
    dropped (failures: the system is unwell) or the problem kind a system answered with a 4xx (not-found, ...)."""

    def __init__(self, system: str, kind: str, status: int, detail: str, **extra: object) -> None:
        super().__init__(detail)
        self.system, self.kind, self.status, self.detail = system, kind, status, detail
        self.extra = extra  # more problem members (e.g. `degraded` when every system failed)

    @property
    def is_failure(self) -> bool:
        """True when the system is unwell (5xx mapping); False for an answer the client has to act on (4xx)."""
        return self.status >= 500

    def as_dict(self) -> dict:
        return {"system": self.system, "status": self.status, "reason": self.kind, "detail": self.detail}

    def __repr__(self) -> str:
        return f"DownstreamError({self.system!r}, {self.kind!r}, {self.status})"


async def render_downstream(_request: ConnexionRequest, exc: DownstreamError) -> ConnexionResponse:
    """A coroutine, so connexion answers on the loop instead of handing it to a worker thread (issue 18)."""
    return problem_response(exc.status, exc.detail, exc.kind, system=exc.system, **exc.extra)


def install(app: FlaskApp) -> None:
    """Register the gateway's error handlers on a connexion app."""
    app.add_error_handler(DownstreamError, render_downstream)
    from claro_backoffice.gateway.domain_errors import (
        DomainError,  # the edge imports this module: imported here, not at the top
    )
    from claro_backoffice.gateway.edge import render_domain

    app.add_error_handler(DomainError, render_domain)
