"""Answers are JSON: NaN and Infinity are not, so encoding one is an error (a 500 that names the bug) rather than
an answer no client can parse."""

from __future__ import annotations

from typing import Any

import flask
from flask.json.provider import DefaultJSONProvider


class StrictJSONProvider(DefaultJSONProvider):
    def dumps(self, obj: Any, **kwargs: Any) -> str:
        kwargs.setdefault("allow_nan", False)
        return super().dumps(obj, **kwargs)


def install(flask_app: flask.Flask) -> None:
    """Replace a Flask app's JSON provider, keeping its settings (ensure_ascii, sort_keys, ...)."""
    current = flask_app.json
    strict = StrictJSONProvider(flask_app)
    for name in ("ensure_ascii", "sort_keys", "compact", "mimetype", "default"):
        setattr(strict, name, getattr(current, name))
    flask_app.json = strict
