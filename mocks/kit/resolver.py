"""Resolve operationIds to views in a module, and make each view say its content type.

The specs document application/json beside application/problem+json, so connexion needs every successful
response to name its type; wrapping the view here keeps the views themselves plain. The operations whose spec
declares the Idempotency-Key header run in one held transaction with the record of their answer
(mocks/kit/idempotency.py).
"""
from __future__ import annotations

import functools

import flask
from connexion.resolver import RelativeResolver

from mocks.kit import idempotency
from mocks.kit.context import session

JSON = {"Content-Type": "application/json"}


def _parts(result) -> tuple:
    """(body, status, extra headers) of what a view returned."""
    if isinstance(result, tuple):
        body, status, *rest = result
        return body, status, dict(rest[0]) if rest else {}
    return result, 200, {}


def _with_json_type(body, status, headers):
    if body is None:  # 204: no body, so no type to name
        empty = flask.Response(status=status)
        del empty.headers["Content-Type"]
        return empty
    return body, status, dict(JSON, **headers)


def _idempotent(view, args, kwargs) -> tuple:
    key = flask.request.headers.get(idempotency.HEADER)
    method = flask.request.method
    if not key or method not in idempotency.WRITES:
        return _parts(view(*args, **kwargs))
    current, path, body = session(), flask.request.path, flask.request.get_data(cache=True)
    with current.db.conn.held():
        stored = idempotency.replay(current.db, key, method, path, body)
        if stored is not None:
            return stored
        answer = _parts(view(*args, **kwargs))
        if 200 <= answer[1] < 300:
            idempotency.record(current.db, key, method, path, body, answer, current.now().isoformat())
    return answer


class JsonViewResolver(RelativeResolver):
    def __init__(self, root_path, idempotent_operations=frozenset()):
        """idempotent_operations: the operationIds whose spec declares the Idempotency-Key header."""
        super().__init__(root_path)
        self.idempotent_operations = frozenset(idempotent_operations)

    def resolve_function_from_operation_id(self, operation_id):
        view = super().resolve_function_from_operation_id(operation_id)
        keyed = operation_id.rpartition(".")[2] in self.idempotent_operations  # the root path prepended

        @functools.wraps(view)
        def json_view(*args, **kwargs):
            parts = _idempotent(view, args, kwargs) if keyed else _parts(view(*args, **kwargs))
            return _with_json_type(*parts)

        return json_view
