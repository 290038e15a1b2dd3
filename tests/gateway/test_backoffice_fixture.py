"""The in-process back office itself: faults become `requests` exceptions at once, refused connections, and the
consumer-side contract check catches what breaks a system's spec."""

from __future__ import annotations

import pytest
import requests

from claro_backoffice.gateway.settings import GatewaySettings
from tests.support.backoffice import SpecCheck

RR = GatewaySettings().backoffice_urls["rr"]


def test_faults_become_requests_exceptions_at_once(backoffice):
    rr = backoffice.client("rr")
    rr.post("/__admin/faults", json={"kind": "timeout", "path": "/accounts/*", "count": 1})
    rr.post("/__admin/faults", json={"kind": "drop", "path": "/accounts/*", "count": 1})
    with pytest.raises(requests.ReadTimeout):
        requests.get(f"{RR}/accounts/20150259", timeout=30)
    with pytest.raises(requests.ConnectionError):
        requests.get(f"{RR}/accounts/20150259", timeout=30)
    assert requests.get(f"{RR}/accounts/20150259").json()["customer_id"] == "CUS00000006"
    assert [c.status for c in backoffice.calls_to("rr")] == ["timeout", "drop", 200]


def test_a_refused_system_raises_a_connection_error_until_accepted(backoffice):
    backoffice.refuse("rr")
    with pytest.raises(requests.ConnectionError) as refused:
        requests.get(f"{RR}/accounts/20150259")
    assert "Connection refused" in str(refused.value)
    backoffice.accept()
    assert requests.get(f"{RR}/accounts/20150259").status_code == 200


def test_requests_that_break_the_spec_are_violations(backoffice):
    requests.get(f"{RR}/subscribers", params={"document_number": "1025948177", "bogus": "1"})
    requests.get(f"{RR}/no-such-thing")
    requests.post(f"{RR}/accounts/20150259/markings", json={"code": "SOP-INT-01"})
    found = list(backoffice.violations)
    backoffice.violations.clear()  # seen on purpose: don't fail the fixture
    assert any("query parameter 'bogus'" in v for v in found)
    assert any("GET /no-such-thing is not an operation" in v for v in found)
    assert any("'advisor' is a required property" in v for v in found)


def test_the_response_check_catches_a_body_that_breaks_the_schema():
    check = SpecCheck("rr")
    good = b'{"subscribers": []}'
    assert check.response_errors("GET", "/subscribers", 200, "application/json", good) == []
    assert check.response_errors("GET", "/subscribers", 200, "application/json", b'{"subs": []}')
    assert check.response_errors("GET", "/subscribers", 201, "application/json", good)
    assert check.response_errors("GET", "/subscribers", 200, "text/html", b"<p>hi</p>")
    assert check.response_errors("GET", "/subscribers", 200, "application/json", b"{not json")
    assert check.response_errors(
        "GET", "/__admin/clock", 200, "application/json", b'{"now": "x", "frozen": "no", "timezone": "America/Bogota"}'
    )


def test_an_injected_fault_answer_is_no_violation(backoffice):
    rr = backoffice.client("rr")
    rr.post("/__admin/faults", json={"kind": "malformed", "path": "/accounts/*", "count": 1})
    rr.post("/__admin/faults", json={"kind": "error", "status": 507, "path": "/accounts/*", "count": 1})
    assert requests.get(f"{RR}/accounts/20150259").status_code == 200
    assert requests.get(f"{RR}/accounts/20150259").status_code == 507
    assert backoffice.violations == []
