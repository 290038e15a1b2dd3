"""The gateway's fan-out (gateway/services/fanout.py): every call at once, the last in the calling thread, which
would only wait otherwise (issue 18: a hand-off to a worker thread and back fewer per fan-out)."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

from claro_backoffice.gateway.errors import DownstreamError
from claro_backoffice.gateway.services.fanout import gather


def test_the_last_call_runs_in_the_calling_thread_the_others_in_the_pool_at_once():
    met = threading.Barrier(3, timeout=30)  # all three calls must be in flight together to get past it
    ran = {}

    def call(key, outcome):
        def fn():
            ran[key] = threading.current_thread()
            met.wait()
            if isinstance(outcome, Exception):
                raise outcome
            return outcome

        return fn

    refused = DownstreamError("ac", "refused", 503, "connection refused")
    with ThreadPoolExecutor(4, thread_name_prefix="pool") as pool:
        results = gather(pool, {"rr": call("rr", 1), "ac": call("ac", refused), "meta": call("meta", 3)})
    assert results == {"rr": 1, "ac": refused, "meta": 3} and list(results) == ["rr", "ac", "meta"]
    assert ran["meta"] is threading.current_thread()
    assert ran["rr"].name.startswith("pool") and ran["ac"].name.startswith("pool") and ran["rr"] is not ran["ac"]
    assert gather(pool, {}) == {}
