"""The in-process transport (`make run`'s gateway -> mock calls, the tests' fixture) answers what a socket would:
the mock's whole stack runs (validation, faults, journal), and kit faults surface as the requests errors the
gateway maps to named 50x."""

from __future__ import annotations

import asyncio
import logging
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
import requests

from claro_backoffice.serve import in_process_transports
from claro_backoffice.transport.inprocess import InProcessAdapter, InProcessCaller, InProcessTimeout

BASE = "http://127.0.0.1:8000/mocks/rr"


@pytest.fixture
def rr(mock_apps, mock_client):
    control = mock_client("rr")  # resets the default sandbox (faults, journal) afterwards
    caller = InProcessCaller()
    caller.warm(mock_apps("rr"))
    session = requests.Session()
    session.mount(BASE + "/", InProcessAdapter(caller, mock_apps("rr"), BASE))
    return session, control


def test_a_call_runs_the_mocks_whole_stack(rr, world):
    session, control = rr
    party = next(p for p in world.tables["parties"] if "hogar" in p["segments"])
    found = session.get(
        f"{BASE}/subscribers",
        params={"document_number": party["document_number"]},
        headers={"X-Request-Id": "req-inproc-1"},
        timeout=5,
    )
    assert found.status_code == 200 and found.headers["Content-Type"] == "application/json"
    assert [s["customer_id"] for s in found.json()["subscribers"]] == [party["customer_id"]]
    bad = session.get(f"{BASE}/subscribers", params={"document_number": "x" * 40, "surprise": 1}, timeout=5)
    assert bad.status_code == 400 and bad.headers["Content-Type"] == "application/problem+json"
    missing = session.get(f"{BASE}/accounts/%39%39999999", timeout=5)  # percent-encoded path, as on the wire
    assert missing.status_code == 404 and "99999999" in missing.json()["detail"]
    journal = control.get("/__admin/requests", params={"limit": 3}).json()["requests"]
    assert [(e["method"], e["path"], e["status"]) for e in journal][-1] == ("GET", "/subscribers", 200)
    assert journal[-1]["request_id"] == "req-inproc-1"


@pytest.mark.parametrize(
    "fault, error",
    [
        ({"kind": "timeout"}, requests.ReadTimeout),
        ({"kind": "drop"}, requests.ConnectionError),
        ({"kind": "delay", "delay_ms": 400}, requests.ReadTimeout),  # longer than the read timeout below
    ],
)
def test_kit_faults_become_the_errors_a_socket_gives(rr, fault, error):
    session, control = rr
    assert control.post("/__admin/faults", json=dict(fault, path="/subscribers")).status_code == 201
    with pytest.raises(error):
        session.get(f"{BASE}/subscribers", params={"document_number": "1020304050"}, timeout=(1, 0.1))


def test_first_calls_from_many_threads_at_once(mock_apps, world):
    """connexion builds its middleware stack on the first request: warm() makes it, so concurrent first calls
    from the gateway's threads never race (it failed with a blueprint registered twice)."""
    caller = InProcessCaller(raise_errors=True)
    app = mock_apps("ac")
    caller.warm(app)
    numbers = [p["contact_mobile"] for p in world.tables["parties"][:16]]
    with ThreadPoolExecutor(8) as pool:
        answers = list(pool.map(lambda n: caller.call(app, "GET", f"/msisdns/{n}/subscribers"), numbers))
    assert {a.status for a in answers} <= {200, 404} and len(answers) == 16


def test_an_exception_in_the_app_is_a_logged_500(caplog):
    async def broken(scope, receive, send):
        raise RuntimeError("boom")

    with caplog.at_level(logging.ERROR, logger="claro_backoffice.transport.inprocess"):
        answer = InProcessCaller().call(broken, "GET", "/x")
    assert answer.status == 500 and "the app raised" in caplog.text and "boom" in caplog.text
    with pytest.raises(RuntimeError):
        InProcessCaller(raise_errors=True).call(broken, "GET", "/x")


def test_only_the_mocks_this_server_serves_go_in_process(mock_apps):
    apps = {"rr": mock_apps("rr"), "ac": mock_apps("ac")}
    urls = {
        "rr": "http://127.0.0.1:8000/mocks/rr",
        "ac": "http://10.0.0.5:8000/mocks/ac",
        "meta": "http://127.0.0.1:8000/mocks/meta",
    }
    assert list(in_process_transports(apps, urls, "127.0.0.1", 8000)) == ["http://127.0.0.1:8000/mocks/rr/"]
    assert in_process_transports(apps, urls, "127.0.0.1", 9000) == {}


async def _no_content(scope, receive, send):
    await send({"type": "http.response.start", "status": 204, "headers": []})
    await send({"type": "http.response.body", "body": b""})


def test_a_call_from_inside_another_runs_on_a_thread_of_its_own():
    """Meta's simulator posts a webhook to the gateway while answering it: a call made from inside another (here
    from the app's coroutine itself, blocking its loop) runs on a loop of its own, the outer call waiting."""
    caller = InProcessCaller(raise_errors=True)
    threads = []

    async def outer(scope, receive, send):
        threads.append(threading.get_ident())
        inner = caller.call(recording, "GET", "/inner")  # blocking, from inside this loop, as a view would
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.body", "body": str(inner.status).encode()})

    async def recording(scope, receive, send):
        threads.append(threading.get_ident())
        await _no_content(scope, receive, send)

    answer = caller.call(outer, "GET", "/outer")
    assert (answer.status, answer.body) == (200, b"204")
    assert threads[0] == threading.get_ident() and threads[1] != threads[0]  # the outer on this thread's own loop


def test_a_call_runs_the_app_on_the_calling_threads_own_loop():
    """No hand-off to a loop in another thread and back on every call (issue 18): the app's coroutine runs in the
    calling thread, on a loop kept for that thread's next calls; another thread gets a loop of its own."""
    caller = InProcessCaller(raise_errors=True)
    ran = []

    async def where(scope, receive, send):
        ran.append((threading.get_ident(), asyncio.get_running_loop()))
        await _no_content(scope, receive, send)

    assert [caller.call(where, "GET", "/").status for _ in range(2)] == [204, 204]
    with ThreadPoolExecutor(1) as pool:
        pool.submit(caller.call, where, "GET", "/").result()
    (first, loop), (second, again), (other, elsewhere) = ran
    assert first == second == threading.get_ident() and loop is again
    assert other != first and elsewhere is not loop
    caller.close()
    assert loop.is_closed() and elsewhere.is_closed()


def test_close_closes_the_loop_of_every_thread_that_called():
    """serve closes its caller when it stops: no loop is left to the garbage collector at exit (which closed them
    after their file descriptors: "Exception ignored in BaseEventLoop.__del__" after Ctrl-C)."""
    caller = InProcessCaller(raise_errors=True)
    loops = []

    async def which_loop(scope, receive, send):
        loops.append(asyncio.get_running_loop())
        await _no_content(scope, receive, send)

    with ThreadPoolExecutor(3) as pool:
        list(pool.map(lambda _: caller.call(which_loop, "GET", "/"), range(9)))
    caller.call(which_loop, "GET", "/")
    made = set(loops)
    assert 2 <= len(made) <= 4 and not any(loop.is_closed() for loop in made)  # one per thread, reused
    caller.close()
    assert all(loop.is_closed() for loop in made)
    assert caller.call(which_loop, "GET", "/").status == 204  # a later call makes a new one
    assert loops[-1] not in made
    caller.close()


def test_a_view_that_outlives_its_calls_timeout_still_finishes():
    """The caller gives up at its timeout; the view, on connexion's worker thread (a2wsgi), goes on and hands its
    answer to the caller's loop, which keeps running: the worker thread is not left waiting for ever (a stuck
    worker would also hold the process at exit)."""
    from a2wsgi import WSGIMiddleware

    release, closed = threading.Event(), threading.Event()

    class Answer:
        def __iter__(self):
            release.wait(30)
            yield b"late"

        def close(self):
            closed.set()

    def slow(environ, start_response):
        start_response("200 OK", [("Content-Type", "text/plain")])
        return Answer()

    caller = InProcessCaller(raise_errors=True)
    with pytest.raises(InProcessTimeout):
        caller.call(WSGIMiddleware(slow), "GET", "/", timeout=0.05)
    release.set()
    assert closed.wait(30), "the worker thread still waits to hand over its answer"
    caller.close()


def test_calls_that_time_out_leave_one_loop_thread_per_calling_thread_not_one_each():
    """A loop whose call timed out goes on in a thread of its own (the late view hands its answer to it); that
    thread takes the calling thread's later calls, so a server whose systems keep timing out does not pile up
    threads."""
    caller = InProcessCaller(raise_errors=True)
    ran_on = []

    async def stuck(scope, receive, send):
        ran_on.append(threading.current_thread())
        await asyncio.Event().wait()

    for _ in range(3):
        with pytest.raises(InProcessTimeout):
            caller.call(stuck, "GET", "/", timeout=0.01)
    first, second, third = ran_on
    assert first is threading.current_thread()  # on this thread's own loop, which then went to a thread of its own
    assert second is third and second is not first and second.name == "in-process-loop" and second.is_alive()
    assert caller.call(_no_content, "GET", "/").status == 204  # later calls still answered
    caller.close()


def test_a_caller_dropped_unclosed_stops_its_loop_threads():
    """Tests make a caller per client and seldom close it: its loop threads end with it, not with the process."""
    import gc

    ran_on = []

    async def where(scope, receive, send):
        ran_on.append(threading.current_thread())
        await _no_content(scope, receive, send)

    held = {"caller": InProcessCaller(raise_errors=True)}  # the only strong reference, dropped below

    async def outer(scope, receive, send):  # a call from inside a running loop gets a loop thread
        status = held["caller"].call(where, "GET", "/").status
        await send({"type": "http.response.start", "status": status, "headers": []})
        await send({"type": "http.response.body", "body": b""})

    assert held["caller"].call(outer, "GET", "/").status == 204
    assert ran_on[0] is not threading.current_thread()
    held.clear()
    gc.collect()
    ran_on[0].join(30)
    assert not ran_on[0].is_alive()


def test_a_mocks_rejection_is_rendered_on_the_event_loop_not_handed_to_a_worker_thread(rr, caplog):
    """connexion runs a plain-function error handler in a worker thread: a hand-off there and back on every 4xx
    (a customer a mock does not hold: two of the 360's four calls; issue 18). The handler is a coroutine, so the
    problem is rendered (and its line logged) on the loop that runs the app."""
    session, _control = rr
    caplog.set_level(logging.WARNING, logger="claro_backoffice.core.inputs")
    missing = session.get(f"{BASE}/accounts/99999999", timeout=5)
    assert missing.status_code == 404 and missing.headers["Content-Type"] == "application/problem+json"
    assert "99999999" in missing.json()["detail"]
    rendered = [r.threadName for r in caplog.records if r.name == "claro_backoffice.core.inputs"]
    assert rendered == [threading.current_thread().name]  # the loop runs in the calling thread
