"""The kit's problem kinds for handlers to raise (the builder itself is core/problems.py, shared with the
gateway)."""

from __future__ import annotations

from typing import Any

from connexion.exceptions import ProblemException

from claro_backoffice.core.problems import problem


def bad_request(detail: str, kind: str = "bad-request", /, **ext: Any) -> ProblemException:
    return problem(400, detail, kind, None, **ext)


def not_found(detail: str, kind: str = "not-found", /, **ext: Any) -> ProblemException:
    return problem(404, detail, kind, None, **ext)


def conflict(detail: str, kind: str = "conflict", /, **ext: Any) -> ProblemException:
    return problem(409, detail, kind, None, **ext)


def unprocessable(detail: str, kind: str = "unprocessable", /, **ext: Any) -> ProblemException:
    return problem(422, detail, kind, None, **ext)
