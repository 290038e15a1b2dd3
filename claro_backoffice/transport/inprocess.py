"""An in-process transport: a request handed to an ASGI app from the calling thread, with no socket and no HTTP
parsing (issue 7: in one process, the gateway's calls to the mocks went through requests, loopback HTTP and uvicorn,
~4 ms of Python each; the app's own middleware, validation included, still runs).

The calling thread runs the app on an event loop of its own (made on first use, kept for its next calls): no
hand-off to another thread and back on every call (issue 18). The request carries `transport.scope.IN_PROCESS`, so
the kit's SQLite work and the product's Flask views (transport/inline_views.py) run right there too, holding up only
this caller; such a view answering after the call's timeout is reported as a timeout. An app that hands its work to
threads of its own (a2wsgi) may still have to hand its answer to that loop after the caller gave up, so a loop whose
call failed goes on running in a thread of its own and the caller's next call makes a new one. A call made from a
thread whose loop is running (from inside another call's coroutine or view) runs on a loop in a thread of its own,
the outer call waiting. `close()` stops them all when the server stops. Only public asyncio.

Kit faults: the request carries `X-Kit-Fault-Signal: 1`, so a `timeout` or `drop` fault answers 599 with
`X-Kit-Fault` at once, and `InProcessAdapter` raises the exception a socket would have given.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import contextlib
import contextvars
import dataclasses
import io
import logging
import threading
import weakref
from collections.abc import Callable, Coroutine, Iterable, Mapping
from typing import Any, TypeVar
from urllib.parse import unquote, urlsplit

import requests
from requests.adapters import HTTPAdapter
from starlette.types import ASGIApp, Message, Receive, Scope
from urllib3 import HTTPHeaderDict, HTTPResponse
from urllib3.exceptions import ProtocolError

from claro_backoffice.transport.scope import IN_PROCESS

FAULT_SIGNAL = (b"x-kit-fault-signal", b"1")
log = logging.getLogger(__name__)
T = TypeVar("T")
Emit = Callable[[Message], None]  # a response message, handed on as the app sends it
Running = Callable[[asyncio.AbstractEventLoop, asyncio.Task], None]  # the loop and task a relayed request runs as


@dataclasses.dataclass
class Answer:
    status: int
    headers: list[tuple[bytes, bytes]]
    body: bytes

    def header(self, name: str) -> str | None:
        wanted = name.lower().encode("latin-1")
        return next((v.decode("latin-1") for k, v in self.headers if k == wanted), None)


class InProcessTimeout(Exception):
    pass


class _LoopThread:
    """An event loop running in a thread of its own: for a thread whose own loop is running (a call made from inside
    a call's coroutine), or a loop whose call failed (a view that outlived its timeout still hands its answer to it:
    a2wsgi waits for that). Always running, until stopped."""

    def __init__(self, loop: asyncio.AbstractEventLoop | None = None) -> None:
        self.loop = loop or asyncio.new_event_loop()
        # A daemon: a caller nobody closed (a test's) must not keep the interpreter from exiting.
        self.thread = threading.Thread(target=self._serve, name="in-process-loop", daemon=True)
        self.thread.start()

    def _serve(self) -> None:
        try:
            self.loop.run_forever()
        finally:
            self.loop.close()

    def run(self, coroutine: Coroutine[Any, Any, T], context: contextvars.Context) -> T:
        """The coroutine's result, run on this loop in the caller's context (as if run in the caller's thread)."""
        outcome: concurrent.futures.Future[T] = concurrent.futures.Future()

        def settle(task: asyncio.Task[T]) -> None:
            if task.cancelled():
                outcome.cancel()
            elif task.exception() is not None:
                outcome.set_exception(task.exception())
            else:
                outcome.set_result(task.result())

        self.loop.call_soon_threadsafe(
            lambda: self.loop.create_task(coroutine, context=context).add_done_callback(settle)
        )
        return outcome.result()

    def stop(self) -> None:
        """The loop stops and closes in its thread (at once if idle, else after what it is running now)."""
        with contextlib.suppress(RuntimeError):  # closed already
            self.loop.call_soon_threadsafe(self.loop.stop)

    def close(self) -> None:
        self.stop()
        self.thread.join()


def _stop_all(loops: list[_LoopThread], own: list[asyncio.AbstractEventLoop]) -> None:
    for loop in list(loops):
        loop.stop()
    for idle in list(own):
        if not idle.is_running() and not idle.is_closed():
            idle.close()


def _loop_running_here() -> bool:
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return False
    return True


class InProcessCaller:
    """Runs ASGI requests in the calling thread, on an event loop of that thread's own made on first use (on a loop
    in a thread of its own when the calling thread's loop is running)."""

    def __init__(self, raise_errors: bool = False) -> None:
        """raise_errors: an exception the app lets out reaches the caller (tests); otherwise it is a 500, as a
        server would answer."""
        self.raise_errors = raise_errors
        self._local = threading.local()
        self._loops: list[_LoopThread] = []  # loop threads, to close
        self._own: list[asyncio.AbstractEventLoop] = []  # every calling thread's own loop, to close
        self._lock = threading.Lock()
        # A caller dropped unclosed (a test's client) stops its loop threads and closes its idle loops with it.
        weakref.finalize(self, _stop_all, self._loops, self._own)

    def close(self) -> None:
        """Stop and close every thread's loop, once no call is running: a loop left to the garbage collector at
        exit is closed after its file descriptors ("Exception ignored in BaseEventLoop.__del__")."""
        with self._lock:
            loops, own, self._local = list(self._loops), list(self._own), threading.local()
            self._loops.clear()
            self._own.clear()
        for loop in loops:
            loop.close()  # a view that outlived its call's timeout, finishing later, then fails to answer
        for idle in own:
            if not idle.is_running():  # a call under way on it ends first; its thread then makes a new loop
                idle.close()

    def warm(self, app: ASGIApp) -> None:
        """connexion builds an app's middleware stack on its first request, unguarded: over a socket every request
        starts on the one event loop, but in-process first calls from two threads at once would both build it
        (a blueprint registered twice). Make that first call here, from one thread, before any other: a lifespan
        startup and shutdown (the apps register nothing for either; a request would be journalled or logged)."""
        messages = iter([{"type": "lifespan.startup"}, {"type": "lifespan.shutdown"}])

        async def receive() -> Message:
            return next(messages)

        async def send(_message: Message) -> None:
            pass

        async def lifespan() -> None:  # an ASGI app returns an awaitable; the loop runs coroutines
            await app({"type": "lifespan", "asgi": {"version": "3.0"}, "state": {}}, receive, send)

        self._run(lifespan())

    def call(
        self,
        app: ASGIApp,
        method: str,
        path: str,
        *,
        query: str = "",
        headers: Iterable[tuple[str | bytes, str | bytes]] = (),
        body: bytes = b"",
        timeout: float | None = None,
        server: tuple[str, int] = ("127.0.0.1", 80),
    ) -> Answer:
        encoded = [
            (
                (k.encode("latin-1") if isinstance(k, str) else k).lower(),
                v.encode("latin-1") if isinstance(v, str) else v,
            )
            for k, v in headers
        ]
        if body and not any(k == b"content-length" for k, _ in encoded):
            encoded.append((b"content-length", str(len(body)).encode()))  # what a client sends with a body
        scope: Scope = {
            "type": "http",
            "asgi": {"version": "3.0"},
            "http_version": "1.1",
            "method": method.upper(),
            "scheme": "http",
            "path": unquote(path),
            "raw_path": path.encode("latin-1"),
            "query_string": query.encode("latin-1"),
            "root_path": "",
            "headers": encoded,
            "client": ("127.0.0.1", 0),
            "server": server,
            "extensions": {},
            IN_PROCESS: True,
        }
        return self._run(self._exchange(app, scope, body, timeout))

    def _run(self, coroutine: Coroutine[Any, Any, T]) -> T:
        context = contextvars.copy_context()  # the app runs in the caller's context, as if called right here
        if getattr(self._local, "threaded", False) or _loop_running_here():
            return self._thread_loop().run(coroutine, context)
        loop = self._own_loop()
        try:
            return loop.run_until_complete(loop.create_task(coroutine, context=context))
        except BaseException:
            # A view may still run on a2wsgi's thread (a timeout) and will hand its answer to this loop: it goes on
            # running in a thread of its own, which takes this thread's later calls (one loop thread per calling
            # thread at most, however many calls time out).
            self._hand_off(loop)
            raise

    def _own_loop(self) -> asyncio.AbstractEventLoop:
        loop = getattr(self._local, "own", None)
        if loop is None or loop.is_closed():
            loop = asyncio.new_event_loop()
            with self._lock:
                self._own.append(loop)
            self._local.own = loop
        return loop

    def _hand_off(self, loop: asyncio.AbstractEventLoop) -> None:
        adopted = _LoopThread(loop)
        with self._lock:
            if loop in self._own:
                self._own.remove(loop)
            self._loops.append(adopted)
        self._local.own, self._local.threaded = None, True
        if getattr(self._local, "loop", None) is None:
            self._local.loop = adopted

    def _thread_loop(self) -> _LoopThread:
        loop = getattr(self._local, "loop", None)
        if loop is None:
            loop = _LoopThread()
            with self._lock:
                self._loops.append(loop)
            self._local.loop = loop
        return loop

    def relay(self, app: ASGIApp, scope: Scope, receive: Receive, emit: Emit, running: Running | None = None) -> None:
        """Run one request whole in the calling thread, on its own loop (transport/threaded.py: a request that came
        over a socket): `receive` gives its body, `emit` is handed each response message as the app sends it, and
        `running` the loop and task it runs as, to cancel it from elsewhere. An exception the app lets out is
        logged, and answered 500 if nothing was sent yet, as uvicorn does."""
        self._run(self._relay(app, scope, receive, emit, running))

    async def _relay(self, app: ASGIApp, scope: Scope, receive: Receive, emit: Emit, running: Running | None) -> None:
        if running is not None:
            task = asyncio.current_task()
            assert task is not None  # _run runs every coroutine as a task
            running(asyncio.get_running_loop(), task)
        started = body_read = False
        done = asyncio.Event()

        async def send(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            emit(message)

        async def receive_until_done() -> Message:
            nonlocal body_read
            if not body_read:
                message = await receive()
                body_read = message["type"] != "http.request" or not message.get("more_body")
                return message
            # A reader waiting for the client to go (after the body) is told so once the response is complete.
            pending = asyncio.ensure_future(receive())
            finished = asyncio.ensure_future(done.wait())
            await asyncio.wait((pending, finished), return_when=asyncio.FIRST_COMPLETED)
            if pending.done():
                finished.cancel()
                return pending.result()
            pending.cancel()
            return {"type": "http.disconnect"}

        try:
            await app(scope, receive_until_done, send)
        except Exception:
            if self.raise_errors:
                raise
            # What uvicorn would log for an exception that left the app; the caller gets the 500 sent, or one.
            log.exception("in-process %s %s: the app raised", scope["method"], scope["path"])
            if not started:
                emit({"type": "http.response.start", "status": 500, "headers": [(b"content-type", b"text/plain")]})
                emit({"type": "http.response.body", "body": b"Internal Server Error"})
        finally:
            done.set()

    async def _exchange(self, app: ASGIApp, scope: Scope, body: bytes, timeout: float | None) -> Answer:
        answer = Answer(0, [], b"")
        sent: list[bool] = []
        never = asyncio.Event()

        async def receive() -> Message:
            if not sent:
                sent.append(True)
                return {"type": "http.request", "body": body, "more_body": False}
            await never.wait()  # after the body, only a disconnect: once the response is complete (_relay)
            raise AssertionError("unreachable")

        def collect(message: Message) -> None:
            if message["type"] == "http.response.start":
                answer.status, answer.headers = message["status"], list(message.get("headers", []))
            elif message["type"] == "http.response.body":
                answer.body += message.get("body", b"")

        began = asyncio.get_running_loop().time()
        try:
            async with asyncio.timeout(timeout):  # not wait_for: no task of its own, one turn of the loop fewer
                await self._relay(app, scope, receive, collect, None)
        except TimeoutError:
            raise InProcessTimeout(f"no answer in {timeout} s") from None
        if timeout is not None and asyncio.get_running_loop().time() - began > timeout:
            # A view run in this thread (transport/inline_views.py) cannot be cut short at the deadline: it answered
            # after it, and a client on a socket would have given up.
            raise InProcessTimeout(f"no answer in {timeout} s")
        return answer


class InProcessAdapter(HTTPAdapter):
    """A requests transport adapter for one app mounted at `base_url`: session.mount(base_url, adapter). `answer`
    is the same call without requests' session around it (transport/wire.py calls it directly)."""

    def __init__(self, caller: InProcessCaller, app: ASGIApp, base_url: str) -> None:
        super().__init__()
        self.caller, self.app = caller, app
        self.prefix = urlsplit(base_url).path.rstrip("/")

    def answer(
        self, method: str, url: str, headers: list[tuple[str, str]], body: bytes, read_timeout: float | None
    ) -> Answer:
        """The app's answer to one request; a fault the mock signals raises the `requests` exception a socket
        would have given (a timeout, a connection cut mid-response)."""
        parts = urlsplit(url)
        if not any(k.lower() == "host" for k, _ in headers):
            headers = [*headers, ("host", parts.netloc)]
        try:
            answer = self.caller.call(
                self.app,
                method,
                parts.path[len(self.prefix) :] or "/",
                query=parts.query,
                headers=headers + [FAULT_SIGNAL],
                body=body,
                timeout=read_timeout,
                server=(parts.hostname or "127.0.0.1", parts.port or 80),
            )
        except InProcessTimeout as exc:
            raise requests.ReadTimeout(f"{url}: {exc}") from None
        fault = answer.header("x-kit-fault") if answer.status == 599 else None
        if fault == "timeout":
            raise requests.ReadTimeout(f"{url}: read timed out (injected fault)")
        if fault:
            cut = ProtocolError("Connection aborted.", ConnectionResetError("in-process: the mock cut the response"))
            raise requests.ConnectionError(cut)
        return answer

    def send(
        self,
        request: requests.PreparedRequest,
        stream: bool = False,
        timeout: float | tuple[float, float] | tuple[float, None] | None = None,
        verify: bool | str = True,
        cert: bytes | str | tuple[bytes | str, bytes | str] | None = None,
        proxies: Mapping[str, str] | None = None,
    ) -> requests.Response:
        assert request.url is not None and request.method is not None  # a prepared request has both
        body = request.body or b""
        body = body.encode("utf-8") if isinstance(body, str) else body
        read_timeout = timeout[1] if isinstance(timeout, tuple) else timeout
        try:
            answer = self.answer(request.method, request.url, list(request.headers.items()), body, read_timeout)
        except requests.RequestException as exc:
            exc.request = request
            raise
        raw = HTTPResponse(
            body=io.BytesIO(answer.body),
            status=answer.status,
            preload_content=False,
            decode_content=False,
            headers=HTTPHeaderDict([(k.decode("latin-1"), v.decode("latin-1")) for k, v in answer.headers]),
        )
        return self.build_response(request, raw)
