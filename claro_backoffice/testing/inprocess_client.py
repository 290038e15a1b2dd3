"""An httpx client on an app through the in-process transport: what starlette's TestClient offers the tests
(httpx's API, the app's exceptions raised), without its portal thread."""

from __future__ import annotations

from typing import Any

import httpx
from starlette.types import ASGIApp

from claro_backoffice.transport.inprocess import InProcessCaller


class InProcessHttpx(httpx.BaseTransport):
    def __init__(self, app: ASGIApp, caller: InProcessCaller) -> None:
        self.app, self.caller = app, caller

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        url = request.url
        answer = self.caller.call(
            self.app,
            request.method,
            url.raw_path.split(b"?", 1)[0].decode("latin-1"),
            query=url.query.decode("latin-1"),
            headers=request.headers.raw,
            body=request.read(),
            server=(url.host, url.port or 80),
        )
        return httpx.Response(answer.status, headers=answer.headers, content=answer.body, request=request)


def in_process_client(app: ASGIApp, caller: InProcessCaller | None = None, **kw: Any) -> httpx.Client:
    """As `app.test_client()`: base URL http://testserver, redirects followed, the app's errors raised; `kw`:
    httpx.Client's own keywords (headers=, timeout=...)."""
    caller = caller or InProcessCaller(raise_errors=True)
    caller.warm(app)
    return httpx.Client(
        transport=InProcessHttpx(app, caller), base_url="http://testserver", follow_redirects=True, **kw
    )
