"""Colombian phone numbers: stored as 10 national digits everywhere in the world and the mocks.

normalise_phone() is the one place that turns what people type ("+57 311 200 0000", "573112000000",
"311-200-0000", "(601) 234 5678") into that form.
"""

from __future__ import annotations

import re

CLARO_MOBILE_PREFIXES = ("310", "311", "312", "313", "314", "320", "321", "322", "323")
_SEPARATORS = re.compile(r"[\s\-().]")


class InvalidPhone(ValueError):
    pass


def normalise_phone(raw: str) -> str:
    """Return the 10 national digits of a Colombian mobile or fixed number, or raise InvalidPhone.

    Accepts an optional country code (57, +57, 0057) and spaces, dashes, dots or parentheses between digits.
    """
    if not isinstance(raw, str):
        raise InvalidPhone("a phone number must be a string")
    digits = _SEPARATORS.sub("", raw.strip())
    if digits.startswith("+"):
        digits = digits[1:]
    elif digits.startswith("00"):
        digits = digits[2:]
    if not digits.isdigit():
        raise InvalidPhone(f"'{mask(raw)}' has characters that are not digits")
    if len(digits) == 12 and digits.startswith("57"):
        digits = digits[2:]
    if len(digits) != 10 or not (is_mobile(digits) or is_fixed(digits)):
        raise InvalidPhone(
            f"'{mask(raw)}' is not a Colombian number: expected a mobile (3 + 9 digits) or a fixed line "
            "(60 + zone + 7 digits), optionally with 57 / +57 in front"
        )
    return digits


def is_mobile(national: str) -> bool:
    return len(national) == 10 and national.isdigit() and national[0] == "3"


def is_fixed(national: str) -> bool:
    return len(national) == 10 and national.isdigit() and national.startswith("60") and national[2] in "1245678"


def is_claro_range(national: str) -> bool:
    """True for numbers of Claro's own ranges; ported numbers keep their original range."""
    return national[:3] in CLARO_MOBILE_PREFIXES


def to_wa_id(national: str) -> str:
    """WhatsApp's wa_id form: country code and national number, no plus."""
    return "57" + national


def mask(value: str) -> str:
    """Keep only the last 2 digits: what may appear in a log line."""
    text = str(value)
    keep = 2 if len(text) > 4 else 0
    return "*" * (len(text) - keep) + text[len(text) - keep :]
