"""The written forms of document and phone numbers, masked in every log line: in a query string (URL-encoded, as
the access log shows it), in a path (as uvicorn re-quotes it) and in a JSON body logged by the gateway.
Expected outputs are written by hand: all digits but the last two become '*', every separator stays."""

from __future__ import annotations

import json
import logging
from urllib.parse import quote, quote_plus

import pytest
from uvicorn.protocols.utils import get_path_with_query_string

from claro_backoffice.gateway import logmask

FORMS = [  # (as people write it, masked by hand)
    ("39392601", "******01"),
    ("39.392.601", "**.***.*01"),
    ("39,392,601", "**,***,*01"),
    ("39_392_601", "**_***_*01"),
    ("39 392 601", "** *** *01"),
    ("969886", "****86"),  # a six-digit CC
    ("1023456789", "********89"),
    ("1.023.456.789", "*.***.***.*89"),  # four dotted groups, but not an IPv4 address
    ("1,023,456,789", "*,***,***,*89"),
    ("1 023 456 789", "* *** *** *89"),
    ("900.123.456-7", "***.***.**6-7"),  # a NIT with its check digit
    ("3130568954", "********54"),
    ("313 056 8954", "*** *** **54"),
    ("313-056-8954", "***-***-**54"),
    ("313.056.8954", "***.***.**54"),
    ("313/056/8954", "***/***/**54"),
    ("313_056_8954", "***_***_**54"),
    ("313   056   8954", "***   ***   **54"),  # a run of spaces
    ("313 - 056 - 8954", "*** - *** - **54"),
    ("313\t056\t8954", "***\t***\t**54"),
    ("+57 313 056 8954", "+** *** *** **54"),
    ("+573130568954", "+**********54"),
    ("573130568954", "**********54"),
    ("57 313 0568954", "** *** *****54"),
    ("(601) 659-2603", "(***) ***-**03"),
    ("601 659 2603", "*** *** **03"),
    ("+57 (601) 659 2603", "+** (***) *** **03"),
    ("6016592603", "********03"),
]

KEPT = [  # not documents or phones: left as they are
    "CUS00000003",
    "CAS-000123",
    "IDEA-000001",
    "AV-0001234",
    "127.0.0.1:42156",
    "10.20.30.40",
    "localhost:8000",
    "2026-11-04",
    "2026-11-04T10:00:00-05:00",
    "18:30:00.123456",
    "550e8400-e29b-41d4-a716-446655440000",
    "9f1c2e3d4a5b123456789abc",
    "port 8000, 12345",
    "took 1534.1 ms",
    "HTTP/1.1",
    "12345",
]


@pytest.fixture
def logs(caplog):
    logmask.install()  # what create_app and serve.py do
    caplog.set_level(logging.DEBUG)
    return caplog


def _access_line(path: str, query: str = "") -> None:
    """The line uvicorn writes for a request, with uvicorn's own path formatting."""
    scope = {"path": path, "query_string": query.encode("ascii"), "root_path": ""}
    logging.getLogger("uvicorn.access").info(
        '%s - "%s %s HTTP/%s" %d', "127.0.0.1:42156", "GET", get_path_with_query_string(scope), "1.1", 200
    )


def _only_message(logs) -> str:
    [record] = logs.records
    return record.getMessage()


@pytest.mark.parametrize("written, masked", FORMS, ids=[f"{n:02d}" for n in range(len(FORMS))])
def test_a_number_in_a_query_string_is_masked(logs, written, masked):
    _access_line("/api/v1/customers", f"phone={quote_plus(written)}&documentType=CC")
    encoded = quote_plus(masked, safe="*")  # masking acts on the line as written: encoded separators stay
    assert (
        _only_message(logs) == f'127.0.0.1:42156 - "GET /api/v1/customers?phone={encoded}&documentType=CC HTTP/1.1" 200'
    )


@pytest.mark.parametrize("written, masked", FORMS, ids=[f"{n:02d}" for n in range(len(FORMS))])
def test_a_number_in_a_percent_encoded_query_is_masked(logs, written, masked):
    """%20 for spaces, %2B, %2C, %2F: what a browser or curl --data-urlencode sends."""
    _access_line("/api/v1/customers", f"documentNumber={quote(written, safe='')}")
    assert (
        _only_message(logs)
        == f'127.0.0.1:42156 - "GET /api/v1/customers?documentNumber={quote(masked, safe="*")} HTTP/1.1" 200'
    )


@pytest.mark.parametrize("written, masked", FORMS, ids=[f"{n:02d}" for n in range(len(FORMS))])
def test_a_number_in_a_path_is_masked(logs, written, masked):
    _access_line(f"/mocks/rr/subscribers/by-phone/{written}/accounts")
    assert _only_message(logs) == (
        f'127.0.0.1:42156 - "GET /mocks/rr/subscribers/by-phone/{quote(masked, safe="/*")}/accounts HTTP/1.1" 200'
    )


@pytest.mark.parametrize("written, masked", FORMS, ids=[f"{n:02d}" for n in range(len(FORMS))])
def test_a_number_in_a_json_body_is_masked(logs, written, masked):
    body = {"documentNumber": written, "notes": f"llamar al {written} mañana", "caseId": "CAS00000012"}
    logging.getLogger("claro_backoffice.gateway.backoffice").warning(
        "rr POST /accounts/%s/markings %s", "46271064", json.dumps(body)
    )
    expected = {"documentNumber": masked, "notes": f"llamar al {masked} mañana", "caseId": "CAS00000012"}
    assert _only_message(logs) == f"rr POST /accounts/******64/markings {json.dumps(expected)}"


@pytest.mark.parametrize("text", KEPT)
def test_what_is_not_a_document_or_a_phone_stays_readable(logs, text):
    logging.getLogger("claro_backoffice.gateway").info("seen %s", text)
    _access_line(f"/x/{text}")
    assert [r.getMessage() for r in logs.records] == [
        f"seen {text}",
        f'127.0.0.1:42156 - "GET /x/{quote(text)} HTTP/1.1" 200',
    ]


def test_a_number_right_after_a_time_is_still_masked(logs):
    logging.getLogger("claro_backoffice.gateway").info("18:30:00,3130568954;2026-11-04 39392601")
    assert _only_message(logs) == "18:30:00,********54;2026-11-04 ******01"


def test_a_line_with_several_numbers_and_an_address(logs):
    logging.getLogger("claro_backoffice.gateway").error(
        "127.0.0.1:42156 - 313.056.8954 at 2026-11-04T10:00:00-05:00, CC 39,392,601 and CUS00000003 (port 8000)"
    )
    assert _only_message(logs) == (
        "127.0.0.1:42156 - ***.***.**54 at 2026-11-04T10:00:00-05:00, CC **,***,*01 and CUS00000003 (port 8000)"
    )


def test_a_document_type_before_a_number_is_not_taken_for_an_identifier():
    assert logmask.mask_text("CC-39392601 / CAS-000123") == "CC-******01 / CAS-000123"
    assert logmask.mask_text("NIT-900123456") == "NIT-*******56"
