"""Document and phone numbers never reach a log line (Habeas Data, Ley 1581/2012).

`mask_text` is the one masking function: `install()` applies it to every record of the process (the access log
included), the adapters to the paths and details they log.

The rule. The line is read as a reader would: `%XX` decoded (`%2C` is a comma, `%2F` a slash, `%20` a space),
`+` read as a space, as in a query string, and JSON's escapes `\\t`, `\\n`, `\\/`, `\\u00XX` as what they stand for;
then a *number* is a run of digit groups joined by
  - `.` `,` `_` `/` with no space around and a group of two or more digits after (`39.392.601`, `39,392,601`,
    `39_392_601`, `313/056/8954`; not `3.2`, `HTTP/1.1`, nor `8000, 12345`),
  - `-` with or without spaces around (`313-056-8954`, `313 - 056 - 8954`, a NIT's `-7`),
  - runs of spaces or tabs, and parentheses (`+57 (601) 659 2603`, `313   056   8954`),
with no letter or digit glued to either end. A number of six or more digits is masked but for its last two digits,
in the line as written (`%2B57%20313...` -> `%2B**%20***...`).

Kept readable, as they are not personal data: identifiers glued to letters (`CUS00000003`, hex request ids, wamids),
the back office's own `PREFIX-digits` identifiers (`CAS-000123`, `PQR-000001`; not a document type such as `CC-`),
UUIDs, ISO dates and times (`2026-11-04T10:00:00-05:00`, `10:00:00.123`), an IPv4 address and a `host:port` (an
address has octets of 0-255 without leading zeros and either a port or a later octet shorter than three digits:
`127.0.0.1:42156`, `10.20.30.40`; `1.023.456.789` and `192.168.100.200` are read as documents: better a hidden
address than a visible document), and numbers of fewer than six digits (ports, statuses, counts).
"""

from __future__ import annotations

import logging
import re
from typing import Any

_KEEP = re.compile(
    # the back office's own identifiers (CAS-000123, PQR-000001, IDEA-000001), not a document type before a number
    r"(?<![\w-])(?!(?:CC|CE|TI|NIT|PA|PEP|PPT|RC|NUIP)-)[A-Z]{2,6}-\d+(?![\w-])"
    r"|\b[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}\b"  # a UUID
    r"|(?<!\d)\d{4}-\d{2}-\d{2}(?!\d)"  # an ISO date (its time is the next alternative)
    r"|(?<![\d:])\d{1,2}:\d{2}(?::\d{2}(?:[.,]\d{1,6})?)?(?![\d:])"  # a time, or a UTC offset's hh:mm
    r"|(?<![\w.])(?:(?P<ip>(?:\d{1,3}\.){3}\d{1,3})|localhost|[A-Za-z][\w-]*(?:\.[A-Za-z][\w-]*)+)"
    r"(?P<port>:\d{1,5})?(?![\w.])"  # an address or a host name, with a port
)
_OCTET = re.compile(r"0|[1-9]\d{0,2}")
_SEP = r"(?:[.,_/]\d{2,}|(?:[ \t]*-[ \t]*|[ \t]*[()][ \t]*|[ \t]+)\d+)"
_NUMBER = re.compile(rf"(?<![^\W_])\(?\d+{_SEP}*(?![^\W_])")
_ENCODED = re.compile(r"%[0-9A-Fa-f]{2}|\+|\\(?:[tnr/]|u00[0-9A-Fa-f]{2})")
_ESCAPES = {"\\t": "\t", "\\n": "\n", "\\r": "\r", "\\/": "/", "+": " "}


def _decoded(text: str) -> tuple[str, list[int]]:
    """The text as a reader sees it, and where each of its characters starts in the text (plus the end)."""
    chars, starts, at = [], [], 0
    for found in _ENCODED.finditer(text):
        for index in range(at, found.start()):
            chars.append(text[index])
            starts.append(index)
        token = found.group(0)
        chars.append(_ESCAPES.get(token) or chr(int(token.lstrip("\\%u"), 16)))
        starts.append(found.start())
        at = found.end()
    for index in range(at, len(text)):
        chars.append(text[index])
        starts.append(index)
    starts.append(len(text))
    return "".join(chars), starts


def _blank(match: re.Match) -> str:
    """What _KEEP found, made digit-free; digits that only look like an IPv4 address stay (a dotted document)."""
    if match.group("ip") is not None and not _is_address(match.group("ip"), match.group("port")):
        return match.group(0)
    return "#" * len(match.group(0))


def _is_address(ip: str, port: str | None) -> bool:
    octets = ip.split(".")
    if not all(_OCTET.fullmatch(o) and int(o) <= 255 for o in octets):
        return False
    return port is not None or any(len(o) < 3 for o in octets[1:])


def mask_text(text: str) -> str:
    if sum(c.isdigit() for c in text) < 6:
        return text  # nothing that could be a document or a phone
    if "%" in text or "+" in text or "\\" in text:
        decoded, starts = _decoded(text)
    else:
        decoded, starts = text, None
    hidden = []  # positions (in the decoded text) of the digits to hide
    for number in _NUMBER.finditer(_KEEP.sub(_blank, decoded)):
        digits = [i for i in range(number.start(), number.end()) if decoded[i].isdecimal()]
        if len(digits) >= 6:
            hidden += digits[:-2]
    if not hidden:
        return text
    if starts is None:
        out = list(text)
        for index in hidden:
            out[index] = "*"
        return "".join(out)
    out, at = [], 0
    for index in hidden:  # the character as written (a digit, or rarely a %3X) becomes one '*'
        out.append(text[at : starts[index]])
        out.append("*")
        at = starts[index + 1]
    out.append(text[at:])
    return "".join(out)


class MaskingFilter(logging.Filter):
    """Rewrites a record's message with its numbers masked (the args are folded into the message first)."""

    def filter(self, record: logging.LogRecord) -> bool:
        _mask_record(record)
        return True


def _mask_record(record: logging.LogRecord) -> None:
    try:
        message = record.getMessage()
    except Exception:  # a broken format string is the caller's bug; leave the record alone
        return
    record.msg, record.args = mask_text(message), None
    if record.exc_info and not record.exc_text:
        record.exc_text = mask_text(logging.Formatter().formatException(record.exc_info))


def install() -> None:
    """Mask every record any logger of this process creates (the gateway's, connexion's, urllib3's, the mocks'
    when they share the process): a record factory wrapping the current one, installed once. A record is made
    only when its level is enabled, so disabled DEBUG lines cost nothing."""
    current = logging.getLogRecordFactory()
    if getattr(current, "masks_numbers", False):
        return

    def masking_factory(*args: Any, **kwargs: Any) -> logging.LogRecord:
        record = current(*args, **kwargs)
        _mask_record(record)
        return record

    # A mark on the function itself (what getattr above looks for): functions take attributes, mypy can't see it.
    masking_factory.masks_numbers = True  # type: ignore[attr-defined]
    logging.setLogRecordFactory(masking_factory)
