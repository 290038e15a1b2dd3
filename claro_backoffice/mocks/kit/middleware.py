"""The kit's ASGI layer, placed right after connexion's routing (so unknown paths and methods keep connexion's
404/405) and around validation and the views: checks the sandbox, applies fault rules, and writes the journal,
connexion's own 400s included.

In-process transports (the test fixture, `make run`'s gateway) send `X-Kit-Fault-Signal: 1`: a `timeout` or
`drop` fault then answers at once with status 599 and `X-Kit-Fault: timeout|drop` instead of holding or cutting a
socket, and the transport raises the matching `requests` exception; a `malformed` answer carries
`X-Kit-Fault: malformed`, so a consumer-side spec check knows it was made so on purpose.

No SQLite on the event loop (issue 13): the sandbox check, the fault draw and the journal write run on the kit's
own threads, so a sandbox whose file is locked holds up only its own requests. An in-process request runs on its
caller's own loop in the caller's thread (`transport.scope`), where they run directly. The journal entry is
written before the last part of the response is passed on: a client that has its answer finds it journalled.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import time
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from typing import Any, TypedDict, TypeVar

import anyio
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from claro_backoffice.core.allow import route_path
from claro_backoffice.core.problems import problem_body
from claro_backoffice.core.responses import send_problem
from claro_backoffice.mocks.kit import faults, journal
from claro_backoffice.mocks.kit.admin_auth import authorised
from claro_backoffice.mocks.kit.clock import VirtualClock
from claro_backoffice.mocks.kit.context import MockRuntime
from claro_backoffice.mocks.kit.store import DEFAULT_SANDBOX, SANDBOX_NAME, UnknownSandbox
from claro_backoffice.transport.asgi_body import read_body
from claro_backoffice.transport.scope import in_process

ADMIN_PREFIX = "/__admin"
_DOC_PATHS = ("/openapi.json", "/openapi.yaml", "/ui", "/swagger.json")
_MALFORMED = b'{"result": [1, 2, {"unterminated": '
_SQLITE_THREADS = 8  # per mock: as many requests as this may wait on locked sandboxes before others wait too
T = TypeVar("T")


class _Captured(TypedDict):
    """What the journal keeps of a response: its status, its body as it went, the fault that answered."""

    status: int
    body: bytearray
    fault_id: str | None


def _is_docs(path: str) -> bool:
    rest = path[len(ADMIN_PREFIX) :] if path.startswith(ADMIN_PREFIX) else path
    return any(rest == p or rest.startswith(p + "/") for p in _DOC_PATHS)


class KitMiddleware:
    def __init__(self, app: ASGIApp, runtime: MockRuntime) -> None:
        self.app = app
        self.runtime = runtime
        self.sqlite = ThreadPoolExecutor(_SQLITE_THREADS, thread_name_prefix=f"kit-{runtime.system}")

    async def _blocking(self, scope: Scope, fn: Callable[..., T], *args: Any) -> T:
        """fn(*args) off the server's event loop (directly on an in-process caller's own)."""
        if in_process(scope):
            return fn(*args)
        return await asyncio.get_running_loop().run_in_executor(self.sqlite, fn, *args)

    async def _problem(
        self, send: Send, status: int, detail: str, kind: str, headers: Iterable[tuple[bytes, bytes]] = ()
    ) -> None:
        await send_problem(send, status, problem_body(status, detail, kind, system=self.runtime.system), headers)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        path = route_path(scope)
        if _is_docs(path) or "connexion_routing" not in scope.get("extensions", {}):
            return await self.app(scope, receive, send)
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope["headers"]}
        if path.startswith(ADMIN_PREFIX) and not authorised(
            self.runtime.settings.admin_token, headers.get("authorization")
        ):
            return await self._problem(
                send,
                401,
                "the control API needs 'Authorization: Bearer <MOCK_ADMIN_TOKEN>' (the token is missing or wrong)",
                "unauthorized",
                headers=[(b"www-authenticate", b'Bearer realm="__admin"')],
            )
        sandbox = headers.get("x-sandbox") or DEFAULT_SANDBOX
        if not SANDBOX_NAME.match(sandbox):
            return await self._problem(
                send,
                400,
                f"X-Sandbox '{sandbox[:60]}' is not a valid sandbox name: use 1 to 40 characters of a-z, 0-9 and '-'",
                "invalid-sandbox",
            )
        registry_call = path.rstrip("/") == ADMIN_PREFIX + "/sandboxes" or path.startswith(ADMIN_PREFIX + "/sandboxes/")
        started = time.perf_counter()
        if registry_call:
            return await self.app(scope, receive, send)
        # One hand-off for both: whether the sandbox exists, and (for a business request) which faults fire.
        admin = path.startswith(ADMIN_PREFIX)
        fired = await self._blocking(scope, self._arrive, sandbox, None if admin else (scope["method"], path))
        if fired is None:
            return await self._problem(
                send,
                404,
                f"sandbox '{sandbox}' does not exist in {self.runtime.system}; create it with "
                f'POST {scope.get("root_path", "")}{ADMIN_PREFIX}/sandboxes {{"name": "{sandbox}"}}',
                "unknown-sandbox",
            )
        if admin:
            return await self.app(scope, receive, send)
        await self._business(scope, receive, send, path, headers, sandbox, fired, started)

    def _arrive(self, sandbox: str, request: tuple[str, str] | None) -> list[dict[str, Any]] | None:
        """None: no such sandbox; else the fault rules that fire for request (method, path), none for None."""
        if request is None:
            return [] if self.runtime.store.exists(sandbox) else None
        try:
            db = self.runtime.store.open(sandbox)  # which checks that the sandbox exists: one registry read, not two
        except UnknownSandbox:
            return None
        try:
            return faults.draw(db, *request)
        finally:
            db.close()

    async def _business(
        self,
        scope: Scope,
        receive: Receive,
        send: Send,
        path: str,
        headers: dict[str, str],
        sandbox: str,
        fired: list[dict[str, Any]],
        started: float,
    ) -> None:
        body = await read_body(receive)
        replayed = False

        async def replay() -> Message:
            nonlocal replayed
            if not replayed:
                replayed = True
                return {"type": "http.request", "body": body, "more_body": False}
            return await receive()

        method = scope["method"]
        captured: _Captured = {"status": 0, "body": bytearray(), "fault_id": None}
        held: list[Message] = []
        recorded = False

        async def record() -> None:
            nonlocal recorded
            recorded = True
            entry = self._entry(scope, method, path, body, headers, captured, started)
            await self._blocking(scope, self._record, sandbox, entry)

        async def capture(message: Message) -> None:
            # Held until the journal has the request: then passed on, the last part of the response last.
            if message["type"] == "http.response.start":
                captured["status"] = message["status"]
            elif message["type"] == "http.response.body":
                captured["body"] += message.get("body", b"")
            held.append(message)
            if message["type"] == "http.response.body" and not message.get("more_body"):
                await record()
                await flush()

        async def flush() -> None:
            while held:
                await send(held.pop(0))

        terminal: dict[str, Any] | None = None
        for rule in fired:
            if rule["delay"]:
                await anyio.sleep(rule["delay"] / 1000)
            captured["fault_id"] = rule["id"]
            if rule["kind"] != "delay":
                terminal = rule
        if terminal is None:
            try:
                await self.app(scope, replay, capture)
            except Exception as exc:  # validation problems are rendered further out: journal them anyway
                if not recorded:
                    captured["status"] = getattr(exc, "status_code", 500)
                    captured["body"] += str(getattr(exc, "detail", exc)).encode()
                    held.clear()  # what is rendered further out replaces it
                    await record()
                raise
        else:
            await self._fault(terminal, capture, headers.get("x-kit-fault-signal") == "1")
        if not recorded:  # a response cut short (a `drop` fault): journalled as far as it went
            await record()
        await flush()

    @staticmethod
    def _entry(
        scope: Scope,
        method: str,
        path: str,
        body: bytes,
        headers: dict[str, str],
        captured: _Captured,
        started: float,
    ) -> dict[str, Any]:
        return {
            "at": dt.datetime.now(dt.UTC).isoformat(timespec="milliseconds"),
            "virtual_at": None,
            "method": method,
            "path": path,
            "query": scope.get("query_string", b"").decode("latin-1"),
            "request_body": body,
            "status": captured["status"],
            "response_body": bytes(captured["body"]),
            "duration_ms": round((time.perf_counter() - started) * 1000, 3),
            "request_id": headers.get("x-request-id"),
            "case_id": headers.get("x-case-id"),
            "fault_id": captured["fault_id"],
        }

    def _record(self, sandbox: str, entry: dict[str, Any]) -> None:
        try:
            db = self.runtime.store.open(sandbox, checked=True)
        except UnknownSandbox:
            return  # deleted while this request ran: its journal went with it
        try:
            entry["virtual_at"] = VirtualClock(db).now().isoformat()
            journal.record(db, entry, self.runtime.settings.journal_limit)
        finally:
            db.close()

    async def _fault(self, rule: dict[str, Any], send: Send, signal: bool) -> None:
        system, kind = self.runtime.system, rule["kind"]
        detail = f"fault {rule['id']} set through the control API: {system} "
        if kind == "error":
            return await self._problem(send, rule["status"], detail + f"answers {rule['status']}", "injected-fault")
        if kind == "malformed":
            await send(
                {
                    "type": "http.response.start",
                    "status": 200,
                    "headers": [(b"content-type", b"application/json")]
                    + ([(b"x-kit-fault", b"malformed")] if signal else []),
                }
            )
            return await send({"type": "http.response.body", "body": _MALFORMED})
        if signal:
            return await self._problem(
                send, 599, detail + f"simulates a {kind}", "injected-fault", headers=[(b"x-kit-fault", kind.encode())]
            )
        if kind == "timeout":
            await anyio.sleep(self.runtime.settings.timeout_fault_seconds)
            return await self._problem(send, 504, detail + "held the request (timeout)", "injected-fault")
        # drop: promise a body, send part of it, and end: the client sees the connection cut mid-response.
        await send(
            {
                "type": "http.response.start",
                "status": 200,
                "headers": [(b"content-type", b"application/json"), (b"content-length", b"4096")],
            }
        )
        await send({"type": "http.response.body", "body": b'{"partial": ', "more_body": True})
