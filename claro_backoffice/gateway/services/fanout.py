"""Calling several systems at once on the app's thread pool: the whole set costs about one round trip."""

from __future__ import annotations

from collections.abc import Callable, Hashable, Mapping
from concurrent.futures import Executor
from typing import Any, TypeVar

from claro_backoffice.gateway.errors import DownstreamError

K = TypeVar("K", bound=Hashable)


def gather(executor: Executor, calls: Mapping[K, Callable[[], object]]) -> dict[K, Any]:
    """key -> result, or the DownstreamError that call raised. Any other exception is a bug: it propagates.

    The last call runs in the calling thread, which would only wait otherwise, while the others run in the pool: all
    at once still (the whole set costs its slowest call), one hand-off to a worker and back fewer (issue 18)."""
    if not calls:
        return {}
    *pooled, (last, here) = calls.items()
    futures = {key: executor.submit(fn) for key, fn in pooled}
    results: dict[K, Any] = {}  # each call's own result, or a DownstreamError: callers tell them apart
    results[last] = _outcome(here)
    for key, future in futures.items():
        results[key] = _outcome(future.result)
    return {key: results[key] for key in calls}  # in the order asked


def _outcome(fn: Callable[[], object]) -> Any:
    try:
        return fn()
    except DownstreamError as error:
        return error


def split(results: dict) -> tuple[dict, dict]:
    """(answers, failures): a system's 4xx (unknown sandbox, ...) is the client's problem and is raised at once."""
    answers, failures = {}, {}
    for key, value in results.items():
        if isinstance(value, DownstreamError):
            if not value.is_failure:
                raise value
            failures[key] = value
        else:
            answers[key] = value
    return answers, failures


def all_failed(errors: list[DownstreamError]) -> DownstreamError:
    """One problem for 'no system could answer': the first failure's status and system, every detail."""
    first = errors[0]
    return DownstreamError(
        first.system,
        first.kind,
        first.status,
        "; ".join(e.detail for e in errors),
        degraded=[e.as_dict() for e in errors],
    )
