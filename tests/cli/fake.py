"""A stand-in HTTP server on a loopback port of its own, for what the real one won't do on demand (stay unhealthy,
break its own contract, be some other server): `answer(method, path, headers, body) -> (status, payload)`, the
payload JSON, or a str sent as HTML; every request recorded."""

from __future__ import annotations

import contextlib
import dataclasses
import json
import threading
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

Answer = Callable[[str, str, dict, object], tuple[int, object]]


@dataclasses.dataclass
class Asked:
    method: str
    path: str
    headers: dict
    body: object


@dataclasses.dataclass
class Fake:
    url: str
    asked: list[Asked]


@contextlib.contextmanager
def fake_server(answer: Answer) -> Iterator[Fake]:
    asked: list[Asked] = []

    class Handler(BaseHTTPRequestHandler):
        def _handle(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            raw = self.rfile.read(length) if length else b""
            body = json.loads(raw) if raw else None
            request = Asked(self.command, self.path, dict(self.headers), body)
            asked.append(request)
            status, payload = answer(request.method, request.path, request.headers, request.body)
            text = isinstance(payload, str)  # a str goes as it is, as HTML: some other server
            data = payload.encode() if text else json.dumps(payload).encode()
            self.send_response(status)
            self.send_header("Content-Type", "text/html" if text else "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        do_GET = do_POST = do_DELETE = do_PUT = do_PATCH = _handle

        def log_message(self, *args) -> None:  # quiet
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield Fake(f"http://127.0.0.1:{server.server_address[1]}", asked)
    finally:
        server.shutdown()
        server.server_close()
        thread.join()
