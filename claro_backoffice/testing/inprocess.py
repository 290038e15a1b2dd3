"""The whole back office in-process, for tests of the gateway (or of anything that calls the systems with
`requests`): every system's base URL is served by its mock app through `responses`, with no socket.

- Faults set through a mock's control API act in-process too: the fixture sends `X-Kit-Fault-Signal: 1`, so a
  `timeout` fault raises `requests.ReadTimeout` and a `drop` fault `requests.ConnectionError` at once instead of
  holding or cutting a socket. `refuse("rr")` makes a system refuse connections (what a stopped server does).
- Consumer-side contract check: every request an adapter sends must be an operation of that system's spec
  (openapi/mocks/<system>.yaml, or admin.yaml under /__admin) with a body that fits it, and every response must
  be a documented status whose JSON fits its schema. Violations are collected in `violations` (the plugin's
  `backoffice_inprocess` fixture fails the test on any); an answer produced by an injected fault is not a violation.
- `calls` records what was sent; `max_in_flight` how many calls overlapped at most; `meet(n)` makes the next n
  calls wait for each other, so concurrent calls always overlap and serial ones never can (concurrency checked
  without timing).

In pytest, the plugin (plugin.py) gives it as the `backoffice_inprocess` fixture; outside pytest,
`with InProcessBackoffice(build_apps(tmp_dir)) as office:` around any code.
"""

from __future__ import annotations

import dataclasses
import re
import threading
from collections.abc import Callable
from http.client import RemoteDisconnected
from typing import Self
from urllib.parse import SplitResult, parse_qsl, urlsplit

import httpx
import requests
import responses
from starlette.types import ASGIApp
from urllib3 import HTTPConnectionPool
from urllib3.connection import HTTPConnection
from urllib3.exceptions import MaxRetryError, NewConnectionError, ProtocolError

from claro_backoffice.gateway.settings import GatewaySettings
from claro_backoffice.testing.inprocess_client import in_process_client
from claro_backoffice.testing.mocks import TEST_GATEWAY_URL
from claro_backoffice.testing.spec_check import METHODS, SpecCheck
from claro_backoffice.transport.inprocess import FAULT_SIGNAL, Answer, InProcessCaller

_DROP = {"content-encoding", "content-length", "transfer-encoding"}


@dataclasses.dataclass
class Call:
    system: str
    method: str
    path: str
    status: int | str  # a status, or 'timeout' / 'drop' / 'refused'
    headers: dict[str, str]


# What a `responses` callback answers: an exception to raise, or (status, headers, body).
Reply = requests.RequestException | tuple[int, dict[str, str], bytes]


class InProcessBackoffice:
    def __init__(
        self,
        apps: dict[str, ASGIApp],
        base_urls: dict[str, str] | None = None,
        validate: bool = True,
        checks: dict[str, SpecCheck] | None = None,
    ) -> None:
        """apps: system -> mock app; base_urls: system -> URL (the gateway's defaults); checks: reused SpecChecks."""
        self.apps = apps
        self.base_urls = {
            s: u.rstrip("/") for s, u in (base_urls or GatewaySettings().backoffice_urls).items() if s in apps
        }
        self.validate = validate
        self.checks = (checks or {s: SpecCheck(s) for s in self.apps}) if validate else {}
        self.clients: dict[str, httpx.Client] = {}
        self.calls: list[Call] = []
        self.violations: list[str] = []
        self.refused: set[str] = set()
        self._gateway_routes: list[responses.BaseResponse] = []
        self.in_flight = self.max_in_flight = 0
        self._meeting: threading.Barrier | None = None
        self._meeting_seats = 0
        self._lock = threading.Lock()
        self._mock = responses.RequestsMock(assert_all_requests_are_fired=False)
        self._caller = InProcessCaller(raise_errors=True)

    def __enter__(self) -> Self:
        for system, app in self.apps.items():
            self.clients[system] = in_process_client(app, self._caller)
            pattern = re.compile(re.escape(self.base_urls[system]) + r"(/.*)?(\?.*)?$")
            for method in METHODS:
                self._mock.add_callback(method, pattern, callback=self._forwarder(system), content_type=None)
        self._mock.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._mock.stop()
        self._mock.reset()
        for client in self.clients.values():
            client.close()
        self.clients = {}

    def attach_gateway(self, client: httpx.Client, base_url: str = TEST_GATEWAY_URL) -> None:
        """Calls to the gateway's URL (Meta's webhooks) go to this in-process client of the gateway app."""
        prefix = urlsplit(base_url).path.rstrip("/")

        def forward(request: requests.PreparedRequest) -> Reply:
            method, parts, headers, body = _unpacked(request)
            answer = client.request(
                method,
                parts.path[len(prefix) :] + (f"?{parts.query}" if parts.query else ""),
                content=body,
                headers=headers,
            )
            self._record("gateway", method, parts.path[len(prefix) :], answer.status_code, headers)
            return (
                answer.status_code,
                {k: v for k, v in answer.headers.items() if k.lower() not in _DROP},
                answer.content,
            )

        pattern = re.compile(re.escape(base_url.rstrip("/")) + r"(/.*)?(\?.*)?$")
        self._gateway_routes = [
            self._mock.add_callback(m, pattern, callback=forward, content_type=None) for m in METHODS
        ]

    def detach_gateway(self) -> None:
        for route in getattr(self, "_gateway_routes", []):
            self._mock.remove(route)
        self._gateway_routes = []

    def client(self, system: str) -> httpx.Client:
        """An in-process client (httpx API) on the system's mock (its control API too), bypassing `responses`."""
        return self.clients[system]

    def refuse(self, *systems: str) -> None:
        """From now on these systems refuse connections, as a stopped server does."""
        self.refused |= set(systems)

    def accept(self, *systems: str) -> None:
        """These systems (all when none named) accept connections again."""
        self.refused -= set(systems or self.refused)

    def meet(self, parties: int = 2, timeout: float = 30.0) -> None:
        """The next `parties` calls wait for each other inside the call (at most `timeout` s): made concurrently they
        are all in flight at once; made one after another, the first gives up waiting and `max_in_flight` stays 1."""
        with self._lock:
            self._meeting, self._meeting_seats = threading.Barrier(parties, timeout=timeout), parties

    def reset(self, sandbox: str = "default") -> None:
        """Faults cleared and the sandbox restored in every system; records cleared."""
        for client in self.clients.values():
            client.delete("/__admin/faults", headers={"X-Sandbox": sandbox})
            client.post("/__admin/reset", headers={"X-Sandbox": sandbox})
        self.calls, self.violations, self.refused = [], [], set()
        self.in_flight = self.max_in_flight = 0

    def _forwarder(self, system: str) -> Callable[[requests.PreparedRequest], Reply]:
        def forward(request: requests.PreparedRequest) -> Reply:
            method, parts, headers, body = _unpacked(request)
            path = parts.path[len(urlsplit(self.base_urls[system]).path) :] or "/"
            if system in self.refused:
                self._record(system, method, path, "refused", headers)
                return _refused(parts, request)
            if self.validate:
                self._violate(
                    self.checks[system].request_errors(
                        method, path, parse_qsl(parts.query), body, headers.get("Content-Type")
                    )
                )
            with self._lock:
                self.in_flight += 1
                self.max_in_flight = max(self.max_in_flight, self.in_flight)
                meeting = self._meeting if self._meeting_seats > 0 else None
                self._meeting_seats -= meeting is not None
            if meeting is not None:
                try:
                    meeting.wait()
                except threading.BrokenBarrierError:  # nobody came in time: the calls were not concurrent
                    pass
            try:  # straight to the app (no httpx request and response objects: they were ~8% of a case flow)
                answer = self._caller.call(
                    self.apps[system],
                    method,
                    path,
                    query=parts.query,
                    headers=[*headers.items(), FAULT_SIGNAL],
                    body=body or b"",
                )
            finally:
                with self._lock:
                    self.in_flight -= 1
            fault = answer.header("x-kit-fault") if answer.status == 599 else None
            self._record(system, method, path, fault or answer.status, headers)
            if fault == "timeout":
                return requests.ReadTimeout(f"{system}: read timed out (injected fault)", request=request)
            if fault:
                cut = ProtocolError("Connection aborted.", RemoteDisconnected("Remote end closed connection"))
                return requests.ConnectionError(cut, request=request)
            if self.validate:
                self._check_response(system, method, path, answer)
            return (
                answer.status,
                {
                    k.decode("latin-1"): v.decode("latin-1")
                    for k, v in answer.headers
                    if k.decode("latin-1") not in _DROP
                },
                answer.body,
            )

        return forward

    def _record(self, system: str, method: str, path: str, status: int | str, headers: dict[str, str]) -> None:
        with self._lock:
            self.calls.append(Call(system, method, path, status, headers))

    def _violate(self, errors: list[str]) -> None:
        if errors:
            with self._lock:
                self.violations.extend(errors)

    def _check_response(self, system: str, method: str, path: str, answer: Answer) -> None:
        errors = self.checks[system].response_errors(
            method, path, answer.status, answer.header("content-type"), answer.body
        )
        if errors and not self._injected(answer):
            self._violate(errors)

    @staticmethod
    def _injected(answer: Answer) -> bool:
        """Made by a fault rule on purpose: a `malformed` answer says so in `X-Kit-Fault` (the fixture sends the
        kit's fault signal), an `error` answer in its problem type."""
        return bool(answer.header("x-kit-fault")) or (
            answer.body.startswith(b"{") and b"/injected-fault" in answer.body[:200]
        )

    def calls_to(self, system: str, method: str | None = None) -> list[Call]:
        return [c for c in self.calls if c.system == system and (method is None or c.method == method)]


def _unpacked(request: requests.PreparedRequest) -> tuple[str, SplitResult, dict[str, str], bytes | None]:
    """A request `responses` intercepted: its method, URL parts, headers (but Host and Content-Length) and body."""
    # requests prepares both before sending; only a PreparedRequest built by hand lacks them.
    assert request.method is not None and request.url is not None, "a request with no method or URL"
    headers = {k: v for k, v in request.headers.items() if k.lower() not in ("host", "content-length")}
    body = request.body.encode() if isinstance(request.body, str) else request.body
    return request.method, urlsplit(request.url), headers, body


def _refused(parts: SplitResult, request: requests.PreparedRequest) -> requests.ConnectionError:
    """What requests raises for a server that refuses the connection, down to urllib3's pool and connection."""
    host, port = parts.hostname or "localhost", parts.port or (443 if parts.scheme == "https" else 80)
    reason = NewConnectionError(
        HTTPConnection(host, port), "Failed to establish a new connection: [Errno 111] Connection refused"
    )
    return requests.ConnectionError(
        MaxRetryError(HTTPConnectionPool(host, port), request.path_url, reason), request=request
    )
