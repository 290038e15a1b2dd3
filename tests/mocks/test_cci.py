"""CCI through HTTP: a line's connection records, derived deterministically and consistent with the world (line,
plan, status, cells, incidents), the virtual clock, paging, fixtures planting outages, and useful 404s/400s."""

from __future__ import annotations

import datetime as dt

import pytest

WORLD_NOW = "2026-11-04T08:00:00-05:00"
MAINTENANCE_LINE = "3221973338"  # home cell CTG0002-1: maintenance window INC005100004 since 2026-11-03 05:00
DEGRADED_LINE = "3214568611"  # home cell BOG0003-2: degradation INC005100003 since 2026-11-03 04:00
QUIET_LINE = "3147216702"  # home cell BOG0001-3: no incident
SUSPENDED_LINE = "3133860196"  # suspended (mora) on 2026-10-21


@pytest.fixture
def cci(mock_client):
    client = mock_client("cci")
    assert client.post("/__admin/clock", json={"set": WORLD_NOW, "frozen": True}).status_code == 200
    return client


def _get(client, url, status=200):
    response = client.get(url)
    assert response.status_code == status, response.text
    return response.json()


def _all(client, msisdn, query, page_size=200):
    """Every record of a window, page by page."""
    out, page = [], 1
    while True:
        body = _get(client, f"/lines/{msisdn}/records?{query}&page={page}&page_size={page_size}")
        out += body["records"]
        if page >= body["total_pages"]:
            assert len(out) == body["total"]
            return out
        page += 1


def _at(text):
    return dt.datetime.fromisoformat(text)


def _plant(client, *changes, status=200):
    response = client.post("/__admin/fixtures", json={"description": "test", "changes": list(changes)})
    assert response.status_code == status, response.text
    return response.json()


def test_lines_match_the_world(cci, world):
    lines = world.tables["lines"]
    volte = {s["msisdn"]: s["volte_status"] for s in world.tables["line_settings"]}
    cells = world.index("cells", "cell_id")
    for line in lines[::6] + [ln for ln in lines if ln["status"] == "suspendida"]:
        got = _get(cci, f"/lines/{line['msisdn']}")
        assert (
            got["account_number"],
            got["customer_id"],
            got["status"],
            got["plan"]["plan_code"],
            got["line_type"],
            got["suspended_at"],
            got["volte_status"],
        ) == (
            line["account_number"],
            line["customer_id"],
            line["status"],
            line["plan_code"],
            line["line_type"],
            line["suspended_at"],
            volte[line["msisdn"]],
        )
        assert got["home_cell"]["cell_id"] == line["home_cell_id"]
        assert got["home_cell"]["technology"] == cells[line["home_cell_id"]]["technology"]
        assert got["records_from"].startswith(line["activation_date"])


def test_records_are_deterministic_and_pages_add_up(cci):
    query = "start=2026-11-01T00:00:00-05:00&hours=48"
    whole = _all(cci, QUIET_LINE, query)
    assert len(whole) > 40
    assert _all(cci, QUIET_LINE, query, page_size=7) == whole
    assert _all(cci, QUIET_LINE, query) == whole
    # Any window is the same records: a sub-window is exactly the records of the big one that started in it.
    part = _all(cci, QUIET_LINE, "start=2026-11-01T09:30:00-05:00&hours=5")
    assert part == [
        r for r in whole if _at("2026-11-01T09:30:00-05:00") <= _at(r["started_at"]) < _at("2026-11-01T14:30:00-05:00")
    ]
    assert part and [r["started_at"] for r in whole] == sorted(r["started_at"] for r in whole)
    assert len({r["record_id"] for r in whole}) == len(whole)


def test_a_page_past_the_end_is_empty(cci):
    body = _get(cci, f"/lines/{QUIET_LINE}/records?start=2026-11-01T00:00:00-05:00&hours=2&page=5000&page_size=200")
    assert body["records"] == [] and body["page"] == 5000 and body["total"] < 200


@pytest.mark.parametrize("msisdn, volte", [(DEGRADED_LINE, False), (QUIET_LINE, True)])
def test_records_are_shaped_by_type_line_and_cell(cci, world, msisdn, volte):
    cells = world.index("cells", "cell_id")
    line = _get(cci, f"/lines/{msisdn}")
    assert (line["volte_status"] == "active") == volte
    records = _all(cci, msisdn, "start=2026-10-20T00:00:00-05:00&hours=168")
    assert {r["type"] for r in records} == {"voice", "data", "sms"}
    for r in records:
        assert _at(r["ended_at"]) - _at(r["started_at"]) == dt.timedelta(seconds=r["duration_s"])
        technology = cells[r["cell_id"]]["technology"]
        if r["type"] == "data":
            assert r["rat"] == technology and r["apn"] in ("internet.comcel.com.co", "mms.comcel.com.co")
            assert (r["bytes_down"] > 0) == (r["result"] == "completed")
        elif r["type"] == "voice":
            assert (r["calling_number"] if r["direction"] == "outgoing" else r["called_number"]) == msisdn
            # VoLTE on 4G/5G when the line has it active; otherwise circuit-switched (fallback to 3G on 4G/5G).
            assert r["volte"] == (volte and technology in ("4G", "5G"))
            assert r["rat"] == ("4G" if r["volte"] else "3G" if technology in ("4G", "5G") else technology)
            assert r["result"] != "completed" or r["duration_s"] > 0
        else:
            assert (r["originator"] if r["direction"] == "outgoing" else r["destination"]) == msisdn
    assert any(r["volte"] for r in records if r["type"] == "voice") == volte
    home_share = sum(r["cell_id"] == line["home_cell"]["cell_id"] for r in records) / len(records)
    assert 0.7 < home_share < 0.9
    assert {cells[r["cell_id"]]["municipality_code"] for r in records} == {"11001"}


def test_calls_go_mostly_to_the_lines_frequent_contacts(cci, world):
    account = next(ln["account_number"] for ln in world.tables["lines"] if ln["msisdn"] == QUIET_LINE)
    siblings = {ln["msisdn"] for ln in world.tables["lines"] if ln["account_number"] == account} - {QUIET_LINE}
    friends = {f["number"] for f in world.tables["friends_and_family"] if f["msisdn"] == QUIET_LINE}
    calls = _all(cci, QUIET_LINE, "start=2026-10-01T00:00:00-05:00&hours=744&type=voice")
    others = [c["called_number"] if c["direction"] == "outgoing" else c["calling_number"] for c in calls]
    assert sum(o in siblings | friends for o in others) / len(others) > 0.5


def test_usage_follows_the_plan(cci, world):
    def data_bytes(msisdn):
        return _get(cci, f"/lines/{msisdn}/records?start=2026-10-01T00:00:00-05:00&hours=720&page_size=1")["summary"][
            "data_bytes"
        ]

    active = [ln for ln in world.tables["lines"] if ln["status"] == "activa" and ln["activation_date"] < "2026-09-01"]
    pay_per_use = [ln["msisdn"] for ln in active if ln["plan_code"] == "PRE-BASICO"][:3]
    unlimited = [ln["msisdn"] for ln in active if ln["plan_code"] == "POS-ILIM"][:3]
    assert pay_per_use and unlimited
    assert max(map(data_bytes, pay_per_use)) < 2e9 < 40e9 < min(map(data_bytes, unlimited))


def test_no_records_in_the_future_of_the_virtual_clock(cci):
    today = f"/lines/{QUIET_LINE}/records?start=2026-11-04T00:00:00-05:00&hours=24&page_size=200"
    before = _get(cci, today)
    assert before["records"] and all(_at(r["ended_at"]) <= _at(WORLD_NOW) for r in before["records"])
    assert before["window"]["records_until"] == WORLD_NOW
    assert any("hora actual" in n for n in before["notes"])
    cci.post("/__admin/clock", json={"advance": "PT8H"})
    after = _get(cci, today)
    assert after["total"] > before["total"]
    assert after["records"][: len(before["records"])] == before["records"]  # oldest first: what was seen stays
    future = _get(cci, f"/lines/{QUIET_LINE}/records?start=2026-11-05T00:00:00-05:00&hours=24")
    assert future["total"] == 0 and future["records"] == []


def test_default_window_is_the_last_hours_up_to_now(cci):
    body = _get(cci, f"/lines/{QUIET_LINE}/records?hours=6")
    assert body["window"]["start"] == "2026-11-04T02:00:00-05:00" and body["window"]["end"] == WORLD_NOW
    assert (
        body["records"] == _get(cci, f"/lines/{QUIET_LINE}/records?start=2026-11-04T02:00:00-05:00&hours=6")["records"]
    )


def test_a_suspended_line_has_no_records_after_its_suspension(cci):
    body = _get(cci, f"/lines/{SUSPENDED_LINE}/records?start=2026-10-15T00:00:00-05:00&hours=240&page_size=200")
    assert body["status"] == "suspendida" and body["window"]["records_until"] == "2026-10-21T00:00:00-05:00"
    assert body["total"] > 0
    assert all(_at(r["started_at"]) < _at("2026-10-21T00:00:00-05:00") for r in body["records"])
    assert any("suspendida desde 2026-10-21" in n and "mora" in n for n in body["notes"])
    after = _get(cci, f"/lines/{SUSPENDED_LINE}/records?start=2026-10-25T00:00:00-05:00&hours=24")
    assert after["total"] == 0 and after["records"] == []


def test_no_records_before_activation(cci, world):
    line = next(ln for ln in world.tables["lines"] if ln["msisdn"] == MAINTENANCE_LINE)
    activated = dt.datetime.fromisoformat(line["activation_date"] + "T00:00:00-05:00")
    start = (activated - dt.timedelta(days=2)).isoformat()
    body = _get(cci, f"/lines/{MAINTENANCE_LINE}/records?start={start.replace('+', '%2B')}&hours=96&page_size=200")
    assert body["window"]["records_from"] == activated.isoformat()
    assert body["total"] > 0 and all(_at(r["started_at"]) >= activated for r in body["records"])
    assert any(line["activation_date"] in n for n in body["notes"])


def test_filters_by_type_and_result(cci):
    query = "start=2026-11-03T00:00:00-05:00&hours=24"
    everything = _all(cci, MAINTENANCE_LINE, query)
    for kind in ("voice", "data", "sms"):
        assert _all(cci, MAINTENANCE_LINE, f"{query}&type={kind}") == [r for r in everything if r["type"] == kind]
    failed = _all(cci, MAINTENANCE_LINE, f"{query}&result=failed")
    assert failed == [r for r in everything if r["result"] == "failed"] and failed


def test_a_maintenance_window_in_the_world_makes_attempts_fail(cci):
    body = _get(cci, f"/lines/{MAINTENANCE_LINE}/records?start=2026-11-03T00:00:00-05:00&hours=24&page_size=1")
    assert [(i["aviso"], i["impact"]) for i in body["incidents"]] == [(5100004, "maintenance")]
    records = _all(cci, MAINTENANCE_LINE, "start=2026-11-03T00:00:00-05:00&hours=24")
    opened = _at("2026-11-03T05:00:00-05:00")
    on_site = [r for r in records if r["cell_id"].startswith("CTG0002-")]
    during = [r for r in on_site if _at(r["started_at"]) >= opened]
    assert during and all(r["result"] == "failed" and r["incident_id"] == "INC005100004" for r in during)
    assert {r["failure_cause"] for r in during} <= {"cell_unavailable", "subscriber_unreachable"}
    assert all(r["incident_id"] is None for r in on_site if _at(r["started_at"]) < opened)
    elsewhere = [r for r in records if not r["cell_id"].startswith("CTG0002-")]
    assert all(r["incident_id"] is None for r in elsewhere)


def test_a_retry_spilling_into_the_next_hour_is_in_that_hours_window(cci):
    whole = _all(cci, MAINTENANCE_LINE, "start=2026-11-03T05:00:00-05:00&hours=27")
    spilled = [
        r
        for r in whole
        if r["record_id"].endswith("R")
        and _at(r["started_at"]).timestamp() // 3600 != int(r["record_id"].split("-")[1])
    ]
    assert spilled
    for r in spilled:
        begin = _at(r["started_at"]).replace(minute=0, second=0).isoformat().replace("+", "%2B")
        assert r in _all(cci, MAINTENANCE_LINE, f"start={begin}&hours=1")


def test_a_degraded_cell_fails_part_of_the_attempts(cci):
    records = _all(cci, DEGRADED_LINE, "start=2026-11-03T04:00:00-05:00&hours=28")
    on_site = [r for r in records if r["cell_id"].startswith("BOG0003-")]
    assert on_site and all(r["incident_id"] == "INC005100003" for r in on_site)
    failed = [r for r in on_site if r["result"] == "failed"]
    assert 0 < len(failed) < len(on_site)
    assert sum(r["failure_cause"] == "radio_degraded" for r in failed) > len(failed) / 2


def test_a_planted_outage_makes_the_lines_attempts_fail_only_inside_it(cci):
    query = "start=2026-11-02T00:00:00-05:00&hours=24"
    baseline = _all(cci, QUIET_LINE, query)
    assert all(r["incident_id"] is None for r in baseline)
    _plant(
        cci,
        {
            "table": "incidents",
            "insert": [
                {
                    "incident_id": "INC009000001",
                    "aviso": 9000001,
                    "site_id": "BOG0001",
                    "impact": "outage",
                    "state": "resolved",
                    "opened_at": "2026-11-02T10:00:00-05:00",
                    "estimated_resolution_at": "2026-11-02T14:00:00-05:00",
                    "resolved_at": "2026-11-02T16:00:00-05:00",
                }
            ],
        },
    )
    planted = _all(cci, QUIET_LINE, query)
    start, end = _at("2026-11-02T10:00:00-05:00"), _at("2026-11-02T16:00:00-05:00")

    def hit(r):
        return r["cell_id"].startswith("BOG0001-") and start <= _at(r["started_at"]) < end

    hits = [r for r in planted if hit(r)]
    assert hits and all(r["result"] == "failed" and r["incident_id"] == "INC009000001" for r in hits)
    assert any(r["record_id"].endswith("R") for r in hits)  # the customer retried
    # Outside the outage (or on other cells) nothing changed.
    assert [r for r in planted if not hit(r)] == [r for r in baseline if not hit(r)]
    # Retries spilling into the next hour belong to every window that holds their start.
    for hour in range(10, 17):
        begin = _at(f"2026-11-02T{hour:02d}:00:00-05:00")
        part = _all(cci, QUIET_LINE, f"start=2026-11-02T{hour:02d}:00:00-05:00&hours=1")
        assert part == [r for r in planted if begin <= _at(r["started_at"]) < begin + dt.timedelta(hours=1)]
    body = _get(cci, f"/lines/{QUIET_LINE}/records?{query}&page_size=1")
    assert body["incidents"][0]["aviso"] == 9000001 and body["incidents"][0]["failed"] == len(hits)
    cci.post("/__admin/reset")
    cci.post("/__admin/clock", json={"set": WORLD_NOW, "frozen": True})
    assert _all(cci, QUIET_LINE, query) == baseline


def test_an_open_outage_lasts_past_its_estimate_until_now(cci):
    _plant(
        cci,
        {
            "table": "incidents",
            "insert": [
                {
                    "incident_id": "INC009000002",
                    "aviso": 9000002,
                    "site_id": "BOG0001",
                    "opened_at": "2026-11-04T01:00:00-05:00",
                    "estimated_resolution_at": "2026-11-04T03:00:00-05:00",
                }
            ],
        },
    )
    records = _all(cci, QUIET_LINE, "start=2026-11-04T01:00:00-05:00&hours=7")
    home = [r for r in records if r["cell_id"].startswith("BOG0001-")]
    assert home and all(r["result"] == "failed" for r in home)
    assert any(_at(r["started_at"]) >= _at("2026-11-04T03:00:00-05:00") for r in home)


def test_a_line_suspended_by_fixture_stops_having_records(cci):
    _plant(
        cci,
        {
            "table": "lines",
            "update": {
                "where": {"msisdn": QUIET_LINE},
                "set": {
                    "status": "suspendida",
                    "suspended_at": "2026-11-02T12:00:00-05:00",
                    "suspension_reason": "hurto",
                },
            },
        },
    )
    body = _get(cci, f"/lines/{QUIET_LINE}/records?start=2026-11-02T00:00:00-05:00&hours=48&page_size=200")
    assert body["total"] > 0 and body["window"]["records_until"] == "2026-11-02T12:00:00-05:00"
    assert all(_at(r["started_at"]) < _at("2026-11-02T12:00:00-05:00") for r in body["records"])
    refused = _plant(
        cci,
        {"table": "lines", "update": {"where": {"msisdn": DEGRADED_LINE}, "set": {"status": "suspendida"}}},
        status=422,
    )
    assert "suspended_line_needs_suspended_at" in refused["detail"]


@pytest.mark.parametrize(
    "number, words",
    [
        ("6016592603", ["6016592603", "fixed line"]),
        ("46271064", ["46271064", "RR"]),
        ("90444884", ["cuenta matriz"]),
        ("4985774199", ["mobile account (AC)", "3178280924"]),
        ("3000000000", ["3000000000", "does not exist"]),
        ("123456789", ["not a mobile number"]),
    ],
)
def test_numbers_that_are_not_lines_are_404_saying_what_they_are(cci, number, words):
    for url in (f"/lines/{number}", f"/lines/{number}/records"):
        response = cci.get(url)
        assert response.status_code == 404
        assert response.headers["content-type"].startswith("application/problem+json")
        assert all(word in response.json()["detail"] for word in words), response.json()


def test_the_country_code_is_accepted(cci):
    assert _get(cci, f"/lines/57{QUIET_LINE}")["msisdn"] == QUIET_LINE


@pytest.mark.parametrize(
    "query, word",
    [
        ("hours=0", "minimum of 1"),
        ("hours=745", "maximum of 744"),
        ("page_size=201", "maximum of 200"),
        ("page=0", "minimum of 1"),
        ("type=fax", "fax"),
        ("start=ayer", "RFC 3339"),
    ],
)
def test_bad_windows_and_pages_are_400(cci, query, word):
    response = cci.get(f"/lines/{QUIET_LINE}/records?{query}")
    assert response.status_code == 400
    assert word in response.json()["detail"]


def test_a_start_in_utc_is_shown_in_bogota_time_and_far_dates_are_empty(cci):
    utc = _get(cci, f"/lines/{QUIET_LINE}/records?start=2026-11-01T05:00:00Z&hours=3")
    assert utc["window"]["start"] == "2026-11-01T00:00:00-05:00"
    assert _get(cci, f"/lines/{QUIET_LINE}/records?start=1900-01-01T00:00:00Z&hours=744")["total"] == 0
    assert _get(cci, f"/lines/{QUIET_LINE}/records?start=9999-12-31T23:00:00Z&hours=744")["total"] == 0
