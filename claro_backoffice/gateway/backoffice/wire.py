"""A request to a system as `requests` would put it on the wire, for a transport that takes it without requests'
session around it: the in-process one of `make run` (issue 18: the session's preparing, merging, cookie jars and
response building were a quarter of an in-process call's CPU). Same URL, query, headers and JSON bytes."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any, Protocol, runtime_checkable
from urllib.parse import urlencode

from requests.utils import requote_uri


class Answered(Protocol):
    status: int
    body: bytes


@runtime_checkable
class DirectTransport(Protocol):
    """A transport that answers a request itself, raising the `requests` exception a socket would give."""

    def answer(
        self, method: str, url: str, headers: list[tuple[str, str]], body: bytes, read_timeout: float | None
    ) -> Answered: ...


def url(base: str, path: str, params: Mapping[str, Any] | None) -> str:
    """base + path + the query requests makes of params: a None value left out, a list or tuple repeated."""
    full = base + path
    pairs = [
        (key, value)
        for key, values in (params or {}).items()
        for value in (values if isinstance(values, list | tuple) else [values])
        if value is not None
    ]
    if pairs:
        full += ("&" if "?" in full else "?") + urlencode(pairs)
    return requote_uri(full)


def headers(defaults: Mapping[str, str | bytes | None], sent: Mapping[str, str], body: Any) -> list[tuple[str, str]]:
    """The session's default headers under the request's own (a None dropped), with JSON's Content-Type."""
    merged = {k.lower(): (k, v) for k, v in defaults.items()}
    merged.update({k.lower(): (k, v) for k, v in sent.items()})
    if body is not None and "content-type" not in merged:
        merged["content-type"] = ("Content-Type", "application/json")
    return [(k, v if isinstance(v, str) else v.decode("latin-1")) for k, v in merged.values() if v is not None]


def json_body(value: Any) -> bytes:
    """What requests sends for json=value (NaN refused, as requests refuses it)."""
    return b"" if value is None else json.dumps(value, allow_nan=False).encode("utf-8")
