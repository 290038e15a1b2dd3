"""A request as `requests` would put it on the wire, handed to the in-process transport without requests' session
around it (issue 18: the session's preparing, merging, cookie jars and response building were a quarter of an
in-process call's CPU). Same URL, query, headers and body; the same `requests` exceptions for a kit fault. Used by
the gateway's adapters, the console's client and Meta's webhooks for the URLs a session's in-process adapter
serves; any other URL goes through the session as before."""

from __future__ import annotations

import json as jsonlib
from collections.abc import Mapping
from typing import Any
from urllib.parse import urlencode

import requests
from requests.utils import requote_uri

from claro_backoffice.transport.inprocess import Answer, InProcessAdapter


def direct(session: requests.Session, url: str) -> InProcessAdapter | None:
    """The in-process adapter `session` has mounted for `url`, if that is what serves it and the session would add
    nothing of its own to a request: no auth, hooks or cookies, and no environment read per call (trust_env off,
    as the project's in-process sessions are)."""
    if session.trust_env or session.auth is not None or any(session.hooks.values()) or len(session.cookies):
        return None
    try:
        adapter = session.get_adapter(url)
    except requests.exceptions.InvalidSchema:  # no adapter at all for it: requests would say so when sending
        return None
    return adapter if isinstance(adapter, InProcessAdapter) else None


def full_url(url: str, params: Mapping[str, Any] | None) -> str:
    """url + the query requests makes of params: a None value left out, a list or tuple repeated."""
    pairs = [
        (key, value)
        for key, values in (params or {}).items()
        for value in (values if isinstance(values, list | tuple) else [values])
        if value is not None
    ]
    if pairs:
        url += ("&" if "?" in url else "?") + urlencode(pairs)
    return requote_uri(url)


def merged_headers(
    defaults: Mapping[str, str | bytes | None], sent: Mapping[str, str] | None, content_type: str | None
) -> list[tuple[str, str]]:
    """The session's default headers under the request's own (a None dropped), with the body's Content-Type."""
    merged = {k.lower(): (k, v) for k, v in defaults.items()}
    merged.update({k.lower(): (k, v) for k, v in (sent or {}).items()})
    if content_type and "content-type" not in merged:
        merged["content-type"] = ("Content-Type", content_type)
    return [(k, v if isinstance(v, str) else v.decode("latin-1")) for k, v in merged.values() if v is not None]


def answer(
    session: requests.Session,
    transport: InProcessAdapter,
    method: str,
    url: str,
    *,
    timeout: float | tuple[float, float] | None,
    params: Mapping[str, Any] | None = None,
    json: Any = None,
    data: bytes | None = None,
    headers: Mapping[str, str] | None = None,
) -> Answer:
    """What session.request(method, url, ...) would have answered, as (status, headers, body)."""
    if json is not None:  # as requests: NaN refused, UTF-8
        body, content_type = jsonlib.dumps(json, allow_nan=False).encode("utf-8"), "application/json"
    else:
        body, content_type = data or b"", None
    read_timeout = timeout[1] if isinstance(timeout, tuple) else timeout
    return transport.answer(
        method.upper(),
        full_url(url, params),
        merged_headers(session.headers, headers, content_type),
        body,
        read_timeout,
    )
