"""Resolve operationIds relative to a package, and make each view say its content type: the specs document
application/json beside application/problem+json, so connexion needs every successful response to name its type;
wrapping the view here keeps the views themselves plain. A view that returns no body (a 204) names no type.

`before(operation)` may give a function every call of that operation runs first (the gateway's: an operation that
acts in a sandbox checks that the sandbox exists, once, for every operation alike)."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

import flask
from connexion.operations import AbstractOperation
from connexion.resolver import RelativeResolver, Resolution

JSON = {"Content-Type": "application/json"}

# (body, status, extra headers): the body is whatever the view returned for connexion to serialize.
Parts = tuple[Any, int, dict[str, str]]


def parts(result: Any) -> Parts:
    """(body, status, extra headers) of what a view returned."""
    if isinstance(result, tuple):
        body, status, *rest = result
        return body, status, dict(rest[0]) if rest else {}
    return result, 200, {}


def with_json_type(body: Any, status: int, headers: dict[str, str]) -> flask.Response | Parts:
    if body is None:  # 204: no body, so no type to name
        empty = flask.Response(status=status, headers=headers)
        del empty.headers["Content-Type"]
        return empty
    return body, status, dict(JSON, **headers)


class JsonViewResolver(RelativeResolver):
    def __init__(
        self,
        package: str,
        before: Callable[[AbstractOperation], Callable[[], object] | None] | None = None,
    ) -> None:
        super().__init__(package)
        self._before = before

    def resolve(self, operation: AbstractOperation) -> Resolution:
        resolution = super().resolve(operation)
        first = self._before(operation) if self._before else None
        if first is None:
            return resolution
        view = resolution.function

        @functools.wraps(view)
        def checked_view(*args: Any, **kwargs: Any) -> Any:
            first()
            return view(*args, **kwargs)

        return Resolution(checked_view, resolution.operation_id)

    def call(self, operation_id: str, view: Callable[..., Any], args: tuple[Any, ...], kwargs: dict[str, Any]) -> Parts:
        """(body, status, headers) of one call of the view (a subclass may wrap it: the mocks' Idempotency-Key)."""
        return parts(view(*args, **kwargs))

    def resolve_function_from_operation_id(self, operation_id: str) -> Callable[..., Any]:
        view = super().resolve_function_from_operation_id(operation_id)

        @functools.wraps(view)
        def json_view(*args: Any, **kwargs: Any) -> flask.Response | Parts:
            return with_json_type(*self.call(operation_id, view, args, kwargs))

        return json_view
