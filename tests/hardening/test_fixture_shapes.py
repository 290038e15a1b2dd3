"""Issue 12, fixtures: a value planted through POST /__admin/fixtures must be one the system could serve, checked
against the spec's property that serves the column (mocks/kit/served.py, each mock's seed.SERVED_AS). A refusal
is a 422 naming the table, the column, the value (at most 100 characters of it) and what is allowed; the
README's cookbook and every scenario still plant."""

from __future__ import annotations

import importlib
import json

import pytest

from claro_backoffice.core.systems import SYSTEMS
from claro_backoffice.gateway.services import scenarios
from claro_backoffice.mocks.kit.store import DEFAULT_SANDBOX

ACCOUNT = "46271064"  # RR: CUS00000003, active, Bogotá
SERVICE = {
    "account_number": ACCOUNT,
    "service_type": "internet",
    "plan_name": "Internet 300 Mbps",
    "down_mbps": 300,
    "up_mbps": 30,
    "technology": "FTTH",
    "monthly_fee": 99900,
    "status": "activo",
}


def _plant(client, *changes):
    return client.post("/__admin/fixtures", json={"changes": list(changes)})


def _refusal(response) -> str:
    assert response.status_code == 422, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    return response.json()["detail"]


def _account_status(rr, account=ACCOUNT) -> str:
    return rr.get(f"/accounts/{account}").json()["status"]


def test_rr_refuses_an_account_status_it_would_not_serve(mock_client):
    rr = mock_client("rr")
    before = _account_status(rr)
    detail = _refusal(
        _plant(
            rr, {"table": "accounts", "update": {"where": {"account_number": ACCOUNT}, "set": {"status": "volando"}}}
        )
    )
    assert 'accounts.status = "volando"' in detail and 'one of "activo", "suspendido"' in detail, detail
    assert _account_status(rr) == before == "activo"


def test_a_valid_status_is_planted_and_served(mock_client):
    rr = mock_client("rr")
    planted = _plant(
        rr, {"table": "accounts", "update": {"where": {"account_number": ACCOUNT}, "set": {"status": "suspendido"}}}
    )
    assert planted.status_code == 200, planted.text
    assert _account_status(rr) == "suspendido"


def test_a_refused_value_is_quoted_up_to_100_characters(mock_client):
    detail = _refusal(
        _plant(
            mock_client("rr"),
            {"table": "accounts", "update": {"where": {"account_number": ACCOUNT}, "set": {"status": "x" * 5000}}},
        )
    )
    assert '"' + "x" * 99 + "…" in detail and "x" * 100 not in detail


def test_inserted_rows_are_checked_and_a_refusal_applies_nothing(mock_client):
    rr = mock_client("rr")
    detail = _refusal(
        _plant(
            rr,
            {"table": "accounts", "update": {"where": {"account_number": ACCOUNT}, "set": {"status": "suspendido"}}},
            {
                "table": "services",
                "insert": [
                    dict(SERVICE, service_id=f"{ACCOUNT}-91"),
                    dict(SERVICE, service_id=f"{ACCOUNT}-92", technology="DSL"),
                ],
            },
        )
    )
    assert detail.startswith('change 1: services.technology = "DSL"') and '"HFC", "FTTH"' in detail, detail
    assert _account_status(rr) == "activo", "the patch is all or nothing"
    assert f"{ACCOUNT}-91" not in {x["service_id"] for x in rr.get(f"/accounts/{ACCOUNT}").json()["services"]}


def test_a_date_time_column_needs_its_offset(mock_client):
    gestion = mock_client("gestion")
    visit = {
        "appointment_id": "APT00009999",
        "lls_id": "LLS2079999999",
        "account_number": ACCOUNT,
        "zone_id": "ZT-BOG-N002",
        "technician": "TEC-0001",
        "reason": "Sin señal",
        "state": "confirmed",
        "slot_start": "2026-11-05T09:00:00",
        "slot_end": "2026-11-05T11:00:00-05:00",
        "created_at": "2026-11-04T08:00:00-05:00",
        "updated_at": "2026-11-04T08:00:00-05:00",
        "reschedule_count": 0,
        "source": "gestion",
    }
    detail = _refusal(_plant(gestion, {"table": "visits", "insert": [visit]}))
    assert 'visits.slot_start = "2026-11-05T09:00:00"' in detail and "RFC 3339" in detail, detail
    planted = _plant(gestion, {"table": "visits", "insert": [dict(visit, slot_start="2026-11-05T09:00:00-05:00")]})
    assert planted.status_code == 200, planted.text


def test_a_date_column_is_yyyy_mm_dd(mock_client, world):
    almabi = mock_client("almabi")
    agent = world.tables["agents"][0]["agent_id"]
    detail = _refusal(
        _plant(
            almabi, {"table": "agents", "update": {"where": {"agent_id": agent}, "set": {"hire_date": "04/11/2026"}}}
        )
    )
    assert 'agents.hire_date = "04/11/2026"' in detail and "YYYY-MM-DD" in detail, detail


# ---- what must still plant ----------------------------------------------------------------------------------------
@pytest.mark.parametrize("system", SYSTEMS)
def test_every_table_is_declared_and_its_seeded_rows_plant_again(mock_client, mock_apps, system):
    """The declarations match how each table stores what it serves: the seed's own rows are accepted."""
    client = mock_client(system)
    tables = {t["table"] for t in client.get("/__admin/fixtures").json()["tables"]} - {"sqlite_sequence"}
    assert tables == set(importlib.import_module(f"claro_backoffice.mocks.{system}.seed").SERVED_AS)
    db = mock_apps(system).app.config["KIT_RUNTIME"].store.open(DEFAULT_SANDBOX)
    try:
        seeded = {
            t: [{k: _decoded(v) for k, v in row.items()} for row in db[t].rows_where(limit=40)] for t in sorted(tables)
        }
    finally:
        db.close()
    for table, rows in seeded.items():
        if rows:
            planted = _plant(client, {"table": table, "insert": rows})
            assert planted.status_code == 200, f"{system}.{table}: {planted.text}"


def _decoded(value):
    """A JSON text column as a fixture gives it (a list or an object)."""
    if isinstance(value, str) and value[:1] in "[{":
        try:
            return json.loads(value)
        except ValueError:
            return value
    return value


def test_the_readme_cookbook_still_plants(mock_client, world):
    mac = world.tables["cable_modems"][0]["mac_address"]
    credit = world.tables["credits"][0]["credit_id"]
    mobile = next(ln["msisdn"] for ln in world.tables["lines"] if ln["status"] == "activa")
    cookbook = [
        ("diagnosticador", {"table": "incidents", "insert": [{"node": "BOG-N002", "state": "inProgress"}]}),
        ("diagnosticador", {"table": "modem_overrides", "insert": [{"mac_address": mac, "status": "offline"}]}),
        ("sara", {"table": "cells", "update": {"where": {"site_id": "BOG0001"}, "set": {"state": "outage"}}}),
        ("cci", {"table": "cells", "update": {"where": {"site_id": "BOG0001"}, "set": {"technology": "4G"}}}),
        (
            "sara",
            {
                "table": "incidents",
                "insert": [
                    {
                        "incident_id": "INC9001",
                        "aviso": 5109001,
                        "site_id": "BOG0001",
                        "impact": "outage",
                        "opened_at": "2026-11-04T07:00:00-05:00",
                    }
                ],
            },
        ),
        (
            "cmax",
            {
                "table": "recharges",
                "insert": [
                    {
                        "reference": "RC0000000042",
                        "msisdn": mobile,
                        "amount": 15000,
                        "channel": "pse",
                        "status": "not_applied",
                        "requested_at": "2026-11-03T19:20:00-05:00",
                    }
                ],
            },
        ),
        (
            "ascard",
            {
                "table": "installments",
                "update": {
                    "where": {"credit_id": credit, "number": 3},
                    "set": {"status": "overdue", "amount_paid": 0, "paid_at": None},
                },
            },
        ),
        (
            "ac",
            {
                "table": "lines",
                "update": {
                    "where": {"msisdn": mobile},
                    "set": {"status": "suspendida", "suspension_reason": "mora", "suspended_at": "2026-11-01"},
                },
            },
        ),
    ]
    for system, change in cookbook:
        planted = _plant(mock_client(system), change)
        assert planted.status_code == 200, f"{system}: {planted.text}"


@pytest.mark.parametrize("name", scenarios.names())
def test_every_scenario_still_loads(gateway_client, name):
    loaded = gateway_client.post(f"/admin/scenarios/{name}")
    assert loaded.status_code == 200, loaded.text
