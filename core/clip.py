"""A problem's detail never repeats more than CLIP characters of what the client sent: validation messages quote
the offending value (jsonschema's, connexion's unknown parameters), and a value can be megabytes."""
from __future__ import annotations

import re

CLIP = 100
# a quoted value longer than CLIP, quotes included (they are kept), or else a run of more characters with no
# space or quote
_LONG = re.compile(r"""('(?:[^'\\]|\\.){%d,}'|"(?:[^"\\]|\\.){%d,}")|[^\s'"]{%d,}""" % (CLIP - 1, CLIP - 1, CLIP + 1),
                   re.DOTALL)
# connexion's message that carries a request's text unquoted
_EXTRA = re.compile(r"^Extra (\w+) parameter\(s\) (.*) not in spec$", re.DOTALL)


def clip_value(text: str) -> str:
    """At most CLIP characters, an ellipsis included."""
    return text if len(text) <= CLIP else text[:CLIP - 1] + "…"


def _clip_enclosed(text: str) -> str:
    """As clip_value, keeping the closing quote or bracket."""
    return text if len(text) <= CLIP else text[:CLIP - 2] + "…" + text[-1]


def without_instance(message: str, instance) -> str:
    """A jsonschema message with the offending value shortened (an array or object's repr has spaces and no
    quotes around it, so clip_detail would not know where it ends)."""
    shown = repr(instance)
    return message.replace(shown, _clip_enclosed(shown)) if len(shown) > CLIP else message


def _clip(match: re.Match) -> str:
    text = match.group(0)
    return _clip_enclosed(text) if match.group(1) else clip_value(text)


def clip_detail(detail: str) -> str:
    extra = _EXTRA.match(detail)
    if extra:
        return f"Extra {extra.group(1)} parameter(s) {clip_value(extra.group(2))} not in spec"
    return _LONG.sub(_clip, detail)
