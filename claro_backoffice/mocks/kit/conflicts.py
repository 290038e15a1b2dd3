"""A UNIQUE or PRIMARY KEY constraint that stops a write is a 409, not a 500: two requests racing to create the
same thing (the second one's read-then-insert saw nothing yet) is the client's conflict, said once for every
mock here rather than in each view. Any other integrity error (NOT NULL, FOREIGN KEY, CHECK) stays a bug."""

from __future__ import annotations

import re
import sqlite3

import flask

from claro_backoffice.core.problems import problem_body
from claro_backoffice.mocks.kit.context import runtime

_UNIQUE = re.compile(r"^UNIQUE constraint failed: (.+)$")


def unique_conflict(exc: sqlite3.IntegrityError) -> flask.Response:
    found = _UNIQUE.match(str(exc))
    if found is None:
        raise exc
    columns = [c.strip() for c in found.group(1).split(",")]
    table = columns[0].split(".")[0]
    names = " and ".join(c.split(".", 1)[-1] for c in columns)
    detail = (
        f"{table} already holds a record with the same {names} (another request created it first); "
        "read it instead of creating it again"
    )
    body = problem_body(409, detail, "already-exists", system=runtime().system, table=table)
    return flask.Response(body, status=409, content_type="application/problem+json")
