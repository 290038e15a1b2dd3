"""Housekeeping when a server is idle: an ASGI middleware that tracks requests, and a thread that runs the given
tasks (WAL checkpoints) once nothing has been asked for `idle_seconds`, again only after new activity, and once
more when the server stops. The same thread runs the `sweeps` every `poll_seconds`, busy or not (the stores'
idle SQLite connections: one that gets no requests would keep them)."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Iterable

from starlette.types import ASGIApp, Receive, Scope, Send

log = logging.getLogger(__name__)


class IdleHousekeeping:
    def __init__(
        self,
        app: ASGIApp,
        tasks: Iterable[Callable[[], object]],
        idle_seconds: float = 30.0,
        clock: Callable[[], float] = time.monotonic,
        poll_seconds: float = 5.0,
        sweeps: Iterable[Callable[[], object]] = (),
    ) -> None:
        self.app, self.tasks, self.sweeps = app, list(tasks), list(sweeps)
        self.idle_seconds, self.clock, self.poll_seconds = idle_seconds, clock, poll_seconds
        self.in_flight, self.last_activity, self.dirty = 0, clock(), True
        self.runs = 0
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        with self._lock:
            self.in_flight += 1
        self.activity()
        try:
            await self.app(scope, receive, send)
        finally:
            with self._lock:
                self.in_flight -= 1
                self.last_activity = self.clock()

    def activity(self) -> None:
        """Something was asked (the middleware's requests; a caller that reaches the stores another way)."""
        with self._lock:
            self.last_activity, self.dirty = self.clock(), True

    def tick(self) -> bool:
        """Run the tasks if the server has been idle long enough since its last activity; True if they ran."""
        with self._lock:
            due = self.dirty and self.in_flight == 0 and self.clock() - self.last_activity >= self.idle_seconds
            if due:
                self.dirty = False
        if due:
            self.run()
        return due

    def run(self) -> None:
        _each(self.tasks)
        self.runs += 1

    def sweep(self) -> None:
        _each(self.sweeps)

    def start(self) -> None:
        def loop() -> None:
            while not self._stop.wait(self.poll_seconds):
                self.sweep()
                self.tick()

        self._thread = threading.Thread(target=loop, name="idle-housekeeping", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        """Stop the thread and run the tasks one last time (the server has stopped serving)."""
        self._stop.set()
        if self._thread is not None:
            self._thread.join()
        self.run()


def _each(tasks: list[Callable[[], object]]) -> None:
    for task in tasks:
        try:
            task()
        except Exception:  # housekeeping must never take the server down
            log.exception("idle housekeeping task failed")
