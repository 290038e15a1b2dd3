"""The gateway renders its problems on the event loop (issue 18): connexion runs a plain-function error handler in a
worker thread, a hand-off there and back on every 4xx and every downstream failure; its handlers are coroutines."""

from __future__ import annotations

import logging
import threading


def test_a_domain_rejection_is_rendered_on_the_event_loop(gateway_client, caplog):
    caplog.set_level(logging.WARNING, logger="claro_backoffice.gateway.edge")
    unknown = gateway_client.get("/cases/CAS-999999999")
    assert unknown.status_code == 404 and unknown.headers["Content-Type"] == "application/problem+json"
    assert "CAS-999999999" in unknown.json()["detail"]
    rendered = [r.threadName for r in caplog.records if r.name == "claro_backoffice.gateway.edge"]
    assert rendered == [threading.current_thread().name]  # the loop runs in the calling thread
