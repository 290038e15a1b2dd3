"""The whole back office in-process, for tests of the gateway (or of anything that calls the systems with
`requests`): every system's base URL is served by its mock app through `responses`, with no socket.

- Faults set through a mock's control API act in-process too: the fixture sends `X-Kit-Fault-Signal: 1`, so a
  `timeout` fault raises `requests.ReadTimeout` and a `drop` fault `requests.ConnectionError` at once instead of
  holding or cutting a socket. `refuse("rr")` makes a system refuse connections (what a stopped server does).
- Consumer-side contract check: every request an adapter sends must be an operation of that system's spec
  (openapi/mocks/<system>.yaml, or admin.yaml under /__admin) with a body that fits it, and every response must
  be a documented status whose JSON fits its schema. Violations are collected in `violations` (the `backoffice`
  fixture fails the test on any); an answer produced by an injected fault is not a violation.
- `calls` records what was sent; `max_in_flight` how many calls overlapped at most; `meet(n)` makes the next n
  calls wait for each other, so concurrent calls always overlap and serial ones never can (concurrency checked
  without timing).

Use it in your own tests: `from tests.support.backoffice import backoffice, backoffice_apps, backoffice_checks,
gateway_app, gateway_client` in a conftest.py, or `with InProcessBackoffice(build_apps(tmp_dir)) as office:`
around any code.
"""

from __future__ import annotations

import dataclasses
import json
import re
import threading
from http.client import RemoteDisconnected
from urllib.parse import parse_qsl, urlsplit

import pytest
import requests
import responses
from connexion.json_schema import Draft4RequestValidator, Draft4ResponseValidator, resolve_refs
from urllib3.exceptions import MaxRetryError, NewConnectionError, ProtocolError

from claro_backoffice.core.systems import SYSTEMS
from claro_backoffice.core.yamlload import safe_load
from claro_backoffice.gateway.settings import GatewaySettings
from claro_backoffice.mocks.kit.paths import mock_specs_dir
from claro_backoffice.mocks.kit.worlds import WorldCache
from claro_backoffice.transport.inprocess import FAULT_SIGNAL, InProcessCaller
from tests.support.inprocess_client import in_process_client
from tests.support.mocks import TEST_GATEWAY_URL, create_mock

METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS")
_DROP = {"content-encoding", "content-length", "transfer-encoding"}


class SpecCheck:
    """One system's contract (business spec + control API) as a consumer sees it."""

    def __init__(self, system: str):
        self.system = system
        self.operations = []  # (method, compiled path regex, operation)
        for name, prefix in ((f"{system}.yaml", ""), ("admin.yaml", "/__admin")):
            spec = resolve_refs(safe_load((mock_specs_dir() / name).read_text(encoding="utf-8")))
            for template, item in spec["paths"].items():
                pattern = re.sub(r"\\{[^}]+\\}", "[^/]+", re.escape(prefix + template))
                for method, operation in item.items():
                    if method.upper() in METHODS:
                        params = item.get("parameters", []) + operation.get("parameters", [])
                        self.operations.append(
                            (method.upper(), re.compile(f"^{pattern}$"), dict(operation, parameters=params))
                        )

    def find(self, method: str, path: str):
        return next((op for m, rx, op in self.operations if m == method and rx.match(path)), None)

    def request_errors(self, method, path, query, body, content_type) -> list[str]:
        operation = self.find(method, path)
        if operation is None:
            return [f"{method} {path} is not an operation of {self.system}'s spec"]
        errors = []
        declared = {p["name"]: p for p in operation["parameters"] if p["in"] == "query"}
        for name, value in query:
            if name not in declared:
                errors.append(f"query parameter '{name}' is not in the spec")
            else:
                errors += _errors(Draft4RequestValidator, declared[name]["schema"], _typed(value, declared[name]))
        errors += [
            f"required query parameter '{n}' is missing"
            for n, p in declared.items()
            if p.get("required") and n not in dict(query)
        ]
        schema = operation.get("requestBody", {}).get("content", {}).get("application/json", {}).get("schema")
        if schema is not None:
            if "json" not in (content_type or ""):
                errors.append(f"the body is sent as {content_type!r}, not JSON")
            else:
                errors += _errors(Draft4RequestValidator, schema, json.loads(body or b"null"))
        return [f"{self.system} request {method} {path}: {e}" for e in errors]

    def response_errors(self, method, path, status, content_type, content) -> list[str]:
        operation = self.find(method, path)
        if operation is None:
            return []
        documented = operation.get("responses", {})
        response = documented.get(str(status)) or documented.get("default")
        if response is None:
            return [f"{self.system} {method} {path} answered {status}, not documented"]
        if not response.get("content"):
            return [] if not content else [f"{self.system} {method} {path} answered {status} with an undocumented body"]
        media = (content_type or "").split(";")[0].strip()
        schema = response["content"].get(media, {}).get("schema") if media else None
        if media not in response["content"]:
            return [f"{self.system} {method} {path} answered {status} as {media!r}, not documented"]
        try:
            body = json.loads(content)
        except ValueError:
            return [f"{self.system} {method} {path} answered {status} with a body that is not JSON"]
        return [
            f"{self.system} response {method} {path} {status}: {e}"
            for e in (_errors(Draft4ResponseValidator, schema, body) if schema else [])
        ]


def _typed(value: str, parameter: dict):
    kind = parameter.get("schema", {}).get("type")
    if kind == "boolean" and value in ("true", "false"):
        return value == "true"
    try:
        return int(value) if kind == "integer" else float(value) if kind == "number" else value
    except ValueError:
        return value


def _errors(validator_cls, schema, instance) -> list[str]:
    return [
        f"{'/'.join(map(str, e.path)) or '(root)'}: {e.message}" for e in validator_cls(schema).iter_errors(instance)
    ]


@dataclasses.dataclass
class Call:
    system: str
    method: str
    path: str
    status: int | str  # a status, or 'timeout' / 'drop' / 'refused'
    headers: dict


class InProcessBackoffice:
    def __init__(self, apps: dict, base_urls: dict | None = None, validate: bool = True, checks: dict | None = None):
        """apps: system -> mock app; base_urls: system -> URL (the gateway's defaults); checks: reused SpecChecks."""
        self.apps = apps
        self.base_urls = {
            s: u.rstrip("/") for s, u in (base_urls or GatewaySettings().backoffice_urls).items() if s in apps
        }
        self.validate = validate
        self.checks = (checks or {s: SpecCheck(s) for s in self.apps}) if validate else {}
        self.clients, self.calls, self.violations, self.refused = {}, [], [], set()
        self._gateway_routes = []
        self.in_flight = self.max_in_flight = 0
        self._meeting, self._meeting_seats = None, 0
        self._lock = threading.Lock()
        self._mock = responses.RequestsMock(assert_all_requests_are_fired=False)
        self._caller = InProcessCaller(raise_errors=True)

    def __enter__(self):
        for system, app in self.apps.items():
            self.clients[system] = in_process_client(app, self._caller)
            pattern = re.compile(re.escape(self.base_urls[system]) + r"(/.*)?(\?.*)?$")
            for method in METHODS:
                self._mock.add_callback(method, pattern, callback=self._forwarder(system), content_type=None)
        self._mock.start()
        return self

    def __exit__(self, *exc):
        self._mock.stop()
        self._mock.reset()
        for client in self.clients.values():
            client.close()
        self.clients = {}

    def attach_gateway(self, client, base_url: str = TEST_GATEWAY_URL) -> None:
        """Calls to the gateway's URL (Meta's webhooks) go to this in-process client of the gateway app."""
        prefix = urlsplit(base_url).path.rstrip("/")

        def forward(request):
            parts = urlsplit(request.url)
            headers = {k: v for k, v in request.headers.items() if k.lower() not in ("host", "content-length")}
            body = request.body.encode() if isinstance(request.body, str) else request.body
            answer = client.request(
                request.method,
                parts.path[len(prefix) :] + (f"?{parts.query}" if parts.query else ""),
                content=body,
                headers=headers,
            )
            self._record("gateway", request.method, parts.path[len(prefix) :], answer.status_code, headers)
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

    def client(self, system: str):
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

    def _forwarder(self, system: str):
        def forward(request):
            parts = urlsplit(request.url)
            path = parts.path[len(urlsplit(self.base_urls[system]).path) :] or "/"
            headers = {k: v for k, v in request.headers.items() if k.lower() not in ("host", "content-length")}
            if system in self.refused:
                self._record(system, request.method, path, "refused", headers)
                reason = NewConnectionError(
                    None, "Failed to establish a new connection: [Errno 111] Connection refused"
                )
                return requests.ConnectionError(MaxRetryError(None, request.url, reason), request=request)
            body = request.body.encode() if isinstance(request.body, str) else request.body
            if self.validate:
                self._violate(
                    self.checks[system].request_errors(
                        request.method, path, parse_qsl(parts.query), body, headers.get("Content-Type")
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
                    request.method,
                    path,
                    query=parts.query,
                    headers=[*headers.items(), FAULT_SIGNAL],
                    body=body or b"",
                )
            finally:
                with self._lock:
                    self.in_flight -= 1
            fault = answer.header("x-kit-fault") if answer.status == 599 else None
            self._record(system, request.method, path, fault or answer.status, headers)
            if fault == "timeout":
                return requests.ReadTimeout(f"{system}: read timed out (injected fault)", request=request)
            if fault:
                cut = ProtocolError("Connection aborted.", RemoteDisconnected("Remote end closed connection"))
                return requests.ConnectionError(cut, request=request)
            if self.validate:
                self._check_response(system, request.method, path, answer)
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

    def _record(self, system, method, path, status, headers):
        with self._lock:
            self.calls.append(Call(system, method, path, status, headers))

    def _violate(self, errors: list[str]) -> None:
        if errors:
            with self._lock:
                self.violations.extend(errors)

    def _check_response(self, system, method, path, answer):
        errors = self.checks[system].response_errors(
            method, path, answer.status, answer.header("content-type"), answer.body
        )
        if errors and not self._injected(answer):
            self._violate(errors)

    @staticmethod
    def _injected(answer) -> bool:
        """Made by a fault rule on purpose: a `malformed` answer says so in `X-Kit-Fault` (the fixture sends the
        kit's fault signal), an `error` answer in its problem type."""
        return bool(answer.header("x-kit-fault")) or (
            answer.body.startswith(b"{") and b"/injected-fault" in answer.body[:200]
        )

    def calls_to(self, system: str, method: str | None = None) -> list[Call]:
        return [c for c in self.calls if c.system == system and (method is None or c.method == method)]


def build_apps(var_dir, worlds: WorldCache | None = None, systems=SYSTEMS) -> dict:
    """Every mock app, seeded into var_dir (seeded templates are reused across runs of one var_dir)."""
    worlds = worlds or WorldCache()
    return {system: create_mock(system, var_dir, worlds) for system in systems}


# ---- pytest fixtures -------------------------------------------------------------------------------------------
@pytest.fixture(scope="session")
def backoffice_apps(tmp_path_factory):
    return build_apps(tmp_path_factory.mktemp("backoffice"))


@pytest.fixture(scope="session")
def backoffice_checks(backoffice_apps):
    return {system: SpecCheck(system) for system in backoffice_apps}


@pytest.fixture
def backoffice(backoffice_apps, backoffice_checks):
    """The back office in-process for one test; `default` restored everywhere afterwards; fails on violations."""
    with InProcessBackoffice(backoffice_apps, checks=backoffice_checks) as office:
        yield office
        violations = list(office.violations)
        office.reset()
    assert not violations, "contract violations seen by the back office:\n" + "\n".join(violations)


class FakeClock:
    """The breaker's clock in tests: advance() instead of waiting."""

    def __init__(self):
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


@pytest.fixture(scope="session")
def gateway_app(tmp_path_factory):
    """The gateway with response validation on, no backoff waits (sleeps recorded), a fake clock (breakers,
    deadlines) and a fixed backoff jitter (0.5: each pause is 3/4 of base × 2ⁿ)."""
    from claro_backoffice.gateway.app import create_app
    from claro_backoffice.gateway.backoffice.base import BackofficeHttp

    sleeps, clock = [], FakeClock()
    settings = GatewaySettings(validate_responses=True, var_dir=tmp_path_factory.mktemp("gateway"))
    app = create_app(settings, BackofficeHttp(sleep=sleeps.append, clock=clock, jitter=lambda: 0.5))
    app.sleeps, app.clock = sleeps, clock
    return app


class GatewayClient:
    """An in-process client (httpx API) on the gateway; every request carries a token (dev-admin unless `token=`;
    None: no token)."""

    ADMIN = "dev-admin"

    def __init__(self, client, app, office):
        self.client, self.app, self.backoffice = client, app, office
        self.sleeps, self.clock = app.sleeps, app.clock

    @staticmethod
    def auth(token: str | None = ADMIN) -> dict:
        return {"Authorization": f"Bearer {token}"} if token else {}

    def request(self, method, path, *, token: str | None = ADMIN, sandbox: str | None = None, headers=None, **kw):
        merged = self.auth(token) | ({"X-Sandbox": sandbox} if sandbox else {}) | (headers or {})
        return self.client.request(method, path, headers=merged, **kw)

    def get(self, path, **kw):
        return self.request("GET", path, **kw)

    def post(self, path, **kw):
        return self.request("POST", path, **kw)

    def delete(self, path, **kw):
        return self.request("DELETE", path, **kw)


@pytest.fixture
def gateway_client(gateway_app, backoffice):
    """The gateway wired to the in-process back office; circuits, sleeps and the fake clock reset afterwards."""
    with in_process_client(gateway_app) as client:
        backoffice.attach_gateway(client)
        yield GatewayClient(client, gateway_app, backoffice)
        backoffice.detach_gateway()
    gateway_app.runtime.backoffice.reset_breakers()
    gateway_app.runtime.clocks.forget()
    if gateway_app.runtime.crm.exists("default"):
        gateway_app.runtime.crm.reset("default")
    gateway_app.sleeps.clear()
