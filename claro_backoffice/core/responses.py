"""Answering from an ASGI middleware, before connexion's exception handling: a problem+json body the app renders
itself (the mocks add their `system`)."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from starlette.types import Send

Render = Callable[[int, str, str], bytes]  # (status, detail, kind) -> a problem+json body


async def send_problem(send: Send, status: int, body: bytes, headers: Iterable[tuple[bytes, bytes]] = ()) -> None:
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", b"application/problem+json"),
                (b"content-length", str(len(body)).encode()),
                *headers,
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})
