"""The gateway renders its problems on the event loop (issue 18): connexion runs a plain-function error handler in a
worker thread, a hand-off there and back on every 4xx and every downstream failure; its handlers are coroutines."""

from __future__ import annotations

import concurrent.futures
import logging
import threading


def test_a_domain_rejection_is_rendered_on_the_event_loop(gateway_client, caplog):
    caplog.set_level(logging.WARNING, logger="claro_backoffice.gateway.edge")
    # Called from a thread of its own, which has no loop running (a pytest worker's main thread may have
    # Playwright's): the in-process call then runs the gateway on that thread's own loop.
    with concurrent.futures.ThreadPoolExecutor(1, thread_name_prefix="caller") as pool:
        caller, unknown = pool.submit(
            lambda: (threading.current_thread().name, gateway_client.get("/cases/CAS-999999999"))
        ).result()
    assert unknown.status_code == 404 and unknown.headers["Content-Type"] == "application/problem+json"
    assert "CAS-999999999" in unknown.json()["detail"]
    rendered = [r.threadName for r in caplog.records if r.name == "claro_backoffice.gateway.edge"]
    assert rendered == [caller]  # on the calling thread's loop, not handed to an AnyIO worker thread
