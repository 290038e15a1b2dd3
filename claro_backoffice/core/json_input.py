"""Reading a JSON request body strictly: only what RFC 8259 calls JSON, and nothing deep enough to exhaust the
interpreter's stack further in (parsing, schema validation and the view's own parse all recurse per level)."""

from __future__ import annotations

import itertools
import json
import math
import re
from typing import Any, NoReturn

MAX_DEPTH = 64  # the deepest payload here (Meta's webhook) nests 7 levels
_STRING = re.compile(rb'"[^"\\]*(?:\\.[^"\\]*)*"')
_NOT_BRACKETS = bytes(b for b in range(256) if b not in b"[]{}")
_OPENING = (ord("["), ord("{"))


class NotJson(ValueError):
    """The body is not a JSON document this service takes; the message says why."""


def nesting_depth(raw: bytes) -> int:
    """How deep arrays and objects nest, counted without parsing (brackets inside strings don't count)."""
    brackets = _STRING.sub(b"", raw).translate(None, _NOT_BRACKETS)
    return max(itertools.accumulate(1 if b in _OPENING else -1 for b in brackets), default=0)


def _constant(name: str) -> NoReturn:
    raise NotJson(f"the body holds {name}, which is not a JSON number: send finite numbers only")


def _finite(text: str) -> float:
    number = float(text)
    if not math.isfinite(number):
        raise NotJson(f"the body holds {text[:20]}, beyond the range of a number: send finite numbers only")
    return number


def loads(raw: bytes, encoding: str = "utf-8") -> Any:  # any JSON value
    """The document in `raw`; NotJson when it is not JSON, nests more than MAX_DEPTH levels, or holds NaN,
    Infinity or a number beyond float or integer range. UnicodeDecodeError or LookupError: not text in `encoding`."""
    if nesting_depth(raw) > MAX_DEPTH:
        raise NotJson(f"the body nests arrays and objects more than {MAX_DEPTH} levels deep")
    text = raw.decode(encoding)
    try:
        return json.loads(text, parse_constant=_constant, parse_float=_finite)
    except NotJson:
        raise
    except ValueError as exc:  # JSONDecodeError, or an integer of more digits than Python converts
        raise NotJson(f"the body is not valid JSON: {exc}") from None


def non_finite(value: object) -> bool:
    """True when `value` is, or holds, a NaN or an infinity (a parameter connexion coerced from 'NaN')."""
    if isinstance(value, float):
        return not math.isfinite(value)
    if isinstance(value, (list, tuple)):
        return any(non_finite(v) for v in value)
    if isinstance(value, dict):
        return any(non_finite(v) for v in value.values())
    return False
