"""A problem's detail never repeats more than CLIP characters of what the client sent: jsonschema's messages quote
the offending value (and an unexpected property's name), connexion's the unknown parameters, and a value can be
megabytes. Clipped where the message is made, from the values themselves, so a message's own words stay whole."""

from __future__ import annotations

import re

from jsonschema.exceptions import ValidationError

CLIP = 100
_LONG_RUN = re.compile(rf"""[^\s'"]{{{CLIP + 1},}}""")


def clip_value(text: str) -> str:
    """At most CLIP characters, an ellipsis included."""
    return text if len(text) <= CLIP else text[: CLIP - 1] + "…"


def _clip_enclosed(text: str) -> str:
    """As clip_value, keeping the closing quote or bracket of a repr."""
    return text if len(text) <= CLIP else text[: CLIP - 2] + "…" + text[-1]


def schema_message(error: ValidationError) -> str:
    """A jsonschema error's message and path (connexion's form: "message - 'a.b'") with the instance, and the names
    of an object's properties, shortened: an array or object's repr has spaces and no quotes around it."""
    message = error.message
    shown = [error.instance, *(error.instance if isinstance(error.instance, dict) else ())]
    for value in shown:
        written = repr(value)
        if len(written) > CLIP:
            message = message.replace(written, _clip_enclosed(written))
    path = ".".join(clip_value(str(item)) for item in error.path)
    return f"{message} - '{path}'" if path else message


def clip_detail(detail: str) -> str:
    """The last guard, for any problem: a run of more than CLIP characters with no space or quote is cut (quoted
    values are clipped where the message is made)."""
    return _LONG_RUN.sub(lambda m: clip_value(m.group(0)), detail)
