"""Document and phone numbers never appear unmasked in a log line, whatever logs it."""

from __future__ import annotations

import logging

import pytest

from claro_backoffice.gateway.logmask import mask_text
from tests.gateway import expect


@pytest.mark.parametrize(
    "text, masked",
    [
        ("doc 1020304050 tel 3112000000", "doc ********50 tel ********00"),
        ("phone=%2B57%20313%20056%208954", "phone=%2B**%20***%20***%20**54"),
        ("(601) 659-2603 and +57 313 056 8954", "(***) ***-**03 and +** *** *** **54"),
        ("GET /accounts/46271064 CUS00000003 port 8000, 12345", "GET /accounts/******64 CUS00000003 port 8000, 12345"),
        ("127.0.0.1:42156 - 313.056.8954", "127.0.0.1:42156 - ***.***.**54"),
    ],
)
def test_mask_text(text, masked):
    assert mask_text(text) == masked


def test_no_log_line_of_a_run_shows_a_document_or_a_phone(gateway_client, world, caplog):
    both = expect.customer_with(world, "hogar+movil")
    fixed = expect.fixed_line_of(world, both["customer_id"]) or "6016592603"
    mobile = both["contact_mobile"]
    secrets = {both["document_number"], mobile, fixed}
    caplog.set_level(logging.DEBUG)
    client = gateway_client
    client.get("/customers", params={"documentType": both["document_type"], "documentNumber": both["document_number"]})
    for phone in (mobile, f"+57 {mobile[:3]} {mobile[3:6]} {mobile[6:]}", f"57{mobile}", f"({fixed[:3]}) {fixed[3:]}"):
        client.get("/customers", params={"phone": phone})
    client.get("/customers", params={"phone": "12345678"})  # an invalid phone: its error is logged too
    client.post("/admin/faults", json={"system": "rr", "kind": "timeout", "path": "/phones/*"})
    client.post("/admin/faults", json={"system": "ac", "kind": "error", "status": 500})
    client.get("/customers", params={"phone": mobile})
    client.get("/customers", params={"documentNumber": both["document_number"]}, token="dev-trainee", sandbox="x")
    client.get("/customers", params={"documentNumber": both["document_number"]}, token="nope")
    lines = [record.getMessage() for record in caplog.records]
    assert any("rr GET /phones/" in line for line in lines), "the downstream calls were logged"
    assert len(lines) > 20
    text = "\n".join(lines)
    for secret in secrets:
        spaced = f"{secret[:3]} {secret[3:6]} {secret[6:]}"
        assert secret not in text and spaced not in text and secret[:-2] not in text, f"{secret[:2]}… leaked"
