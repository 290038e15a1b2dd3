"""Resolve operationIds relative to gateway.api, and make each view say its content type: the spec documents
application/json beside application/problem+json, so connexion needs every successful response to name its type."""
from __future__ import annotations

import functools

from connexion.resolver import RelativeResolver

JSON = {"Content-Type": "application/json"}


def _with_json_type(result):
    if isinstance(result, tuple):
        body, status, *rest = result
        return body, status, dict(JSON, **(rest[0] if rest else {}))
    return result, 200, JSON


class JsonViewResolver(RelativeResolver):
    def resolve_function_from_operation_id(self, operation_id):
        view = super().resolve_function_from_operation_id(operation_id)

        @functools.wraps(view)
        def json_view(*args, **kwargs):
            return _with_json_type(view(*args, **kwargs))

        return json_view
