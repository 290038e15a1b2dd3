"""Document and phone numbers never reach a log line (Habeas Data, Ley 1581/2012).

`mask_text` hides every number of six or more digits but its last two, also when its digits are split by the
separators people type or a URL encodes, up to two at a time (`313 056 8954`, `(601) 659-2603`, `+57%20313...`).
Customer ids (`CUS` + 8 digits) and IPv4 addresses are not personal data and stay readable. Dates written with
dashes are masked too: better a hidden date than a visible phone.
"""
from __future__ import annotations

import logging
import re

_SEP = r"(?:[\s.\-()+]|%20|%28|%29|%2B|%2b)"
_NUMBER = re.compile(rf"(?<!CUS)(?<!\d)(?:\+|%2B|%2b)?\d(?:{_SEP}{{0,2}}\d){{5,}}(?!\d)")

_TOKEN = re.compile(r"%20|%28|%29|%2B|.", re.IGNORECASE | re.DOTALL)
_IPV4 = re.compile(r"\d{1,3}(\.\d{1,3}){3}")  # an address, not a phone (a dotted phone ends in 4 digits)


def _mask_match(match: re.Match) -> str:
    if _IPV4.fullmatch(match.group(0)):
        return match.group(0)
    tokens = _TOKEN.findall(match.group(0))  # a URL-encoded separator is one token: its digits are not the number's
    digits = sum(t.isdigit() for t in tokens)
    out, seen = [], 0
    for token in tokens:
        if token.isdigit():
            seen += 1
            token = token if seen > digits - 2 else "*"
        out.append(token)
    return "".join(out)


def mask_text(text: str) -> str:
    return _NUMBER.sub(_mask_match, text)


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

    def masking_factory(*args, **kwargs):
        record = current(*args, **kwargs)
        _mask_record(record)
        return record

    masking_factory.masks_numbers = True
    logging.setLogRecordFactory(masking_factory)
