"""The kit's SQLite threads: blocking calls run off the event loop, at most `count` at once.

Each mock request crosses to them twice (the sandbox check with the fault draw, then the journal). asyncio's
`run_in_executor` makes each crossing a concurrent.futures Future (a condition and its lock), an asyncio Future
chained to it by two callbacks, and a thread pool's idle semaphore: ~12 µs of CPU per crossing, against ~4 µs here
with one queue put and one `call_soon_threadsafe` (issue 18). Threads start as jobs find none idle, as a
ThreadPoolExecutor's do, and a job whose caller has gone (its awaiting task cancelled) before a thread took it is
not run, as a cancelled executor job is not.
"""

from __future__ import annotations

import asyncio
import queue
import threading
from collections.abc import Callable
from typing import Any, TypeVar

T = TypeVar("T")
_Job = tuple[asyncio.AbstractEventLoop, "asyncio.Future[Any]", Callable[..., Any], tuple[Any, ...]]


class Workers:
    def __init__(self, count: int, name: str) -> None:
        self.count, self.name = count, name
        self._jobs: queue.SimpleQueue[_Job] = queue.SimpleQueue()
        self._idle = threading.Semaphore(0)  # released by a thread each time it is free for a job
        self._started = 0
        self._start_lock = threading.Lock()

    async def run(self, fn: Callable[..., T], *args: Any) -> T:
        loop = asyncio.get_running_loop()
        future: asyncio.Future[T] = loop.create_future()
        self._jobs.put((loop, future, fn, args))
        if not self._idle.acquire(blocking=False):
            self._grow()
        return await future

    def _grow(self) -> None:
        with self._start_lock:
            if self._started >= self.count:
                return  # every thread is busy: the job waits in the queue for the first one free
            self._started += 1
            number = self._started
        threading.Thread(target=self._work, name=f"{self.name}_{number}", daemon=True).start()

    def _work(self) -> None:
        while True:
            loop, future, fn, args = self._jobs.get()
            if not future.cancelled():  # a read of a flag set on the loop: at worst the job runs for nobody
                try:
                    outcome: tuple[Any, BaseException | None] = (fn(*args), None)
                except BaseException as exc:
                    outcome = (None, exc)
                try:
                    loop.call_soon_threadsafe(_settle, future, *outcome)
                except RuntimeError:
                    pass  # the loop has closed (the server stopped): nobody is waiting
            self._idle.release()


def _settle(future: asyncio.Future[Any], result: Any, error: BaseException | None) -> None:
    """On the loop: the caller's answer, unless it stopped waiting meanwhile."""
    if future.cancelled():
        return
    if error is not None:
        future.set_exception(error)
    else:
        future.set_result(result)
