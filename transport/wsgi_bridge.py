"""The bridge from connexion's ASGI middleware to the Flask app behind it, replacing a2wsgi's.

a2wsgi streams: every ASGI message of a response (start, each body chunk, the end) crosses from its worker thread
back to the event loop through `run_coroutine_threadsafe` and a wait on the other thread, and the request body
crosses the other way the same. Every answer here is a small JSON document, so this bridge reads the request
body on the loop, runs the WSGI app once in the pool and collects the whole response there, then sends it: one
hand-off each way (issue 7's profile: threading and a2wsgi were ~10% of a mock's request).

A request the in-process transport makes (`transport.inprocess`) already runs in a thread of its own that may
block: the WSGI app then runs right there, with no hand-off at all. An app may also say which socket requests
run inline, on the event loop itself (`inline(scope)`): worth it only for views that are short and never wait on
this same server (the mocks' business views: a few SQLite statements, ~1.5× the requests per second of
the hand-off; issue 7), as a view running there holds every other request of the process meanwhile.
"""
from __future__ import annotations

import asyncio
import contextvars
import io

from a2wsgi.wsgi import build_environ

from transport.asgi_body import read_body

IN_PROCESS = "transport.in_process"  # scope key the in-process transport sets


class BufferedWSGI:
    def __init__(self, app, executor, other=None, inline=None):
        """app: the WSGI callable; executor: the worker threads; other: the ASGI app for non-HTTP scopes;
        inline(scope) -> bool: run this socket request on the event loop."""
        self.app = app  # connexion's add_wsgi_middleware wraps this attribute
        self.executor = executor
        self.other = other
        self.inline = inline

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.other(scope, receive, send)
        environ = build_environ(scope, io.BytesIO(await read_body(receive)))
        environ["wsgi.input_terminated"] = True  # the whole body is there: werkzeug may read it without a length
        if scope.get(IN_PROCESS) or (self.inline is not None and self.inline(scope)):
            status, headers, content = self._run(environ)
        else:
            run = contextvars.copy_context().run  # connexion's request context, as a2wsgi carries it
            status, headers, content = await asyncio.get_running_loop().run_in_executor(
                self.executor, run, self._run, environ)
        await send({"type": "http.response.start", "status": status, "headers": headers})
        await send({"type": "http.response.body", "body": content})

    def _run(self, environ):
        started = {}

        def start_response(status, response_headers, exc_info=None):
            if exc_info is not None and started:
                raise exc_info[1].with_traceback(exc_info[2])
            started["status"] = int(status.split(" ", 1)[0])
            started["headers"] = [(name.strip().lower().encode("latin-1"), value.strip().encode("latin-1"))
                                  for name, value in response_headers]
            return lambda chunk: chunks.append(chunk)

        chunks = []
        iterable = self.app(environ, start_response)
        try:
            chunks.extend(iterable)
        finally:
            if hasattr(iterable, "close"):
                iterable.close()
        return started["status"], started["headers"], b"".join(chunks)


def install(app, inline=None) -> None:
    """Put the bridge in a connexion FlaskApp in place of a2wsgi's (same worker threads; a2wsgi kept for the
    lifespan scope). inline: see BufferedWSGI."""
    middleware_app = app._middleware_app  # connexion 3.3: FlaskASGIApp.asgi_app is the a2wsgi WSGIMiddleware
    a2wsgi = middleware_app.asgi_app
    middleware_app.asgi_app = BufferedWSGI(a2wsgi.app, a2wsgi.executor, other=a2wsgi, inline=inline)
