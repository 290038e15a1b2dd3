"""A fan-out's calls (the 360's four, a cell's two): all at once on the gateway's pool, or in turn when every system
is in the gateway's own process, where a call that waits (a fault's delay) still starts the rest at once."""

from __future__ import annotations

import threading

import pytest

from claro_backoffice.gateway.errors import DownstreamError
from claro_backoffice.gateway.services.fanout import FanOutPool, gather

WAIT = 30  # seconds: only a broken fan-out waits this long


@pytest.fixture
def pool():
    made = []

    def make(in_turn):
        made.append(FanOutPool(4, in_turn=in_turn))
        return made[-1]

    yield make
    for executor in made:
        executor.shutdown(wait=True)


class Calls:
    """Calls that note who runs at once with whom, and on which thread."""

    def __init__(self):
        self.lock, self.running, self.most, self.threads, self.order = threading.Lock(), 0, 0, {}, []

    def quick(self, key):
        def call():
            with self.lock:
                self.running += 1
                self.most = max(self.most, self.running)
                self.threads[key] = threading.get_ident()
                self.order.append(key)
            with self.lock:
                self.running -= 1
            return key.upper()

        return call


def test_in_turn_runs_quick_calls_one_after_another_the_last_on_the_calling_thread(pool):
    calls = Calls()
    results = gather(pool(in_turn=WAIT), {k: calls.quick(k) for k in ("a", "b", "c", "d")})
    assert results == {"a": "A", "b": "B", "c": "C", "d": "D"}
    assert calls.most == 1 and calls.order == ["a", "b", "c", "d"]
    here = threading.get_ident()
    assert calls.threads["d"] == here and here not in (calls.threads["a"], calls.threads["b"], calls.threads["c"])


def test_in_turn_a_call_that_waits_starts_the_rest_at_once(pool):
    """`a` waits until `c` has run: in strict turn it never would; given 10 ms, the rest start while it waits."""
    released = threading.Event()

    def a():
        return "released" if released.wait(WAIT) else "never released"

    def c():
        released.set()
        return "c"

    results = gather(pool(in_turn=0.01), {"a": a, "b": lambda: "b", "c": c})
    assert results == {"a": "released", "b": "b", "c": "c"}


def test_all_at_once_without_in_turn(pool):
    both = threading.Barrier(2, timeout=WAIT)

    def meet(name):
        return lambda: (both.wait(), name)[1]

    assert gather(pool(in_turn=None), {"rr": meet("rr"), "ac": meet("ac")}) == {"rr": "rr", "ac": "ac"}


def test_in_turn_a_downstream_failure_is_a_result_and_a_bug_propagates(pool):
    def refused():
        raise DownstreamError("ac", "unavailable", 503, "AC refused the connection")

    results = gather(pool(in_turn=WAIT), {"rr": lambda: "rr", "ac": refused})
    assert results["rr"] == "rr" and isinstance(results["ac"], DownstreamError) and results["ac"].system == "ac"

    def bug():
        raise KeyError("customerId")

    with pytest.raises(KeyError):
        gather(pool(in_turn=WAIT), {"rr": lambda: "rr", "ac": bug})
