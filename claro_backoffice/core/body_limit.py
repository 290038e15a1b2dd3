"""A request body is at most `max_bytes` (MAX_BODY_BYTES), however it comes: with a Content-Length, chunked, or
through the in-process transport. Placed outermost, so nothing further in (journal, validation, views) ever holds
more; the body it read is handed on whole, as the one message every reader here expects, with its length."""

from __future__ import annotations

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from claro_backoffice.core.responses import Render, send_problem


class BodyLimitMiddleware:
    def __init__(self, app: ASGIApp, max_bytes: int, render: Render) -> None:
        self.app, self.max_bytes, self.render = app, max_bytes, render

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        declared = next((v for k, v in scope.get("headers", ()) if k.lower() == b"content-length"), None)
        if declared is not None and declared.strip().isdigit() and int(declared) > self.max_bytes:
            return await self._too_large(send)
        body = bytearray()
        message: Message = {"more_body": True}
        while message.get("more_body"):
            message = await receive()
            if message["type"] != "http.request":
                break  # the client went: pass on what came, as a reader would see it
            body += message.get("body", b"")
            if len(body) > self.max_bytes:
                return await self._too_large(send)
        if declared is None and body:
            # Chunked: say how long it turned out to be (connexion's validators take a body with no Content-Length
            # for no body at all).
            kept = [(k, v) for k, v in scope["headers"] if k.lower() not in (b"transfer-encoding", b"content-length")]
            scope = dict(scope, headers=[*kept, (b"content-length", str(len(body)).encode())])
        replayed = False

        async def replay() -> Message:
            nonlocal replayed
            if replayed:
                return await receive()
            replayed = True
            return {"type": "http.request", "body": bytes(body), "more_body": False}

        return await self.app(scope, replay, send)

    async def _too_large(self, send: Send) -> None:
        body = self.render(
            413, f"the request body is larger than {self.max_bytes} bytes (MAX_BODY_BYTES)", "body-too-large"
        )
        await send_problem(send, 413, body, [(b"connection", b"close")])  # the rest of the body is not read
