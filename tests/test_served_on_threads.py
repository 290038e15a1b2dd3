"""Requests over a socket to the gateway and the mocks run whole on a worker thread of their app's own
(transport/threaded.py, issue 18), and the client gets what the app sent, as it sent it."""

from __future__ import annotations

import asyncio
import threading
import time

import httpx
import pytest

from claro_backoffice.transport.inprocess import InProcessCaller
from claro_backoffice.transport.scope import in_process
from claro_backoffice.transport.threaded import ServedOnThreads


async def _lifespan(receive, send) -> None:
    """ServedOnThreads warms an app with a lifespan startup and shutdown (connexion builds its stack then)."""
    await receive()
    await send({"type": "lifespan.startup.complete"})
    await receive()
    await send({"type": "lifespan.shutdown.complete"})


def _serve(app, requests: list[tuple[str, str, bytes | list[bytes]]]) -> list[httpx.Response]:
    """The requests at once through an ASGI client, as uvicorn hands them to the app on its event loop."""
    caller = InProcessCaller()
    served = ServedOnThreads(app, caller, 4, "test")

    async def go() -> list[httpx.Response]:
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=served), base_url="http://t") as client:

            async def one(method: str, path: str, body) -> httpx.Response:
                if isinstance(body, list):  # sent in several messages

                    async def parts():
                        for part in body:
                            yield part

                    return await client.request(method, path, content=parts())
                return await client.request(method, path, content=body)

            return await asyncio.gather(*(one(*r) for r in requests))

    try:
        return asyncio.run(go())
    finally:
        served.close()
        caller.close()


def test_each_request_runs_in_process_on_a_thread_of_the_apps_own_and_gets_its_whole_answer():
    loop_thread, seen = [], []

    async def app(scope, receive, send):
        body = b""
        while True:
            message = await receive()
            body += message.get("body", b"")
            if not message.get("more_body"):
                break
        seen.append((threading.current_thread().name, in_process(scope), scope["path"], body))
        await send({"type": "http.response.start", "status": 201, "headers": [(b"x-part", b"1")]})
        for part in (b"he", b"ll", b"o"):
            await send({"type": "http.response.body", "body": part, "more_body": True})
        await send({"type": "http.response.body", "body": b" " + body})

    async def lifespan_aware(scope, receive, send):
        if scope["type"] == "lifespan":
            return await _lifespan(receive, send)
        loop_thread.append(threading.current_thread())
        return await app(scope, receive, send)

    answers = _serve(lifespan_aware, [("POST", "/a", b"uno"), ("POST", "/b", [b"do", b"s"])])
    assert [(r.status_code, r.headers["x-part"], r.content) for r in answers] == [
        (201, "1", b"hello uno"),
        (201, "1", b"hello dos"),
    ]
    assert sorted((path, body) for _name, _mark, path, body in seen) == [("/a", b"uno"), ("/b", b"dos")]
    assert all(name.startswith("test") and mark for name, mark, _path, _body in seen)
    assert threading.current_thread() not in loop_thread


def test_an_exception_before_the_answer_is_a_500_and_the_server_goes_on():
    async def app(scope, receive, send):
        if scope["type"] == "lifespan":
            return await _lifespan(receive, send)
        if scope["path"] == "/broken":
            raise RuntimeError("a bug")
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.body", "body": b"fine"})

    broken, fine = _serve(app, [("GET", "/broken", b""), ("GET", "/fine", b"")])
    assert (broken.status_code, broken.text) == (500, "Internal Server Error")
    assert (fine.status_code, fine.text) == (200, "fine")


def test_a_request_held_by_the_app_stops_when_the_server_does():
    """uvicorn cancels what is still running when it stops: a request held on a worker thread (a `timeout` fault
    holds one for 30 s) is cancelled there too, and the worker thread is free at once rather than at the end of
    the hold, which would keep the process from exiting."""
    entered, stopped = threading.Event(), []

    async def holding(scope, receive, send):
        if scope["type"] == "lifespan":
            return await _lifespan(receive, send)
        entered.set()
        try:
            await asyncio.sleep(30)
        except asyncio.CancelledError:
            stopped.append(threading.current_thread().name)
            raise

    caller = InProcessCaller()
    served = ServedOnThreads(holding, caller, 2, "held")
    scope = {"type": "http", "method": "GET", "path": "/", "headers": [], "query_string": b""}

    async def serve_then_stop() -> None:
        async def receive():
            return {"type": "http.request", "body": b"", "more_body": False}

        async def send(_message):
            pass

        request = asyncio.ensure_future(served(scope, receive, send))
        await asyncio.get_running_loop().run_in_executor(None, entered.wait, 10)
        request.cancel()
        with pytest.raises(asyncio.CancelledError):
            await request

    began = time.monotonic()
    asyncio.run(serve_then_stop())
    served.close()  # waits for its threads
    assert time.monotonic() - began < 10
    assert len(stopped) == 1 and stopped[0].startswith("held")
    caller.close()
