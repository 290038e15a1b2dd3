"""SARA through HTTP: zone status by coordinates, site, cell and municipality, consistent with the world; the
time rule of incidents on the virtual clock; fixtures planting outages; problem+json for bad input."""

from __future__ import annotations

import pytest

from claro_backoffice.world.network import distance_km

WORLD_NOW = "2026-11-04T08:00:00-05:00"
DEGRADED_SITE, MAINTENANCE_SITE, QUIET_SITE = "BOG0003", "CTG0002", "BOG0001"


@pytest.fixture
def sara(mock_client):
    client = mock_client("sara")
    assert client.post("/__admin/clock", json={"set": WORLD_NOW, "frozen": True}).status_code == 200
    return client


def _get(client, url, status=200):
    response = client.get(url)
    assert response.status_code == status, response.text
    return response.json()


def _plant(client, *changes, status=200):
    response = client.post("/__admin/fixtures", json={"description": "test", "changes": list(changes)})
    assert response.status_code == status, response.text
    return response.json()


def _states(client, site_id):
    return {c["cell_id"]: c["state"] for c in _get(client, f"/sites/{site_id}")["cells"]}


def test_every_cell_reads_as_the_world_says(sara, world):
    incidents = {i["site_id"]: i for i in world.tables["incidents"] if i["scope"] == "cell" and not i["resolved_at"]}
    for cell in world.tables["cells"]:
        got = _get(sara, f"/cells/{cell['cell_id']}")
        assert (got["site_id"], got["municipality_code"], got["technology"], got["state"]) == (
            cell["site_id"],
            cell["municipality_code"],
            cell["technology"],
            cell["state"],
        )
        assert (got["latitude"], got["longitude"]) == (cell["latitude"], cell["longitude"])
        if cell["state"] == "in_service":
            assert got["ticket"] is None
        else:
            incident = incidents[cell["site_id"]]
            assert got["ticket"]["incident_id"] == incident["incident_id"]
            assert got["ticket"]["aviso"] == incident["aviso"]
            assert got["ticket"]["estimated_resolution_at"] == incident["estimated_resolution_at"]
            assert got["ticket"]["state"] == incident["state"] and got["ticket"]["active"] is True


def test_the_world_has_the_expected_radio_incidents(sara):
    assert set(_states(sara, DEGRADED_SITE).values()) == {"degraded"}
    assert set(_states(sara, MAINTENANCE_SITE).values()) == {"maintenance"}
    site = _get(sara, f"/sites/{MAINTENANCE_SITE}")
    assert [i["incident_id"] for i in site["incidents"]] == ["INC005100004"]
    assert site["summary"] == {
        "cells": 3,
        "in_service": 0,
        "degraded": 0,
        "outage": 0,
        "maintenance": 3,
        "worst_state": "maintenance",
    }
    assert "AVISO 5100004" in site["message"] and "22:00" in site["message"]


def test_coordinates_search_lists_nearest_cells_with_their_distance(sara, world):
    lat, lon, radius = 4.6700, -74.0900, 5000
    body = _get(sara, f"/cells?latitude={lat}&longitude={lon}&radius_m={radius}&limit=100")
    expected = sorted(
        (round(distance_km(lat, lon, c["latitude"], c["longitude"]) * 1000), c["cell_id"])
        for c in world.tables["cells"]
        if distance_km(lat, lon, c["latitude"], c["longitude"]) * 1000 <= radius
    )
    assert expected, "the test point must have cells around it"
    assert [(c["distance_m"], c["cell_id"]) for c in body["cells"]] == expected
    assert body["total"] == len(expected) and body["summary"]["cells"] == len(expected)
    assert body["query"] == {"latitude": lat, "longitude": lon, "radius_m": radius, "technology": None}
    assert body["checked_at"] == WORLD_NOW


def test_coordinates_search_on_an_affected_site_tells_the_aviso(sara):
    body = _get(sara, "/cells?latitude=4.67451&longitude=-74.08241&radius_m=100")
    assert [c["cell_id"] for c in body["cells"]] == ["BOG0003-1", "BOG0003-2", "BOG0003-3"]
    assert {c["distance_m"] for c in body["cells"]} == {0}
    assert body["summary"]["degraded"] == 3 and body["summary"]["worst_state"] == "degraded"
    assert "AVISO 5100003" in body["message"] and "18:00" in body["message"]


def test_coordinates_search_limit_technology_and_empty_zone(sara, world):
    body = _get(sara, "/cells?latitude=4.6486&longitude=-74.1003&radius_m=20000&limit=2")
    within = [c for c in world.tables["cells"] if distance_km(4.6486, -74.1003, c["latitude"], c["longitude"]) <= 20]
    assert {c["municipality_code"] for c in within} == {"11001", "25754"}  # Bogotá and Soacha
    assert len(body["cells"]) == 2 and body["total"] == len(within) == body["summary"]["cells"]
    only_4g = _get(sara, "/cells?latitude=4.6486&longitude=-74.1003&radius_m=20000&technology=4G")
    assert only_4g["cells"] and {c["technology"] for c in only_4g["cells"]} == {"4G"}
    sea = _get(sara, "/cells?latitude=13.0&longitude=-80.0&radius_m=20000")
    assert (
        sea["cells"] == [] and sea["total"] == 0 and sea["message"] == "No hay celdas de Claro en la zona consultada."
    )


@pytest.mark.parametrize(
    "query, word",
    [  # connexion's detail names the bound broken (or the missing parameter)
        ("latitude=4.6&longitude=-74.1&radius_m=50", "minimum of 100"),
        ("latitude=4.6&longitude=-74.1&radius_m=20001", "maximum of 20000"),
        ("latitude=40.4&longitude=-3.7", "maximum of 13.5"),
        ("latitude=4.6&longitude=-60.0", "maximum of -66.8"),
        ("longitude=-74.1", "latitude"),
    ],
)
def test_coordinates_out_of_bounds_are_bad_requests(sara, query, word):
    response = sara.get(f"/cells?{query}")
    assert response.status_code == 400
    assert response.headers["content-type"].startswith("application/problem+json")
    assert word in response.json()["detail"]


def test_municipality_search(sara, world):
    bogota = [c for c in world.tables["cells"] if c["municipality_code"] == "11001"]
    body = _get(sara, "/municipalities/11001/cells")
    assert sorted(c["cell_id"] for c in body["cells"]) == sorted(c["cell_id"] for c in bogota)
    assert body["municipality"] == "Bogotá, D.C." and body["department_code"] == "11"
    degraded = _get(sara, "/municipalities/11001/cells?state=degraded")
    assert [c["cell_id"] for c in degraded["cells"]] == ["BOG0003-1", "BOG0003-2", "BOG0003-3"]
    listed = _get(sara, "/municipalities?name=BOGOTA")["municipalities"]
    assert [m["code"] for m in listed] == ["11001"]
    assert listed[0]["summary"]["degraded"] == 3 and listed[0]["sites"] == len({c["site_id"] for c in bogota})
    antioquia = _get(sara, "/municipalities?department_code=05")["municipalities"]
    assert sorted(m["name"] for m in antioquia) == ["Bello", "Itagüí", "Medellín"]


def test_unknown_identifiers_are_404_naming_them(sara):
    for url, words in [
        ("/cells/BOG0003-7", ["BOG0003-7", "BOG0003-1"]),
        ("/sites/ZZZ0001", ["ZZZ0001"]),
        ("/municipalities/99999/cells", ["99999"]),
        ("/incidents/INC000000001", ["INC000000001"]),
        ("/incidents/4999999", ["4999999"]),
    ]:
        body = _get(sara, url, 404)
        assert all(word in body["detail"] for word in words), body


def test_incident_by_id_or_aviso(sara):
    by_id = _get(sara, "/incidents/INC005100003")
    by_aviso = _get(sara, "/incidents/5100003")
    assert by_id == by_aviso
    assert by_id["affected_cells"] == ["BOG0003-1", "BOG0003-2", "BOG0003-3"] and by_id["impact"] == "degraded"
    open_ones = _get(sara, "/incidents")["incidents"]
    assert sorted(i["aviso"] for i in open_ones) == [5100003, 5100004]
    assert _get(sara, "/incidents?municipality_code=13001")["incidents"][0]["site_id"] == MAINTENANCE_SITE


def test_a_plain_row_update_plants_an_outage_cell_without_ticket(sara):
    _plant(sara, {"table": "cells", "update": {"where": {"cell_id": "BOG0001-2"}, "set": {"state": "outage"}}})
    cell = _get(sara, "/cells/BOG0001-2")
    assert cell["state"] == "outage" and cell["ticket"] is None and cell["state_label"] == "Fuera de servicio (caída)"
    assert _states(sara, QUIET_SITE) == {"BOG0001-1": "in_service", "BOG0001-2": "outage", "BOG0001-3": "in_service"}
    zone = _get(sara, "/cells?latitude=4.69284&longitude=-74.09519&radius_m=100")
    assert zone["summary"]["outage"] == 1 and "sin AVISO" in zone["message"]
    sara.post("/__admin/reset")
    sara.post("/__admin/clock", json={"set": WORLD_NOW, "frozen": True})
    assert _get(sara, "/cells/BOG0001-2")["state"] == "in_service"


def test_an_inserted_incident_takes_the_site_down_until_resolved(sara):
    _plant(
        sara,
        {
            "table": "incidents",
            "insert": [
                {
                    "incident_id": "INC009000001",
                    "aviso": 9000001,
                    "site_id": QUIET_SITE,
                    "opened_at": "2026-11-04T07:00:00-05:00",
                    "estimated_resolution_at": "2026-11-04T12:00:00-05:00",
                }
            ],
        },
    )
    cell = _get(sara, "/cells/BOG0001-1")
    assert cell["state"] == "outage"
    assert cell["ticket"]["aviso"] == 9000001 and cell["ticket"]["state"] == "acknowledged"
    assert cell["ticket"]["restoration_overdue"] is False
    # The estimated restoration passes: an outage keeps its state until its ticket is resolved.
    sara.post("/__admin/clock", json={"advance": "PT6H"})
    cell = _get(sara, "/cells/BOG0001-1")
    assert cell["state"] == "outage" and cell["ticket"]["restoration_overdue"] is True
    assert "vencido" in _get(sara, f"/sites/{QUIET_SITE}")["message"]
    _plant(
        sara,
        {
            "table": "incidents",
            "update": {
                "where": {"incident_id": "INC009000001"},
                "set": {"state": "resolved", "resolved_at": "2026-11-04T13:30:00-05:00"},
            },
        },
    )
    assert set(_states(sara, QUIET_SITE).values()) == {"in_service"}
    incident = _get(sara, "/incidents/9000001")
    assert incident["active"] is False and incident["resolved_at"] == "2026-11-04T13:30:00-05:00"
    # Back before the resolution, the outage is seen again; before it opened, it was not there yet.
    sara.post("/__admin/clock", json={"set": "2026-11-04T13:00:00-05:00"})
    assert set(_states(sara, QUIET_SITE).values()) == {"outage"}
    sara.post("/__admin/clock", json={"set": "2026-11-04T06:59:00-05:00"})
    assert set(_states(sara, QUIET_SITE).values()) == {"in_service"}


def test_an_incident_on_one_cell_affects_only_that_cell(sara):
    _plant(
        sara,
        {
            "table": "incidents",
            "insert": [
                {
                    "incident_id": "INC009000002",
                    "aviso": 9000002,
                    "site_id": QUIET_SITE,
                    "cell_id": "BOG0001-3",
                    "impact": "degraded",
                    "opened_at": "2026-11-04T06:00:00-05:00",
                }
            ],
        },
    )
    assert _states(sara, QUIET_SITE) == {"BOG0001-1": "in_service", "BOG0001-2": "in_service", "BOG0001-3": "degraded"}
    assert _get(sara, "/incidents/INC009000002")["affected_cells"] == ["BOG0001-3"]


def test_a_maintenance_window_ends_at_its_scheduled_end(sara):
    sara.post("/__admin/clock", json={"set": "2026-11-04T21:59:00-05:00"})
    assert set(_states(sara, MAINTENANCE_SITE).values()) == {"maintenance"}
    sara.post("/__admin/clock", json={"set": "2026-11-04T22:00:00-05:00"})
    assert set(_states(sara, MAINTENANCE_SITE).values()) == {"in_service"}
    incident = _get(sara, "/incidents/INC005100004")
    assert incident["active"] is False and incident["state"] == "inProgress"  # the ticket itself stays open
    # The degradation whose estimate (18:00) has passed keeps its state.
    cell = _get(sara, "/cells/BOG0003-2")
    assert cell["state"] == "degraded" and cell["ticket"]["restoration_overdue"] is True


def test_before_an_incident_opened_its_cells_were_in_service(sara):
    sara.post("/__admin/clock", json={"set": "2026-11-03T03:59:00-05:00"})
    assert set(_states(sara, DEGRADED_SITE).values()) == {"in_service"}
    sara.post("/__admin/clock", json={"set": "2026-11-03T04:00:00-05:00"})
    assert set(_states(sara, DEGRADED_SITE).values()) == {"degraded"}


def test_a_stored_outage_is_worse_than_an_active_degradation(sara):
    _plant(sara, {"table": "cells", "update": {"where": {"cell_id": "BOG0003-1"}, "set": {"state": "outage"}}})
    assert _states(sara, DEGRADED_SITE) == {"BOG0003-1": "outage", "BOG0003-2": "degraded", "BOG0003-3": "degraded"}
    assert _get(sara, "/cells/BOG0003-1")["ticket"] is None


@pytest.mark.parametrize(
    "change",
    [
        {"table": "cells", "update": {"where": {"cell_id": "BOG0001-1"}, "set": {"state": "broken"}}},
        {
            "table": "incidents",
            "insert": [{"incident_id": "INC1", "aviso": 1, "site_id": "BOG0001", "opened_at": "yesterday"}],
        },
        {
            "table": "incidents",
            "insert": [
                {
                    "incident_id": "INC2",
                    "aviso": 2,
                    "site_id": "BOG0001",
                    "opened_at": "2026-11-04T07:00:00-05:00",
                    "impact": "fire",
                }
            ],
        },
        {
            "table": "cells",
            "insert": [
                {
                    "cell_id": "XXX0001-1",
                    "site_id": "XXX0001",
                    "municipality_code": "99999",
                    "latitude": 4.6,
                    "longitude": -74.1,
                    "technology": "4G",
                }
            ],
        },
    ],
)
def test_fixtures_that_break_sara_rules_are_refused(sara, change):
    body = _plant(sara, change, status=422)
    assert "constraint" in body["detail"].lower() or "is not what sara serves" in body["detail"]
    assert set(_states(sara, QUIET_SITE).values()) == {"in_service"}


def test_a_sandbox_keeps_its_own_outages(sara):
    assert sara.post("/__admin/sandboxes", json={"name": "sara-outage"}).status_code == 201
    try:
        response = sara.post(
            "/__admin/fixtures",
            headers={"X-Sandbox": "sara-outage"},
            json={
                "changes": [
                    {"table": "cells", "update": {"where": {"site_id": QUIET_SITE}, "set": {"state": "outage"}}}
                ]
            },
        )
        assert response.json()["applied"][0]["rows"] == 3
        other = sara.get(f"/sites/{QUIET_SITE}", headers={"X-Sandbox": "sara-outage"}).json()
        assert other["summary"]["outage"] == 3
        assert set(_states(sara, QUIET_SITE).values()) == {"in_service"}
    finally:
        sara.delete("/__admin/sandboxes/sara-outage")
