"""Resolve operationIds relative to gateway.api, and make each view say its content type: the spec documents
application/json beside application/problem+json, so connexion needs every successful response to name its type.

`before(operation)` may give a function every call of that operation runs first (create_app's: an operation that
acts in a sandbox checks that the sandbox exists, once, for every operation alike)."""
from __future__ import annotations

import functools
from collections.abc import Callable

from connexion.resolver import RelativeResolver, Resolution

JSON = {"Content-Type": "application/json"}


def _with_json_type(result):
    if isinstance(result, tuple):
        body, status, *rest = result
        return body, status, dict(JSON, **(rest[0] if rest else {}))
    return result, 200, JSON


class JsonViewResolver(RelativeResolver):
    def __init__(self, package: str, before: Callable | None = None):
        super().__init__(package)
        self._before = before

    def resolve(self, operation):
        resolution = super().resolve(operation)
        first = self._before(operation) if self._before else None
        if first is None:
            return resolution
        view = resolution.function

        @functools.wraps(view)
        def checked_view(*args, **kwargs):
            first()
            return view(*args, **kwargs)

        return Resolution(checked_view, resolution.operation_id)

    def resolve_function_from_operation_id(self, operation_id):
        view = super().resolve_function_from_operation_id(operation_id)

        @functools.wraps(view)
        def json_view(*args, **kwargs):
            return _with_json_type(view(*args, **kwargs))

        return json_view
