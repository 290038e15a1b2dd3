"""The Cloud API's wire format, as pure functions: message ids, the webhook envelope, the inbound message and
status objects, the body's bytes, Meta's signature headers, and one POST (or verification GET) to a webhook.

Meta serialises a webhook body with non-ASCII characters escaped (`\\u00ed`, lowercase hex) and signs exactly
those bytes; `escape_unicode=False` sends raw UTF-8 instead. Either way the signature covers the raw body.
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import hmac
import json
import secrets
import time
from typing import Any

import requests

from claro_backoffice.transport import wire

SIGNATURE_HEADER = "X-Hub-Signature-256"
LEGACY_SIGNATURE_HEADER = "X-Hub-Signature"
USER_AGENT = "facebookexternalua"
EXCERPT = 500
WRONG_SECRET = "not-the-app-secret"


def new_wamid(wa_id: str, inbound: bool, token: str | None = None) -> str:
    """A WhatsApp message id shaped like Meta's: base64 of the counterpart's number and a unique token."""
    token = token or secrets.token_hex(10).upper()
    raw = (
        b"\x1c\x18"
        + bytes([len(wa_id)])
        + wa_id.encode()
        + b"\x15\x02\x00"
        + (b"\x12" if inbound else b"\x11")
        + b"\x18\x14"
        + token.encode()
        + b"\x00"
    )
    return "wamid." + base64.b64encode(raw).decode()


def unix(moment) -> str:
    """Meta's timestamps: Unix seconds, as a string."""
    return str(int(moment.timestamp()))


def envelope(number: dict, value: dict) -> dict:
    return {
        "object": "whatsapp_business_account",
        "entry": [
            {
                "id": number["waba_id"],
                "changes": [
                    {
                        "value": {
                            "messaging_product": "whatsapp",
                            "metadata": {
                                "display_phone_number": number["phone_number"],
                                "phone_number_id": number["phone_number_id"],
                            },
                            **value,
                        },
                        "field": "messages",
                    }
                ],
            }
        ],
    }


def message_value(number: dict, profile_name: str, message: dict) -> dict:
    return envelope(
        number, {"contacts": [{"profile": {"name": profile_name}, "wa_id": message["from"]}], "messages": [message]}
    )


def status_value(number: dict, status: dict) -> dict:
    return envelope(number, {"statuses": [status]})


def inbound_text(wa_id: str, wamid: str, moment, body: str, context: dict | None = None) -> dict:
    message = {"from": wa_id, "id": wamid, "timestamp": unix(moment), "text": {"body": body}, "type": "text"}
    return {"context": context, **message} if context else message


def inbound_button_reply(wa_id: str, wamid: str, moment, context: dict, button_id: str, title: str) -> dict:
    """A tap on a reply button of an interactive message."""
    return {
        "context": context,
        "from": wa_id,
        "id": wamid,
        "timestamp": unix(moment),
        "type": "interactive",
        "interactive": {"type": "button_reply", "button_reply": {"id": button_id, "title": title}},
    }


def inbound_quick_reply(wa_id: str, wamid: str, moment, context: dict, payload: str, text: str) -> dict:
    """A tap on a quick-reply button of a template message."""
    return {
        "context": context,
        "from": wa_id,
        "id": wamid,
        "timestamp": unix(moment),
        "type": "button",
        "button": {"payload": payload, "text": text},
    }


def status_object(
    wamid: str, status: str, moment, recipient_id: str, category: str | None, errors: list | None = None
) -> dict:
    obj = {"id": wamid, "status": status, "timestamp": unix(moment), "recipient_id": recipient_id}
    if status == "failed":
        obj["errors"] = errors or []
    elif category:
        obj["pricing"] = {"billable": category != "service", "pricing_model": "PMP", "category": category}
    return obj


def encode(payload: dict, escape_unicode: bool) -> bytes:
    return json.dumps(payload, ensure_ascii=escape_unicode, separators=(",", ":")).encode("utf-8")


def sign(secret: str, body: bytes, digest=hashlib.sha256) -> str:
    return hmac.new(secret.encode("utf-8"), body, digest).hexdigest()


def headers(secret: str, body: bytes, signature: str, sandbox: str) -> dict:
    """`signature`: valid (the app secret), invalid (another key) or missing (no signature headers)."""
    out = {"Content-Type": "application/json", "User-Agent": USER_AGENT, "X-Sandbox": sandbox}
    if signature != "missing":
        key = secret if signature == "valid" else WRONG_SECRET
        out[SIGNATURE_HEADER] = "sha256=" + sign(key, body)
        out[LEGACY_SIGNATURE_HEADER] = "sha1=" + sign(key, body, hashlib.sha1)
    return out


def _client(url: str, session: requests.Session | None) -> contextlib.AbstractContextManager[requests.Session]:
    """`session` for a URL one of its own adapters serves (`make run`'s gateway, in-process); anything else takes a
    session of its own, as before: no keep-alive connection a webhook receiver may have closed meanwhile."""
    if session is not None and any(
        url.lower().startswith(prefix) for prefix in session.adapters if prefix not in ("http://", "https://")
    ):
        return contextlib.nullcontext(session)  # not closed here: its owner keeps it
    client = requests.Session()
    client.trust_env = False  # a webhook goes straight to the gateway, never through a proxy from the environment
    return client


def _result(started: float, answered: tuple[int, str] | None = None, error: Exception | None = None) -> dict:
    """answered: (status, body as text)."""
    out = {
        "status_code": None,
        "response_excerpt": None,
        "error": None,
        "duration_ms": round((time.perf_counter() - started) * 1000, 3),
    }
    if error is not None:
        out["outcome"] = "timeout" if isinstance(error, requests.Timeout) else "unreachable"
        out["error"] = f"{type(error).__name__}: {str(error)[:300]}"
        return out
    assert answered is not None  # an answer or an error
    out["status_code"], out["response_excerpt"] = answered[0], answered[1][:EXCERPT]
    out["outcome"] = "delivered" if 200 <= answered[0] < 300 else "rejected"
    return out


def _send(client: requests.Session, method: str, url: str, **kwargs: Any) -> tuple[int, str]:
    """(status, body as text) of one delivery; through the session, or to an in-process gateway without it."""
    transport = wire.direct(client, url)
    if transport is not None:
        answer = wire.answer(client, transport, method, url, **kwargs)
        return answer.status, answer.body.decode("utf-8", "replace")
    response = client.request(method, url, allow_redirects=False, **kwargs)
    return response.status_code, response.text


def post(url: str, body: bytes, header_map: dict, timeout: float, session: requests.Session | None = None) -> dict:
    """session: the one to post through when it serves `url` itself (_client)."""
    started = time.perf_counter()
    try:
        with _client(url, session) as client:
            answered = _send(client, "POST", url, data=body, headers=header_map, timeout=timeout)
    except (requests.RequestException, ValueError) as exc:
        return _result(started, error=exc)
    return _result(started, answered)


def verify(
    url: str, verify_token: str, challenge: str, sandbox: str, timeout: float, session: requests.Session | None = None
) -> dict:
    """Meta's subscription check: GET <url>?hub.mode=subscribe&hub.challenge=..&hub.verify_token=.."""
    started = time.perf_counter()
    params = {"hub.mode": "subscribe", "hub.challenge": challenge, "hub.verify_token": verify_token}
    try:
        with _client(url, session) as client:
            answered = _send(
                client,
                "GET",
                url,
                params=params,
                timeout=timeout,
                headers={"User-Agent": USER_AGENT, "X-Sandbox": sandbox},
            )
    except (requests.RequestException, ValueError) as exc:
        return _result(started, error=exc)
    return _result(started, answered)
