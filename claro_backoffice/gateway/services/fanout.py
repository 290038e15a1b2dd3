"""Calling several systems at once on the app's thread pool: the whole set costs about one round trip.

In turn, when every system is served in the gateway's own process (`make run`): their calls are Python under one
GIL, so running them at once only adds contention (issue 18: the 360's four calls took 8.6–9.7 ms of CPU at once,
6.7–7.3 in turn). What still overlaps is waiting, a fault's delay: each call is given `in_turn` seconds, and one
that takes longer starts the rest at once; the last runs on the calling thread.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Mapping
from concurrent.futures import Executor, Future, ThreadPoolExecutor, wait
from typing import Any, TypeVar

from claro_backoffice.gateway.errors import DownstreamError

K = TypeVar("K", bound=Hashable)


class FanOutPool(ThreadPoolExecutor):
    """The gateway's pool; in_turn: seconds each call is given before the rest start (None: all at once)."""

    def __init__(self, workers: int, in_turn: float | None = None, name: str = "gateway") -> None:
        super().__init__(workers, thread_name_prefix=name)
        self.in_turn = in_turn


def _here(fn: Callable[[], object]) -> Future:
    """fn run on this thread, as a settled future."""
    done: Future = Future()
    try:
        done.set_result(fn())
    except Exception as exc:  # settled as the pool settles a call: gather sees it where it sees the others'
        done.set_exception(exc)
    return done


def _start(executor: Executor, calls: Mapping[K, Callable[[], object]]) -> dict[K, Future]:
    patience = executor.in_turn if isinstance(executor, FanOutPool) else None
    if patience is None:
        return {key: executor.submit(fn) for key, fn in calls.items()}
    futures: dict[K, Future] = {}
    pending = list(calls.items())
    while pending:
        key, fn = pending.pop(0)
        if not pending:
            futures[key] = _here(fn)
            break
        futures[key] = executor.submit(fn)
        if not wait([futures[key]], timeout=patience).done:  # it waits: the rest start at once
            futures.update((k, executor.submit(f)) for k, f in pending)
            break
    return futures


def gather(executor: Executor, calls: Mapping[K, Callable[[], object]]) -> dict[K, Any]:
    """key -> result, or the DownstreamError that call raised. Any other exception is a bug: it propagates."""
    futures = _start(executor, calls)
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
