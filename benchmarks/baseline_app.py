"""The plain-Flask baseline: the same bytes the RR mock answers (captured from it at the start of the run), with no
spec, no validation and no state. BENCH_GET_BODY / BENCH_POST_BODY name the files holding those bytes.

Served with gunicorn (2 sync workers) when benchmarks/.deps has it, else under uvicorn through a2wsgi (`asgi`)."""

from __future__ import annotations

import json
import os
from pathlib import Path

from flask import Flask, Response, request


def create_app() -> Flask:
    app = Flask("baseline")
    get_body = Path(os.environ["BENCH_GET_BODY"]).read_bytes()
    post_body = Path(os.environ["BENCH_POST_BODY"]).read_bytes()

    @app.get("/accounts/<number>")
    def account(number):
        return Response(get_body, 200, content_type="application/json")

    @app.post("/accounts/<number>/markings")
    def marking(number):
        json.loads(request.get_data() or b"null")  # the body is read and parsed, as any handler would
        return Response(post_body, 201, content_type="application/json")

    return app


def asgi():
    """uvicorn --factory benchmarks.baseline_app:asgi (the fallback when gunicorn is absent)."""
    from a2wsgi import WSGIMiddleware

    return WSGIMiddleware(create_app())
