"""Resolve operationIds to views in a module, and make each view say its content type.

The specs document application/json beside application/problem+json, so connexion needs every successful
response to name its type; wrapping the view here keeps the views themselves plain.
"""
from __future__ import annotations

import functools

import flask
from connexion.resolver import RelativeResolver

JSON = {"Content-Type": "application/json"}


def _with_json_type(result):
    if isinstance(result, tuple):
        body, status, *rest = result
        if body is None:  # 204: no body, so no type to name
            empty = flask.Response(status=status)
            del empty.headers["Content-Type"]
            return empty
        headers = dict(JSON, **(rest[0] if rest else {}))
        return body, status, headers
    return result, 200, JSON


class JsonViewResolver(RelativeResolver):
    def resolve_function_from_operation_id(self, operation_id):
        view = super().resolve_function_from_operation_id(operation_id)

        @functools.wraps(view)
        def json_view(*args, **kwargs):
            return _with_json_type(view(*args, **kwargs))

        return json_view
