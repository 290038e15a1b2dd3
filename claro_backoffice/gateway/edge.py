"""The one place at the API edge where a domain error (gateway/domain_errors.py) becomes problem+json: its
class's status, `type` from its kind, the status's title, its detail (clipped as every problem's is, core/clip.py)
and its extension members, exactly the body `gateway.errors.problem()` gives, logged as core/inputs.py logs a
rejected request."""

from __future__ import annotations

import logging

from connexion.lifecycle import ConnexionRequest, ConnexionResponse

from claro_backoffice.core.clip import clip_detail
from claro_backoffice.gateway.domain_errors import DomainError
from claro_backoffice.gateway.errors import problem_response

log = logging.getLogger("claro_backoffice.gateway.edge")


async def render_domain(request: ConnexionRequest, exc: DomainError) -> ConnexionResponse:
    """A coroutine, so connexion answers on the loop instead of handing it to a worker thread (issue 18)."""
    detail = clip_detail(exc.detail)
    log.warning("%s %s rejected (%s): %s", request.method, request.url.path, exc.status, detail)
    return problem_response(exc.status, detail, exc.kind, **exc.ext)
