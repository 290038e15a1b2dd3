"""Mobile diagnosis through the gateway: GET /coverage (SARA), GET /lines/{msisdn}/provisioning (CMAX, with the
balance) and GET /lines/{msisdn}/usage (CCI: from/to translated into start + hours), against the world and the
mocks; one failure mapping per operation."""

from __future__ import annotations

import pytest

ASESOR = "dev-asesor"
POINT = {"lat": 4.6745, "lon": -74.0824}
CELL, SITE, CELL_AVISO = "BOG0003-1", "BOG0003", 5100003
LINE = "3236671972"


def _timeout(gateway_client, system: str, path: str = "*"):
    assert (
        gateway_client.post("/admin/faults", json={"system": system, "kind": "timeout", "path": path}).status_code
        == 201
    )


def _assert_problem(response, status: int, system: str, *words: str):
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["system"] == system
    for word in words:
        assert word in response.json()["detail"]


# ---- GET /coverage ---------------------------------------------------------------------------------------------
def test_coverage_around_a_point_lists_the_sites_cells_with_their_aviso(gateway_client, world):
    response = gateway_client.get("/coverage", token=ASESOR, params=POINT)
    assert response.status_code == 200, response.text
    zone = response.json()
    site_cells = {c["cell_id"]: c for c in world.tables["cells"] if c["site_id"] == SITE}
    shown = {c["id"]: c for c in zone["cells"]}
    assert set(site_cells) <= set(shown) and zone["total"] == len(zone["cells"]) == zone["summary"]["cells"]
    for cell_id, cell in site_cells.items():
        assert shown[cell_id]["technology"] == cell["technology"] and shown[cell_id]["state"] == "degraded"
        assert shown[cell_id]["serviceProblem"]["id"] == str(CELL_AVISO)
        assert shown[cell_id]["serviceProblem"]["href"].endswith(f"/serviceProblem/{CELL_AVISO}")
    assert zone["summary"]["worstState"] == "degraded" and str(CELL_AVISO) in zone["message"]
    assert zone["query"]["radius"] == 3000


def test_coverage_of_one_cell(gateway_client, world):
    zone = gateway_client.get("/coverage", token=ASESOR, params={"cellId": CELL}).json()
    [cell] = zone["cells"]
    world_cell = next(c for c in world.tables["cells"] if c["cell_id"] == CELL)
    assert (cell["id"], cell["latitude"], cell["azimuth"]) == (CELL, world_cell["latitude"], world_cell["azimuth"])
    assert zone["summary"] == {
        "cells": 1,
        "inService": 0,
        "degraded": 1,
        "outage": 0,
        "maintenance": 0,
        "worstState": "degraded",
    }
    assert cell["serviceProblem"]["status"] == "acknowledged" and f"AVISO {CELL_AVISO}" in zone["message"]


@pytest.mark.parametrize(
    "params, says",
    [
        ({}, "neither"),
        ({"lat": 4.6}, "only one"),
        ({**POINT, "cellId": CELL}, "both"),
        ({"cellId": CELL, "radius": 500}, "not with cellId"),
    ],
)
def test_coverage_criteria_are_a_422(gateway_client, params, says):
    response = gateway_client.get("/coverage", token=ASESOR, params=params)
    assert response.status_code == 422 and says in response.json()["detail"]
    assert gateway_client.backoffice.calls == []


def test_coverage_unknown_cell_404_and_timeout_504_name_sara(gateway_client):
    _assert_problem(
        gateway_client.get("/coverage", token=ASESOR, params={"cellId": "ZZZ9999-1"}), 404, "sara", "ZZZ9999-1"
    )
    _timeout(gateway_client, "sara", "/cells")
    _assert_problem(gateway_client.get("/coverage", token=ASESOR, params=POINT), 504, "sara")


# ---- GET /lines/{msisdn}/provisioning --------------------------------------------------------------------------
def test_provisioning_with_balance(gateway_client, world):
    response = gateway_client.get(f"/lines/{LINE}/provisioning", token=ASESOR)
    assert response.status_code == 200, response.text
    view = response.json()
    line = next(x for x in world.tables["lines"] if x["msisdn"] == LINE)
    assert view["id"] == view["msisdn"] == LINE and view["iccid"] == line["iccid"]
    assert view["status"] == "active" and view["lineType"] == line["line_type"]
    assert [s["service"] for s in view["services"]] == ["voz", "datos", "sms", "volte", "roaming"]
    assert view["balance"]["accountNumber"] == line["account_number"]
    assert view["balance"]["planCode"] == line["plan_code"] and view["degraded"] == []


def test_provisioning_of_a_suspended_line_reads_suspended_and_barred(gateway_client, world):
    line = next(x for x in world.tables["lines"] if x["status"] == "suspendida")
    view = gateway_client.get(f"/lines/{line['msisdn']}/provisioning", token=ASESOR).json()
    assert view["status"] == "suspended" and view["cmaxStatus"] == "suspendida"
    assert {s["state"] for s in view["services"]} == {"barred"}


def test_provisioning_degrades_when_only_the_balance_fails(gateway_client):
    _timeout(gateway_client, "cmax", "/lines/*/balance")
    view = gateway_client.get(f"/lines/{LINE}/provisioning", token=ASESOR).json()
    assert view["balance"] is None and [d["system"] for d in view["degraded"]] == ["cmax"]
    assert view["services"]


def test_provisioning_unknown_line_404_and_timeout_504_name_cmax(gateway_client):
    _assert_problem(gateway_client.get("/lines/3000000000/provisioning", token=ASESOR), 404, "cmax", "3000000000")
    _timeout(gateway_client, "cmax")
    _assert_problem(gateway_client.get(f"/lines/{LINE}/provisioning", token=ASESOR), 504, "cmax")


# ---- GET /lines/{msisdn}/usage ---------------------------------------------------------------------------------
def test_usage_translates_from_to_into_start_and_hours(gateway_client, world):
    params = {"from": "2026-11-03T00:00:00-05:00", "to": "2026-11-04T08:00:00-05:00", "pageSize": 5, "type": "data"}
    response = gateway_client.get(f"/lines/{LINE}/usage", token=ASESOR, params=params)
    assert response.status_code == 200, response.text
    page = response.json()
    line = next(x for x in world.tables["lines"] if x["msisdn"] == LINE)
    assert page["accountId"] == line["account_number"] and page["customerId"] == line["customer_id"]
    assert page["window"]["from"] == "2026-11-03T00:00:00-05:00" and page["window"]["hours"] == 32
    assert page["window"]["to"] == "2026-11-04T08:00:00-05:00"
    assert page["total"] == page["summary"]["data"] > 0 and len(page["records"]) == min(5, page["total"])
    assert {r["type"] for r in page["records"]} == {"data"}
    starts = [r["startedAt"] for r in page["records"]]
    assert starts == sorted(starts) and starts[0] >= "2026-11-03T00:00:00-05:00"


def test_usage_rounds_a_partial_hour_up_and_converts_offsets_to_bogota(gateway_client):
    params = {"from": "2026-11-03T15:00:00Z", "to": "2026-11-03T16:30:00Z"}
    window = gateway_client.get(f"/lines/{LINE}/usage", token=ASESOR, params=params).json()["window"]
    assert window["from"] == "2026-11-03T10:00:00-05:00" and window["hours"] == 2


@pytest.mark.parametrize(
    "start, end, says",
    [
        ("2026-10-01T00:00:00-05:00", "2026-11-04T00:00:00-05:00", "at most 31 days"),
        ("2026-11-04T00:00:00-05:00", "2026-11-03T00:00:00-05:00", "must be after"),
        ("2026-11-04T00:00:00-05:00", "2026-11-04T00:00:00-05:00", "must be after"),
    ],
)
def test_usage_window_rules_are_a_422(gateway_client, start, end, says):
    response = gateway_client.get(f"/lines/{LINE}/usage", token=ASESOR, params={"from": start, "to": end})
    assert response.status_code == 422 and says in response.json()["detail"]
    assert gateway_client.backoffice.calls == []


def test_usage_of_exactly_31_days_is_read(gateway_client):
    params = {"from": "2026-10-04T08:00:00-05:00", "to": "2026-11-04T08:00:00-05:00", "pageSize": 1}
    assert gateway_client.get(f"/lines/{LINE}/usage", token=ASESOR, params=params).json()["window"]["hours"] == 744


def test_usage_unknown_line_404_and_timeout_504_name_cci(gateway_client):
    params = {"from": "2026-11-03T00:00:00-05:00", "to": "2026-11-04T00:00:00-05:00"}
    _assert_problem(gateway_client.get("/lines/3000000000/usage", token=ASESOR, params=params), 404, "cci")
    _timeout(gateway_client, "cci")
    _assert_problem(gateway_client.get(f"/lines/{LINE}/usage", token=ASESOR, params=params), 504, "cci")
