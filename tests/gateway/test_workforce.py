"""GET /workforce/*: Almabi's agents, attendance and the AUSENTISMO / ROTACIÓN counts, checked against Almabi's own
records (read from the mock) and counts computed here."""

from __future__ import annotations

SUP = "dev-supervisor"
WEEK = {"from": "2026-10-26", "to": "2026-11-01"}


def _almabi(gateway_client, path, **params):
    return gateway_client.backoffice.client("almabi").get(path, params=params).json()


def test_agents_carry_their_chain_of_command(gateway_client):
    agents = gateway_client.get("/workforce/agents", params={"team": "TEAM02"}, token=SUP).json()
    raw = _almabi(gateway_client, "/agents", team_id="TEAM02")["agents"]
    assert sorted(a["id"] for a in agents) == sorted(a["agent_id"] for a in raw) and agents
    first = next(a for a in agents if a["username"] == "asesor.premium01")
    assert first["supervisor"]["username"] == "sup.premium02" and first["coordinator"]["username"] == "coord.premium01"
    assert first["manager"]["username"] == "ger.premium01" and first["hireDate"] == "2024-10-12"


def test_attendance_per_agent_and_day_matches_almabi(gateway_client):
    body = gateway_client.get("/workforce/attendance", params=WEEK | {"team": "TEAM02"}, token=SUP).json()
    shifts = _almabi(gateway_client, "/shifts", team_id="TEAM02", status="scheduled", limit=1000, **WEEK)["shifts"]
    records = _almabi(gateway_client, "/attendance", team_id="TEAM02", limit=1000, **WEEK)["attendance"]
    by_shift = {r["shift_id"]: r for r in records}
    assert [r["shiftId"] for r in body["records"]] == [s["shift_id"] for s in shifts]
    for record in body["records"]:
        raw = by_shift.get(record["shiftId"])
        assert record["status"] == (raw["status"] if raw else "unrecorded")
        if record["status"] == "absent":
            assert record["absenceReason"] == raw["absence_reason"]
    absent = sum(1 for r in records if r["status"] == "absent")
    assert body["totals"]["absent"] == absent and body["totals"]["scheduled"] == len(shifts)


def _pages(gateway_client, path: str, key: str, **params) -> list[dict]:
    found: list[dict] = []
    while True:
        page = _almabi(gateway_client, path, limit=1000, offset=len(found), **params)
        found += page[key]
        if len(found) >= page["total"]:
            return found


def test_absenteeism_and_rotation_as_the_procedure_writes_them(gateway_client, world):
    # The sandbox's clock is 2026-11-04 08:00: the window's last days have scheduled shifts not registered yet.
    window = {"from": "2026-10-08", "to": "2026-11-06"}
    body = gateway_client.get("/workforce/summary", params=window, token="dev-gerente").json()
    records = _pages(gateway_client, "/attendance", "attendance", role="asesor", **window)
    shifts = [
        s for s in _pages(gateway_client, "/shifts", "shifts", status="scheduled", **window) if s["role"] == "asesor"
    ]
    absent = sum(1 for r in records if r["status"] == "absent")
    assert absent > 0 and len(shifts) > len(records)  # some scheduled shifts are unregistered
    absenteeism = body["absenteeism"]
    # "agentes faltantes / el total de agentes programados": absent ÷ scheduled, unregistered ones included
    assert (absenteeism["numerator"], absenteeism["denominator"]) == (absent, len(shifts))
    assert absenteeism["value"] == round(100 * absent / len(shifts), 2)
    assert absenteeism["unrecorded"] == len(shifts) - len(records)
    registered = absenteeism["overRegistered"]
    assert (registered["numerator"], registered["denominator"]) == (absent, len(records))
    assert registered["value"] == round(100 * absent / len(records), 2) and registered["definition"]
    asesores = [a for a in world.tables["agents"] if a["role"] == "asesor"]

    def employed(day):
        return sum(1 for a in asesores if a["hire_date"] <= day and (a["exit_date"] is None or a["exit_date"] > day))

    exits = sum(1 for a in asesores if a["exit_date"] and window["from"] <= a["exit_date"] <= window["to"])
    rotation = body["rotation"]
    # "agentes retirados / el total de agentes activos": exits ÷ asesores active on the window's first day
    active = employed(window["from"])
    assert (rotation["numerator"], rotation["denominator"]) == (exits, active) and exits > 0
    assert rotation["value"] == round(100 * exits / active, 2)
    assert active != (active + employed(window["to"])) / 2  # the two formulas differ in this window
    average = rotation["overAverageHeadcount"]
    assert (average["numerator"], average["denominator"]) == (exits, (active + employed(window["to"])) / 2)
    assert average["value"] == round(100 * exits / average["denominator"], 2) and average["definition"]


def test_service_functions_for_the_indicators_filter_by_team(gateway_client):
    from claro_backoffice.gateway.backoffice.base import CallContext
    from claro_backoffice.gateway.services import workforce

    office = gateway_client.app.runtime.backoffice
    team = workforce.absenteeism(office, CallContext(), "2026-10-05", "2026-11-03", "TEAM01")
    summary = _almabi(
        gateway_client,
        "/reports/attendance-summary",
        team_id="TEAM01",
        role="asesor",
        **{"from": "2026-10-05", "to": "2026-11-03"},
    )
    totals = summary["totals"]
    assert team["numerator"] == totals["absent"]
    assert team["denominator"] == totals["scheduled"]
    assert team["overRegistered"]["denominator"] == totals["present"] + totals["late"] + totals["absent"]


def test_a_reversed_or_long_window_is_a_422(gateway_client):
    reversed_ = gateway_client.get("/workforce/attendance", params={"from": "2026-11-01", "to": "2026-10-01"})
    long_ = gateway_client.get("/workforce/summary", params={"from": "2026-01-01", "to": "2026-11-01"})
    assert (reversed_.status_code, long_.status_code) == (422, 422)
    assert "before it starts" in reversed_.json()["detail"] and "62 days" in long_.json()["detail"]


def test_advisors_cant_read_the_workforce(gateway_client):
    assert gateway_client.get("/workforce/agents", token="dev-asesor").status_code == 403


def test_almabi_timing_out_is_a_504_naming_it(gateway_client):
    gateway_client.post("/admin/faults", json={"system": "almabi", "kind": "timeout"})
    response = gateway_client.get("/workforce/summary", params=WEEK, token=SUP)
    assert response.status_code == 504 and response.json()["system"] == "almabi"
