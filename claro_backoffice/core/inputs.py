"""One place that makes a connexion app strict about what it takes and what it answers (issue 12): the body size
limit, the Content-Type check, the strict validators, clipped problem details with a log line saying what was
wrong, and a JSON encoder that refuses NaN. The gateway's and the mocks' app factories both call `install` and
pass `validator_map()` to every add_api."""

from __future__ import annotations

import logging

from connexion import FlaskApp
from connexion.exceptions import ProblemException
from connexion.lifecycle import ConnexionRequest, ConnexionResponse
from connexion.middleware import MiddlewarePosition

from claro_backoffice.core import json_output
from claro_backoffice.core.body_limit import BodyLimitMiddleware
from claro_backoffice.core.clip import clip_detail
from claro_backoffice.core.media_types import ContentTypeMiddleware
from claro_backoffice.core.responses import Render
from claro_backoffice.core.validators import validator_map  # noqa: F401  (re-exported for the app factories)

log = logging.getLogger("claro_backoffice.core.inputs")


async def _clipped_problem(request: ConnexionRequest, exc: ProblemException) -> ConnexionResponse:
    """A coroutine: connexion runs a plain function handler in a worker thread (a hand-off each way on every 4xx,
    e.g. a customer a mock does not hold; issue 18); this one only builds the answer and logs a line."""
    detail = clip_detail(exc.detail) if isinstance(exc.detail, str) else exc.detail
    clipped = ProblemException(
        status=exc.status,
        title=exc.title,
        detail=detail,
        type=exc.type,
        instance=exc.instance,
        headers=exc.headers,
        ext=exc.ext,
    )
    if 400 <= exc.status < 500:
        log.warning("%s %s rejected (%s): %s", request.method, request.url.path, exc.status, detail)
    else:
        log.error("%s %s failed (%s): %s", request.method, request.url.path, exc.status, detail)
    return clipped.to_problem()


def install(
    app: FlaskApp, *, max_body_bytes: int, body_types: dict[tuple[str, str], tuple[str, ...]], render: Render
) -> None:
    """body_types: core.media_types.body_types of every API the app serves; render(status, detail, kind) -> bytes:
    the app's own problem+json body (the mocks add their `system`)."""
    app.add_middleware(
        BodyLimitMiddleware, position=MiddlewarePosition.BEFORE_EXCEPTION, max_bytes=max_body_bytes, render=render
    )
    app.add_middleware(
        ContentTypeMiddleware, position=MiddlewarePosition.BEFORE_VALIDATION, accepted=body_types, render=render
    )
    app.add_error_handler(ProblemException, _clipped_problem)
    json_output.install(app.app)
