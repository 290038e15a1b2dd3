"""An httpx client on an app through the in-process transport: what starlette's TestClient offers the tests
(httpx's API, the app's exceptions raised), without its portal thread."""

from __future__ import annotations

import httpx

from claro_backoffice.transport.inprocess import InProcessCaller


class InProcessHttpx(httpx.BaseTransport):
    def __init__(self, app, caller: InProcessCaller):
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


def in_process_client(app, caller: InProcessCaller | None = None, **kw) -> httpx.Client:
    """As `app.test_client()`: base URL http://testserver, redirects followed, the app's errors raised."""
    caller = caller or InProcessCaller(raise_errors=True)
    caller.warm(app)
    return httpx.Client(
        transport=InProcessHttpx(app, caller), base_url="http://testserver", follow_redirects=True, **kw
    )
