"""A request that comes over a socket runs whole on a worker thread, as an in-process call does (issue 18).

uvicorn runs every ASGI app on its one event loop. connexion's middleware (routing, security, validation) ran
there for every request to the gateway and the mocks, the kit's SQLite went to its threads and back, and the Flask
view to a2wsgi's and back, with a dozen turns of the loop and a thread hand-off for each part of the answer; under
a class every request queued behind every other on that one loop. `ServedOnThreads` hands a request, with its
first body message, to a worker thread of the app's own (made as needed), where `InProcessCaller.relay` runs the
app on that thread's own loop, marked in-process (`transport.scope`): the kit's SQLite and the view then run there
too, without another hand-off. The response goes back to the server's loop message by message, as the app sends
it (a `drop` fault still cuts a response short); a body in several messages is read from the socket as the app
asks for it, so the app's body limit still refuses a large one unread. Fault signalling is unchanged: it depends on
a header only the in-process transport sends, so a `timeout` fault still holds the socket.
"""

from __future__ import annotations

import asyncio
import concurrent.futures

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from claro_backoffice.transport.inprocess import InProcessCaller
from claro_backoffice.transport.scope import IN_PROCESS


class ServedOnThreads:
    def __init__(self, app: ASGIApp, caller: InProcessCaller, threads: int, name: str) -> None:
        """`caller` runs the requests (its loops are closed with it), on up to `threads` threads of this app's own
        (named `name`): one system whose requests all wait (a locked sandbox) holds up no other."""
        caller.warm(app)  # connexion builds its stack on a first request: once, here, not from two threads at once
        self.app, self.caller = app, caller
        self.threads = concurrent.futures.ThreadPoolExecutor(threads, thread_name_prefix=name)

    def close(self) -> None:
        """The threads end once the requests they run have (the server has stopped taking new ones)."""
        self.threads.shutdown()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        loop = asyncio.get_running_loop()
        first: list[Message] = [await receive()]  # the whole body, for nearly every request

        async def body() -> Message:  # on the worker's loop
            if first:
                return first.pop()
            return await asyncio.wrap_future(asyncio.run_coroutine_threadsafe(_received(receive), loop))

        answer: asyncio.Queue[Message | None] = asyncio.Queue()

        def emit(message: Message) -> None:  # on the worker's thread
            loop.call_soon_threadsafe(answer.put_nowait, message)

        worker: list[tuple[asyncio.AbstractEventLoop, asyncio.Task]] = []

        def running(worker_loop: asyncio.AbstractEventLoop, task: asyncio.Task) -> None:  # on the worker's thread
            worker.append((worker_loop, task))

        scope = {**scope, IN_PROCESS: True}
        work = loop.run_in_executor(self.threads, self.caller.relay, self.app, scope, body, emit, running)
        # Queued after every message the worker emitted: call_soon_threadsafe keeps their order.
        work.add_done_callback(lambda _done: answer.put_nowait(None))
        try:
            while (message := await answer.get()) is not None:
                await send(message)
        except asyncio.CancelledError:
            # The server is stopping: the request stops too, as it would on this loop (a `timeout` fault's 30 s
            # hold would otherwise keep the process from exiting).
            work.cancel()  # not started yet: it never will be
            for worker_loop, task in worker:
                worker_loop.call_soon_threadsafe(task.cancel)
            raise
        await work  # relay answers the app's own exceptions; anything else is the server's to report


async def _received(receive: Receive) -> Message:
    return await receive()  # a coroutine of the server's receive, which run_coroutine_threadsafe needs
