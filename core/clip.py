"""A problem's detail never repeats more than CLIP characters of what the client sent: validation messages quote
the offending value (jsonschema's, connexion's unknown parameters and content types), and a value can be megabytes."""
from __future__ import annotations

import re

CLIP = 100
# a quoted value longer than CLIP (quotes kept), or else a run of that many characters with no space
_LONG = re.compile(r"""('(?:[^'\\]|\\.){%d,}'|"(?:[^"\\]|\\.){%d,}")|\S{%d,}""" % (CLIP + 1, CLIP + 1, CLIP + 1),
                   re.DOTALL)
# connexion's own messages that carry a request's text unquoted
_MEDIA = re.compile(r"^Invalid Content-type \((.*)\), expected (\[[^\]]*\])$", re.DOTALL)
_EXTRA = re.compile(r"^Extra (\w+) parameter\(s\) (.*) not in spec$", re.DOTALL)


def clip_value(text: str) -> str:
    return text if len(text) <= CLIP else text[:CLIP] + "…"


def _clip(match: re.Match) -> str:
    text = match.group(0)
    return text[:CLIP + 1] + "…" + text[-1] if match.group(1) else clip_value(text)


def clip_detail(detail: str) -> str:
    media = _MEDIA.match(detail)
    if media:
        return f"Content-Type '{clip_value(media.group(1))}' is not accepted here: expected {media.group(2)}"
    extra = _EXTRA.match(detail)
    if extra:
        return f"Extra {extra.group(1)} parameter(s) {clip_value(extra.group(2))} not in spec"
    return _LONG.sub(_clip, detail)
