"""A circuit breaker per key (an adapter keeps one, keyed by sandbox: a circuit per (system, sandbox)).

closed: calls go through; `threshold` consecutive failed calls open it. open: calls fail at once for
`open_seconds`. half-open: after that, one trial call goes through; its success closes the circuit, its failure
opens it again. The clock is injectable so tests never wait; `reset()` closes every circuit.
"""

from __future__ import annotations

import dataclasses
import threading
import time
from collections.abc import Callable


@dataclasses.dataclass
class _Circuit:
    failures: int = 0
    opened_at: float | None = None
    trial: bool = False


class CircuitBreaker:
    def __init__(self, threshold: int, open_seconds: float, clock: Callable[[], float] = time.monotonic):
        self.threshold = threshold
        self.open_seconds = open_seconds
        self._clock = clock
        self._circuits: dict[str, _Circuit] = {}
        self._lock = threading.Lock()

    def allow(self, key: str) -> float | None:
        """None when a call may go; otherwise the seconds left before the circuit lets a trial call through."""
        with self._lock:
            circuit = self._circuits.get(key)
            if circuit is None or circuit.opened_at is None:
                return None
            left = circuit.opened_at + self.open_seconds - self._clock()
            if left > 0:
                return left
            if circuit.trial:  # half-open: one trial at a time
                return 0.0
            circuit.trial = True
            return None

    def success(self, key: str) -> None:
        with self._lock:
            self._circuits.pop(key, None)

    def failure(self, key: str) -> None:
        with self._lock:
            circuit = self._circuits.setdefault(key, _Circuit())
            circuit.failures += 1
            if circuit.trial or circuit.failures >= self.threshold:
                circuit.opened_at = self._clock()
            circuit.trial = False

    def state(self, key: str) -> str:
        with self._lock:
            circuit = self._circuits.get(key)
            if circuit is None or circuit.opened_at is None:
                return "closed"
            if circuit.trial or self._clock() >= circuit.opened_at + self.open_seconds:
                return "half-open"
            return "open"

    def reset(self, key: str | None = None) -> None:
        with self._lock:
            if key is None:
                self._circuits.clear()
            else:
                self._circuits.pop(key, None)
