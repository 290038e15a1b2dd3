"""In-process requests run their Flask view in the calling thread, not on a connexion worker thread (issue 18).

connexion's FlaskApp hands every view to its a2wsgi pool of 10 threads, and each part of the answer back to the
event loop: for an in-process call that was a thread hand-off and a dozen turns of the loop, and nested calls (Meta's
simulator posting the customer's message to the gateway, whose view sends Meta a reply) waited on each other's
pools: with a class of 100 trainees (`benchmarks.capacity`), Meta's threads all held customer messages whose
webhooks to the gateway waited for Meta's threads, until the webhook's 2 s timeout (89 errors in one step, the
machine half idle; none since).

`InProcessViews` sits innermost in connexion's stack (after its ContextMiddleware, so the view sees connexion's
context as before): a request from the in-process transport (`transport.scope.IN_PROCESS`) runs the Flask app right
there, on the caller's own loop in the caller's thread, which serves nobody else; any other request goes to the
FlaskApp's pool as before. The view can no longer be abandoned at the caller's timeout: it runs to its end and the
transport then reports the timeout (`InProcessCaller`). What bounds a view's time is unchanged: its own downstream
calls' timeouts and the kit's fault delays, which are awaited before the view and still cut short at the deadline.
"""

from __future__ import annotations

import io
import sys
from collections.abc import Callable
from functools import partial
from typing import Any

from connexion.middleware import ConnexionMiddleware
from starlette.types import ASGIApp, Receive, Scope, Send

from claro_backoffice.transport.asgi_body import read_body
from claro_backoffice.transport.scope import in_process

WsgiApp = Callable[[dict[str, Any], Callable[..., Any]], Any]


def middlewares(wsgi: Callable[[], WsgiApp]) -> list:
    """connexion's default middlewares and, innermost, InProcessViews for the Flask app wsgi() returns (connexion
    builds its stack at the first request, when the FlaskApp's Flask app exists)."""
    return [*ConnexionMiddleware.default_middlewares, partial(InProcessViews, wsgi=wsgi)]


def environ_of(scope: Scope, body: bytes) -> dict[str, Any]:
    """The WSGI environ (PEP 3333) of an ASGI request, as connexion's a2wsgi bridge builds it (connexion's own
    request object reads the ASGI scope back from `asgi.scope`)."""
    root = scope.get("root_path", "")
    path = scope["path"]
    server, port = scope.get("server") or ("localhost", 80)
    environ: dict[str, Any] = {
        "asgi.scope": scope,
        "REQUEST_METHOD": scope["method"],
        "SCRIPT_NAME": root.encode("utf8").decode("latin1"),
        "PATH_INFO": (path[len(root) :] if root and path.startswith(root) else path).encode("utf8").decode("latin1"),
        "QUERY_STRING": scope.get("query_string", b"").decode("ascii"),
        "SERVER_PROTOCOL": f"HTTP/{scope.get('http_version', '1.1')}",
        "SERVER_NAME": server,
        "SERVER_PORT": str(port or 0),
        "wsgi.version": (1, 0),
        "wsgi.url_scheme": scope.get("scheme", "http"),
        "wsgi.input": io.BytesIO(body),
        "wsgi.errors": sys.stderr,
        "wsgi.multithread": True,
        "wsgi.multiprocess": True,
        "wsgi.run_once": False,
    }
    client = scope.get("client")
    if client is not None:
        environ["REMOTE_ADDR"], environ["REMOTE_PORT"] = client[0], str(client[1])
    for raw_name, raw_value in scope.get("headers", []):
        name = raw_name.decode("latin1")
        key = {"content-length": "CONTENT_LENGTH", "content-type": "CONTENT_TYPE"}.get(name)
        key = key or "HTTP_" + name.upper().replace("-", "_")
        value = raw_value.decode("latin1")
        environ[key] = environ[key] + "," + value if key in environ else value
    return environ


class InProcessViews:
    def __init__(self, app: ASGIApp, wsgi: Callable[[], WsgiApp]) -> None:
        self.app, self.wsgi = app, wsgi

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not in_process(scope):
            return await self.app(scope, receive, send)
        environ = environ_of(scope, await read_body(receive))
        started: dict[str, Any] = {}
        chunks: list[bytes] = []

        def start_response(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> Callable:
            if exc_info is not None and started:
                raise exc_info[1].with_traceback(exc_info[2])  # PEP 3333: too late to change the status
            started.update(status=int(status.split(" ", 1)[0]), headers=headers, exc_info=exc_info)
            return chunks.append  # the legacy write() callable

        answer = self.wsgi()(environ, start_response)
        try:
            chunks.extend(answer)
        finally:
            close = getattr(answer, "close", None)
            if close is not None:
                close()
        headers = [(k.strip().lower().encode("latin1"), v.strip().encode("latin1")) for k, v in started["headers"]]
        await send({"type": "http.response.start", "status": started["status"], "headers": headers})
        await send({"type": "http.response.body", "body": b"".join(chunks)})
        if started["exc_info"] is not None:
            raise started["exc_info"][1].with_traceback(started["exc_info"][2])
