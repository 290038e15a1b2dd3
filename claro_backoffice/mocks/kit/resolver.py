"""The core resolver (core/resolver.py), plus the mocks' Idempotency-Key: the operations whose spec declares the
header run in one held transaction with the record of their answer (mocks/kit/idempotency.py)."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

import flask

from claro_backoffice.core import resolver
from claro_backoffice.core.resolver import Parts
from claro_backoffice.core.sqlite_pool import TrackedConnection
from claro_backoffice.mocks.kit import idempotency
from claro_backoffice.mocks.kit.context import session


def _idempotent(view: Callable[..., Any], args: tuple[Any, ...], kwargs: dict[str, Any]) -> Parts:
    key = flask.request.headers.get(idempotency.HEADER)
    method = flask.request.method
    if not key or method not in idempotency.WRITES:
        return resolver.parts(view(*args, **kwargs))
    current, path, body = session(), flask.request.path, flask.request.get_data(cache=True)
    assert isinstance(current.db.conn, TrackedConnection)  # the store's connections all are (core/sqlite_pool.py)
    with current.db.conn.held():
        stored = idempotency.replay(current.db, key, method, path, body)
        if stored is not None:
            return stored
        answer = resolver.parts(view(*args, **kwargs))
        if 200 <= answer[1] < 300:
            idempotency.record(current.db, key, method, path, body, answer, current.now().isoformat())
    return answer


class JsonViewResolver(resolver.JsonViewResolver):
    def __init__(self, root_path: str, idempotent_operations: Iterable[str] = frozenset()) -> None:
        """idempotent_operations: the operationIds whose spec declares the Idempotency-Key header."""
        super().__init__(root_path)
        self.idempotent_operations = frozenset(idempotent_operations)

    def call(self, operation_id: str, view: Callable[..., Any], args: tuple[Any, ...], kwargs: dict[str, Any]) -> Parts:
        if operation_id.rpartition(".")[2] in self.idempotent_operations:  # the root path prepended
            return _idempotent(view, args, kwargs)
        return super().call(operation_id, view, args, kwargs)
