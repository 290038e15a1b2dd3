"""Claro's WhatsApp business number in each sandbox. `default` has the procedure's line (311 200 0000, Meta's
phone_number_id 106540352242922); every other sandbox gets a number of its own, derived from its name, so a
webhook's `phone_number_id` alone says which sandbox it belongs to. Meta's mock and the gateway both use this."""

from __future__ import annotations

import hashlib

DEFAULT_SANDBOX = "default"
DEFAULT_PHONE_NUMBER_ID = "106540352242922"
DEFAULT_PHONE = "573112000000"


def business_number(sandbox: str) -> dict:
    """{phone_number_id, phone_number, display_phone_number} of the sandbox's business number."""
    if sandbox == DEFAULT_SANDBOX:
        return {
            "phone_number_id": DEFAULT_PHONE_NUMBER_ID,
            "phone_number": DEFAULT_PHONE,
            "display_phone_number": "+57 311 2000000",
        }
    digest = int(hashlib.sha256(sandbox.encode("utf-8")).hexdigest(), 16)
    phone_number_id = f"1065{digest % 10**11:011d}"
    line = f"{(digest // 10**11) % 10**7:07d}"
    return {
        "phone_number_id": phone_number_id,
        "phone_number": f"57311{line}",
        "display_phone_number": f"+57 311 {line}",
    }
