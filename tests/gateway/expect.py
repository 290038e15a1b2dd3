"""What the world says a gateway answer must contain, and the TM Forum schemas (openapi/tmf/) to check shapes."""

from __future__ import annotations

import functools
import json
from pathlib import Path

from jsonschema import Draft4Validator, FormatChecker

TMF_DIR = Path(__file__).resolve().parents[2] / "claro_backoffice" / "openapi" / "tmf"
TMF_FILES = {
    "Customer": "TMF629-Customer-v4.0.0.swagger.json",
    "BillingAccount": "TMF666-Account-v4.0.0.swagger.json",
    "Product": "TMF637-ProductInventory-v4.0.0.swagger.json",
}


@functools.cache
def _tmf_document(definition: str) -> dict:
    return json.loads((TMF_DIR / TMF_FILES[definition]).read_text(encoding="utf-8"))


def tmf_errors(definition: str, instance: dict) -> list[str]:
    """Validation errors of `instance` against the TMF v4 definition (Customer, BillingAccount, Product)."""
    document = _tmf_document(definition)
    schema = {"$ref": f"#/definitions/{definition}", "definitions": document["definitions"]}
    validator = Draft4Validator(schema, format_checker=FormatChecker())
    return [f"{'/'.join(map(str, e.path))}: {e.message}" for e in validator.iter_errors(instance)]


def tmf_properties(definition: str) -> set[str]:
    return set(_tmf_document(definition)["definitions"][definition]["properties"])


def party(world, customer_id: str) -> dict:
    return next(p for p in world.tables["parties"] if p["customer_id"] == customer_id)


def home_accounts(world, customer_id: str) -> list[str]:
    return sorted(a["account_number"] for a in world.tables["home_accounts"] if a["customer_id"] == customer_id)


def mobile_accounts(world, customer_id: str) -> list[str]:
    return sorted(a["account_number"] for a in world.tables["mobile_accounts"] if a["customer_id"] == customer_id)


def lines(world, customer_id: str) -> list[str]:
    return sorted(line["msisdn"] for line in world.tables["lines"] if line["customer_id"] == customer_id)


def customer_with(world, segments: str) -> dict:
    """The first party with exactly these segments (hogar, movil, hogar+movil) and at least one account/line."""
    for p in world.tables["parties"]:
        if p["segments"] == segments and (home_accounts(world, p["customer_id"]) or lines(world, p["customer_id"])):
            return p
    raise LookupError(segments)


def fixed_line_of(world, customer_id: str) -> str | None:
    numbers = set(home_accounts(world, customer_id))
    return next(
        (s["fixed_line"] for s in world.tables["home_services"] if s["account_number"] in numbers and s["fixed_line"]),
        None,
    )
