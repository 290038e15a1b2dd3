"""Calling several systems at once on the app's thread pool: the whole set costs about one round trip."""

from __future__ import annotations

from collections.abc import Callable, Hashable, Mapping
from concurrent.futures import Executor
from typing import Any, TypeVar

from claro_backoffice.gateway.errors import DownstreamError

K = TypeVar("K", bound=Hashable)


def gather(executor: Executor, calls: Mapping[K, Callable[[], object]]) -> dict[K, Any]:
    """key -> result, or the DownstreamError that call raised. Any other exception is a bug: it propagates."""
    futures = {key: executor.submit(fn) for key, fn in calls.items()}
    results: dict[K, Any] = {}  # each call's own result, or a DownstreamError: callers tell them apart
    for key, future in futures.items():
        try:
            results[key] = future.result()
        except DownstreamError as error:
            results[key] = error
    return results


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
