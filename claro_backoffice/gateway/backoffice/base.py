"""What every adapter shares: one `requests.Session`, connect/read timeouts, retries with backoff for idempotent
calls only, a circuit breaker per (system, sandbox), the headers a request forwards, and the mapping of every
downstream failure to one DownstreamError (gateway/errors.py). The control API (`/__admin/`) every mock has is
in control.py, mixed into every adapter.

Failures, all naming the system: a timeout -> 504 `timeout`; a refused connection -> 503 `refused`; an open
circuit -> 503 `circuit-open` (no call made); a 5xx -> 502 `bad-status`; a body that is not JSON -> 502
`malformed`; a connection dropped mid-response -> 502 `dropped`. A 4xx is the system's answer: the adapter
method decides (often a DownstreamError with that status and the system's own detail).

A gateway request has one deadline (`CallContext.deadline`, GATEWAY_DEADLINE after it began, on the injected
clock): each try waits at most the time left, a retry is made only when its backoff ends before the deadline, and
a call made once the deadline has passed is a 504 `timeout` without trying. Backoff has equal jitter (half of
base × 2ⁿ plus a random part of the other half) so that callers failing together don't retry together.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json as jsonlib
import logging
import os
import random
import re
import time
from collections.abc import Callable, Mapping
from typing import Any

import requests
import requests.adapters

from claro_backoffice.gateway.backoffice.breaker import CircuitBreaker
from claro_backoffice.gateway.errors import FAILURE_STATUS, DownstreamError
from claro_backoffice.gateway.logmask import mask_text
from claro_backoffice.gateway.settings import GatewaySettings
from claro_backoffice.transport import wire

log = logging.getLogger("claro_backoffice.gateway.backoffice")
IDEMPOTENT = frozenset({"GET", "HEAD", "OPTIONS", "PUT", "DELETE"})
_PROBLEM_BASE = "/problems/"
KEY_MAX = 200  # the mocks' Idempotency-Key: 1 to 200 printable ASCII characters, no spaces
_KEY_UNSAFE = re.compile(r"[^!-~]")


def write_key(*parts: str) -> str:
    """The Idempotency-Key of one write to a system, from what makes it that write (the case and the step, or the
    gateway request it serves): the same parts on a retry give the same key, so the system answers again what
    it answered the first time instead of writing twice."""
    key = ":".join(_KEY_UNSAFE.sub("_", str(p)) for p in parts)
    if len(key) <= KEY_MAX:
        return key
    return key[: KEY_MAX - 65] + ":" + hashlib.sha256(key.encode()).hexdigest()


@dataclasses.dataclass(frozen=True)
class CallContext:
    """What a gateway request forwards to every system it touches."""

    sandbox: str = "default"
    request_id: str | None = None
    case_id: str | None = None
    deadline: float | None = None  # on the adapters' clock (BackofficeHttp.clock); None: no overall limit

    def headers(self) -> dict:
        headers = {"X-Sandbox": self.sandbox, "Accept": "application/json"}
        if self.request_id:
            headers["X-Request-Id"] = self.request_id
        if self.case_id:
            headers["X-Case-Id"] = self.case_id
        return headers


@dataclasses.dataclass
class BackofficeHttp:
    """The HTTP dependencies create_app may be given: a shared session, the backoff's sleep, the clock of the
    breaker and of request deadlines, the backoff's jitter (a number in [0, 1)), and transport adapters by URL
    prefix that each adapter's own session mounts (the composition root's in-process transport to the mocks it
    serves)."""

    session: requests.Session | None = None
    sleep: Callable[[float], None] = time.sleep
    clock: Callable[[], float] = time.monotonic
    jitter: Callable[[], float] = dataclasses.field(default_factory=lambda: random.Random().random)
    transports: Mapping[str, requests.adapters.BaseAdapter] = dataclasses.field(default_factory=dict)


@dataclasses.dataclass
class Reply:
    status: int
    body: Any


def camel(value: Any) -> Any:
    """snake_case keys -> camelCase, recursively (the mocks speak snake_case, the gateway camelCase)."""
    if isinstance(value, dict):
        return {_camel_key(k): camel(v) for k, v in value.items()}
    if isinstance(value, list):
        return [camel(v) for v in value]
    return value


def _camel_key(key: str) -> str:
    head, *rest = key.split("_")
    return head + "".join(part[:1].upper() + part[1:] for part in rest)


def _is_refused(exc: BaseException) -> bool:
    """A connection that was never made (refused, no route, DNS) as opposed to one cut mid-response."""
    seen: set[int] = set()
    todo: list[BaseException | None] = [exc]
    while todo:
        current = todo.pop()
        if current is None or id(current) in seen:
            continue
        seen.add(id(current))
        name = type(current).__name__
        if name in ("NewConnectionError", "NameResolutionError") or isinstance(current, ConnectionRefusedError):
            return True
        todo.extend([getattr(current, "reason", None), current.__cause__, current.__context__])
        todo.extend(a for a in getattr(current, "args", ()) if isinstance(a, BaseException))
    return False


# observer(ctx, system, method, masked path, outcome) for calls made for a case (the case timeline's record)
Observer = Callable[[CallContext, str, str, str, str], None]


class BaseAdapter:
    system = ""
    observer: Observer | None = None

    def extra_headers(self) -> dict:
        """Headers this system needs beyond the context's (Meta's bearer token)."""
        return {}

    def __init__(self, base_url: str, settings: GatewaySettings, http: BackofficeHttp | None = None):
        http = http or BackofficeHttp()
        self.base_url = base_url.rstrip("/")
        self.timeout = (settings.connect_timeout, settings.read_timeout)
        self.retries = settings.retries
        self.backoff_base = settings.backoff_base
        self.breaker = CircuitBreaker(settings.breaker_threshold, settings.breaker_open_seconds, http.clock)
        self._sleep, self._clock, self._jitter = http.sleep, http.clock, http.jitter
        self._own_session = http.session is None
        self.session = http.session or self._environment_once(requests.Session(), self.base_url)
        if self._own_session:
            for prefix, transport in http.transports.items():
                self.session.mount(prefix, transport)
        self._direct = wire.direct(self.session, self.base_url + "/")  # in-process: called without the session

    @staticmethod
    def _environment_once(session: requests.Session, base_url: str) -> requests.Session:
        """requests reads the environment (proxies, NO_PROXY, CA bundle, .netrc) again on every call: a scan of
        os.environ per call, a visible share of the customer 360 (issue 7). The environment doesn't change while
        the gateway runs: read it once here, for this system's URL, and tell requests not to look again."""
        session.proxies.update(requests.utils.get_environ_proxies(base_url))
        auth = requests.utils.get_netrc_auth(base_url)
        if auth:
            session.auth = auth
        bundle = os.environ.get("REQUESTS_CA_BUNDLE") or os.environ.get("CURL_CA_BUNDLE")
        if bundle:
            session.verify = bundle
        session.trust_env = False
        return session

    def close(self) -> None:
        if self._own_session:
            self.session.close()

    # ---- one call ---------------------------------------------------------------------------------------------
    def call(
        self,
        method: str,
        path: str,
        ctx: CallContext,
        *,
        params: dict | None = None,
        json: Any = None,
        guarded: bool = True,
        key: str | None = None,
        headers: dict | None = None,
    ) -> Reply:
        """Send one request (retried when idempotent); a Reply for any status below 500, else DownstreamError.

        `key`: the write's Idempotency-Key (write_key), sent so that the system never applies it twice.

        `guarded=False` (the control API) bypasses the circuit breaker: faults never act on `/__admin/`, and the
        calls that clear faults or reset a sandbox must go through while a circuit is open."""
        method = method.upper()
        shown = mask_text(path)
        wait = self.breaker.allow(ctx.sandbox) if guarded else None
        if wait is not None:
            raise DownstreamError(
                self.system,
                "circuit-open",
                503,
                f"{self.system} is not called: its circuit for sandbox '{ctx.sandbox}' is open after "
                f"{self.breaker.threshold} consecutive failures (next try in {wait:.1f} s)",
            )
        attempts = 1 + (self.retries if method in IDEMPOTENT else 0)
        for attempt in range(attempts):
            left = self._time_left(ctx)
            if left is not None and left <= 0:
                raise self._failure(
                    "timeout",
                    f"{self.system} was not called ({method} {shown}): the request's "
                    "deadline had passed (GATEWAY_DEADLINE)",
                )
            try:
                reply = self._send(method, path, shown, ctx, params, json, self._timeouts(left), headers, key)
                self._observe(ctx, method, shown, str(reply.status))
            except DownstreamError as error:
                self._observe(ctx, method, shown, error.kind)
                log.warning(
                    "%s %s %s failed (attempt %d of %d): %s",
                    self.system,
                    method,
                    shown,
                    attempt + 1,
                    attempts,
                    error.kind,
                )
                pause = self._backoff(attempt)
                left = self._time_left(ctx)
                if attempt + 1 < attempts and (left is None or pause < left):
                    self._sleep(pause)
                    continue
                if guarded:
                    self.breaker.failure(ctx.sandbox)
                raise
            if guarded:
                self.breaker.success(ctx.sandbox)
            return reply
        raise AssertionError("unreachable")  # pragma: no cover

    def _time_left(self, ctx: CallContext) -> float | None:
        return None if ctx.deadline is None else ctx.deadline - self._clock()

    def _timeouts(self, left: float | None) -> tuple[float, float]:
        """(connect, read) for one try: the configured ones, cut to the time the request has left."""
        connect, read = self.timeout
        return self.timeout if left is None else (min(connect, left), min(read, left))

    def _backoff(self, attempt: int) -> float:
        """Equal jitter: between half and all of base × 2^attempt."""
        step = self.backoff_base * 2**attempt
        return step / 2 + step / 2 * self._jitter()

    def _observe(self, ctx: CallContext, method: str, shown: str, outcome: str) -> None:
        if ctx.case_id and self.observer is not None:
            self.observer(ctx, self.system, method, shown, outcome)

    def _send(
        self,
        method: str,
        path: str,
        shown: str,
        ctx: CallContext,
        params: dict | None,
        json: Any,
        timeout: tuple[float, float],
        headers: dict | None = None,
        key: str | None = None,
    ) -> Reply:
        started = time.perf_counter()
        what = f"({method} {shown})"
        extra = self.extra_headers() if headers is None else headers
        sent = ctx.headers() | extra | ({"Idempotency-Key": key} if key else {})
        try:
            if self._direct is not None:
                answer = wire.answer(
                    self.session,
                    self._direct,
                    method,
                    self.base_url + path,
                    timeout=timeout,
                    params=params,
                    json=json,
                    headers=sent,
                )
                status, content = answer.status, answer.body
            else:
                response = self.session.request(
                    method, self.base_url + path, params=params, json=json, headers=sent, timeout=timeout
                )
                status, content = response.status_code, response.content
        except requests.Timeout as exc:
            raise self._failure("timeout", f"{self.system} did not answer in time {what}") from exc
        except requests.ConnectionError as exc:
            if _is_refused(exc):
                raise self._failure(
                    "refused", f"{self.system} refused the connection or can't be reached {what}"
                ) from exc
            raise self._failure("dropped", f"{self.system} dropped the connection mid-response {what}") from exc
        except requests.RequestException as exc:  # ChunkedEncodingError, ContentDecodingError, ...
            raise self._failure(
                "dropped", f"{self.system} sent a broken response {what}: {type(exc).__name__}"
            ) from exc
        elapsed = (time.perf_counter() - started) * 1000
        log.debug("%s %s %s -> %d in %.1f ms", self.system, method, shown, status, elapsed)
        if status >= 500:
            raise self._failure("bad-status", f"{self.system} answered {status} {what}" + self._problem_detail(content))
        if not content:
            return Reply(status, None)
        try:
            body = jsonlib.loads(content)
        except ValueError as exc:
            raise self._failure(
                "malformed", f"{self.system} answered {status} with a body that is not JSON " + what
            ) from exc
        return Reply(status, body)

    def _failure(self, kind: str, detail: str) -> DownstreamError:
        return DownstreamError(self.system, kind, FAILURE_STATUS[kind], detail)

    @staticmethod
    def _problem_detail(content: bytes) -> str:
        try:
            detail = jsonlib.loads(content).get("detail")
        except (ValueError, AttributeError):
            return ""
        return f": {mask_text(str(detail))[:300]}" if detail else ""

    # ---- answers ----------------------------------------------------------------------------------------------
    def answer(self, reply: Reply, *ok: int) -> Any:
        """The body of a reply with an expected status, or the system's 4xx as a DownstreamError."""
        if reply.status in ok:
            return reply.body
        raise self.client_error(reply)

    def client_error(self, reply: Reply) -> DownstreamError:
        body = reply.body if isinstance(reply.body, dict) else {}
        type_ = str(body.get("type") or "")
        kind = type_.rsplit(_PROBLEM_BASE, 1)[-1] if _PROBLEM_BASE in type_ else f"status-{reply.status}"
        if kind == "unknown-sandbox":
            detail = (
                f"{self.system}: {body.get('detail', 'unknown sandbox').split(';')[0]}; create it in every "
                'system with the gateway\'s POST /admin/sandboxes {"name": ...} (admin role)'
            )
        else:
            detail = f"{self.system}: {body.get('detail') or f'answered {reply.status}'}"
        return DownstreamError(self.system, kind, reply.status, detail)

    def rejected(self, error: DownstreamError) -> DownstreamError:
        """A 400 for a request the gateway checked before sending: the system and the gateway disagree on the
        contract, which the user can't fix: a 502 naming the system (its 400 is not the user's)."""
        if error.status != 400:
            return error
        return DownstreamError(
            self.system, "rejected-request", 502, f"{self.system} rejected the gateway's request: {error.detail}"
        )

    def get(
        self,
        path: str,
        ctx: CallContext,
        *ok: int,
        params: dict | None = None,
        guarded: bool = True,
        headers: dict | None = None,
    ) -> Any:
        return self.answer(
            self.call("GET", path, ctx, params=params, guarded=guarded, headers=headers), *(ok or (200,))
        )

    def optional(self, path: str, ctx: CallContext, *, not_found_kinds: tuple[str, ...]) -> Any:
        """GET a resource that may legitimately be absent: None for a 404 of one of the given problem kinds."""
        reply = self.call("GET", path, ctx)
        if reply.status == 404:
            error = self.client_error(reply)
            if error.kind in not_found_kinds:
                return None
            raise error
        return self.answer(reply, 200)
