"""Issue 12, dates and times: `date-time` is RFC 3339 with its offset and `date` is YYYY-MM-DD in every spec
(core/formats.py, README "Dates and times"); anything else, an empty value included, is a 400 that names the
parameter or field and the expected form, before any handler or downstream system sees it."""

from __future__ import annotations

import pytest

LINE = "3147216702"  # a CCI line (home cell BOG0001-3)
NOW = "2026-11-04T08:00:00-05:00"  # the default world's now
DATE_TIME = "RFC 3339 date-time with an offset"
DATE = "date YYYY-MM-DD"


def _refused(response, *words):
    assert response.status_code == 400, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    detail = response.json()["detail"]
    for word in words:
        assert word in detail, detail
    return detail


# ---- the gateway ---------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("start", ["2026-11-03T00:00:00", "2026-11-31T00:00:00-05:00", "2026-11-03 00:00:00-05:00", ""])
def test_gateway_usage_refuses_a_from_that_is_not_rfc3339_before_asking_cci(gateway_client, start):
    response = gateway_client.get(
        f"/lines/{LINE}/usage", token="dev-asesor", params={"from": start, "to": "2026-11-04T00:00:00-05:00"}
    )
    _refused(response, "query parameter 'from'", DATE_TIME)
    assert gateway_client.backoffice.calls == []


def test_gateway_usage_takes_utc_and_lower_case_forms_of_rfc3339(gateway_client):
    response = gateway_client.get(
        f"/lines/{LINE}/usage",
        token="dev-asesor",
        params={"from": "2026-11-03t05:00:00z", "to": "2026-11-03T08:00:00-05:00"},
    )
    assert response.status_code == 200, response.text
    assert response.json()["window"]["from"] == "2026-11-03T00:00:00-05:00"


def test_gateway_clock_set_without_an_offset_is_a_400_naming_the_field(gateway_client):
    _refused(gateway_client.post("/admin/clock", json={"set": "2026-12-24T18:00:00"}), "'set'", DATE_TIME)
    assert gateway_client.backoffice.calls == []


@pytest.mark.parametrize(
    "path, body, field",
    [
        (
            "/practices",
            {"practiceCode": "agenda-lider", "ledBy": "ger.premium01", "heldAt": "0001-01-01T00:00:00+05:00"},
            "heldAt",
        ),
        (
            "/searchTimeSlot",
            {
                "relatedEntity": [{"id": "46271064", "role": "account"}],
                "requestedTimeSlot": [
                    {
                        "validFor": {
                            "startDateTime": "0001-01-01T00:00:00+05:00",
                            "endDateTime": "0001-01-02T00:00:00+05:00",
                        }
                    }
                ],
            },
            "requestedTimeSlot.0.validFor.startDateTime",
        ),
    ],
)
def test_gateway_refuses_a_date_time_that_has_no_bogota_time(gateway_client, path, body, field):
    """Year 1 at +05:00 is year 0 in Bogotá: converting it was a 500."""
    _refused(gateway_client.post(path, json=body, token="dev-coordinador"), f"- '{field}'", DATE_TIME)


@pytest.mark.parametrize("first", ["20261101", "2026-W44-7", "2026-02-30"])
def test_gateway_dates_are_yyyy_mm_dd(gateway_client, first):
    response = gateway_client.get("/indicators", token="dev-supervisor", params={"from": first, "to": "2026-11-04"})
    _refused(response, "query parameter 'from'", DATE)


# ---- the mocks -----------------------------------------------------------------------------------------------------
@pytest.fixture
def cci(mock_client):
    client = mock_client("cci")
    assert client.post("/__admin/clock", json={"set": NOW, "frozen": True}).status_code == 200
    return client


@pytest.mark.parametrize("start", ["", "2026-11-01T00:00:00", "2026-11-01T24:00:00-05:00", "2026-11-01"])
def test_cci_start_that_is_empty_or_not_rfc3339_is_a_400(cci, start):
    _refused(
        cci.get(f"/lines/{LINE}/records", params={"start": start, "hours": 3}), "query parameter 'start'", DATE_TIME
    )


def test_cci_start_with_an_offset_is_read_in_bogota_time(cci):
    page = cci.get(f"/lines/{LINE}/records", params={"start": "2026-11-01T05:00:00Z", "hours": 3}).json()
    assert page["window"]["start"] == "2026-11-01T00:00:00-05:00" and page["window"]["hours"] == 3


def test_gestion_slot_start_without_an_offset_is_a_400_naming_the_field(mock_client):
    gestion = mock_client("gestion")
    gestion.post("/__admin/clock", json={"set": NOW, "frozen": True})
    body = {
        "account_number": "46271064",
        "slot_start": "2026-11-05T09:00:00",
        "reason": "Internet intermitente",
        "contact_phone": "3130568954",
        "advisor": "asesor.premium01",
    }
    _refused(gestion.post("/visits", json=body), "'slot_start'", DATE_TIME)
    assert gestion.get("/accounts/46271064/visits").json()["visits"] == []


def test_almabi_dates_are_yyyy_mm_dd(mock_client):
    _refused(
        mock_client("almabi").get("/shifts", params={"from": "20261101", "to": "2026-11-04"}),
        "query parameter 'from'",
        DATE,
    )


def test_mock_clock_set_without_an_offset_is_a_400_and_the_clock_stays(mock_client):
    rr = mock_client("rr")
    _refused(rr.post("/__admin/clock", json={"set": "2026-12-24T18:00:00"}), "'set'", DATE_TIME)
    assert rr.get("/__admin/clock").json()["now"].startswith("2026-11-04T08:00")
