"""Management practices: the catalogue, recording one held (the leader checked in Almabi), the weekly adherence
(through the gateway, against counts made here) and the adherence computation itself (pure)."""

from __future__ import annotations

import datetime as dt

from claro_backoffice.gateway.services import adherence

COORD = "dev-coordinador"
MONDAY = dt.date(2026, 11, 2)  # 2026-W45


def _post(gateway_client, **body):
    return gateway_client.post("/practices", json=body, token=COORD)


def test_catalogue_has_the_procedures_goals(gateway_client):
    items = {p["code"]: p for p in gateway_client.get("/practices/catalogue", token=COORD).json()}
    assert len(items) == 9
    assert items["confirmacion-funciones"]["goals"] == {"coordinador": 3, "gerente": 1}
    assert items["dialogo-diario"]["frequency"] == "daily" and items["dialogo-diario"]["durationMinutes"] == 15
    assert items["circuito-mejora-continua"]["roles"] == ["coordinador"]


def test_a_practice_is_recorded_on_the_sandbox_clock(gateway_client):
    now = dt.datetime.fromisoformat(gateway_client.backoffice.client("meta").get("/__admin/clock").json()["now"])
    created = _post(gateway_client, practiceCode="dialogo-diario", ledBy="sup.premium02", attendees=9)
    assert created.status_code == 201, created.text
    body = created.json()
    assert body["teamId"] == "TEAM02" and body["durationMinutes"] == 15 and body["leaderRole"] == "supervisor"
    assert body["week"] == adherence.week_name(now.date()) and body["heldAt"][:10] == now.date().isoformat()
    listed = gateway_client.get("/practices", params={"leader": "sup.premium02"}, token=COORD).json()
    assert [p["id"] for p in listed] == [body["id"]]


def test_leader_role_and_team_are_checked_in_almabi(gateway_client):
    cases = [
        ({"practiceCode": "circuito-mejora-continua", "ledBy": "sup.premium01"}, "coordinador"),
        ({"practiceCode": "dialogo-diario", "ledBy": "asesor.premium01"}, "not a leader"),
        ({"practiceCode": "dialogo-diario", "ledBy": "nadie.premium99"}, "not an agent"),
        ({"practiceCode": "dialogo-diario", "ledBy": "sup.premium01", "teamId": "TEAM02"}, "leads TEAM01"),
        (
            {"practiceCode": "agenda-lider", "ledBy": "ger.premium01", "heldAt": "2030-01-01T08:00:00-05:00"},
            "after the sandbox's now",
        ),
    ]
    for body, said in cases:
        response = _post(gateway_client, **body)
        assert response.status_code == 422 and said in response.json()["detail"], (body, response.text)
    assert gateway_client.get("/practices", params={"leader": "nadie.premium99"}, token=COORD).status_code == 404


def test_week_adherence_against_counts_made_here(gateway_client):
    held = [("dialogo-diario", "sup.premium02", d) for d in ("02", "03", "04", "04")]
    held += [("confirmacion-funciones", "coord.premium01", d) for d in ("02", "03", "05", "06")]
    held += [("dialogo-semanal", "ger.premium01", "03"), ("reunion-mejora-continua", "coord.premium02", "27")]
    assert gateway_client.post("/admin/clock", json={"set": "2026-11-08T20:00:00-05:00"}).status_code == 200
    for code, leader, day in held:
        month = "10" if day == "27" else "11"
        response = _post(gateway_client, practiceCode=code, ledBy=leader, heldAt=f"2026-{month}-{day}T09:00:00-05:00")
        assert response.status_code == 201, response.text
    body = gateway_client.get("/practices/adherence", params={"week": "2026-W45"}, token=COORD).json()
    leaders = {row["username"]: row for row in body["leaders"]}
    shifts = (
        gateway_client.backoffice.client("almabi")
        .get("/shifts", params={"from": "2026-11-02", "to": "2026-11-08", "agent_id": "AGT0005", "status": "scheduled"})
        .json()["shifts"]
    )
    days = len({s["date"] for s in shifts})
    sup = {p["practiceCode"]: p for p in leaders["sup.premium02"]["practices"]}
    assert sup["dialogo-diario"]["goal"] == days and sup["dialogo-diario"]["done"] == 4
    assert sup["dialogo-diario"]["achieved"] == min(days, 3)  # two on the 4th count as one day
    coord = {p["practiceCode"]: p for p in leaders["coord.premium01"]["practices"]}
    assert (coord["confirmacion-funciones"]["goal"], coord["confirmacion-funciones"]["achieved"]) == (3, 3)
    other = {p["practiceCode"]: p for p in leaders["coord.premium02"]["practices"]}
    assert other["reunion-mejora-continua"]["done"] == 0  # W44 belongs to the fortnight W43-W44
    manager = leaders["ger.premium01"]
    # gerente: diálogo semanal 1, confirmación de funciones 1, agenda 1, adherencia 1 (+ barómetro, not this week)
    assert (manager["goal"], manager["achieved"], manager["adherence"]) == (4, 1, 25.0)
    assert set(leaders) == {"ger.premium01", "coord.premium01", "coord.premium02"} | {
        f"sup.premium0{n}" for n in range(1, 7)
    }
    assert body["goal"] == sum(r["goal"] for r in body["leaders"])
    assert body["adherence"] == round(100 * body["achieved"] / body["goal"], 2)


# ---- the computation, pure -------------------------------------------------------------------------------------
CATALOGUE = [
    {"code": "d", "frequency": "daily", "goals": {"supervisor": 1}},
    {"code": "w", "frequency": "weekly", "goals": {"coordinador": 3}},
    {"code": "f", "frequency": "fortnightly", "goals": {"coordinador": 1}},
    {"code": "s", "frequency": "semiannual", "goals": {"coordinador": 1}},
]


def test_periods_of_each_frequency():
    assert adherence.period("fortnightly", MONDAY) == (dt.date(2026, 11, 2), dt.date(2026, 11, 15), False)
    w46 = dt.date(2026, 11, 9)
    assert adherence.period("fortnightly", w46) == (dt.date(2026, 11, 2), dt.date(2026, 11, 15), True)
    last = dt.date(2026, 12, 28)  # 2026-W53: the semester's last week, a fortnight on its own
    assert adherence.period("fortnightly", last) == (last, dt.date(2027, 1, 3), True)
    assert adherence.period("semiannual", last) == (dt.date(2026, 6, 29), dt.date(2027, 1, 3), True)
    assert adherence.period("semiannual", MONDAY)[2] is False
    assert adherence.parse_week("2026-W45") == MONDAY and adherence.week_name(MONDAY) == "2026-W45"


def test_compute_caps_each_practice_and_counts_only_due_periods():
    leaders = [{"username": "s1", "role": "supervisor"}, {"username": "c1", "role": "coordinador"}]
    held = [
        {"practiceCode": "d", "ledBy": "s1", "date": "2026-11-02"},
        {"practiceCode": "d", "ledBy": "s1", "date": "2026-11-02"},
        {"practiceCode": "d", "ledBy": "s1", "date": "2026-11-09"},  # next week
        {"practiceCode": "w", "ledBy": "c1", "date": "2026-11-03"},
    ] + [{"practiceCode": "f", "ledBy": "c1", "date": "2026-11-04"}] * 2
    result = adherence.compute(CATALOGUE, leaders, held, MONDAY, {"s1": 4})
    s1, c1 = result["leaders"]
    assert (s1["goal"], s1["achieved"], s1["adherence"]) == (4, 1, 25.0)
    assert (c1["goal"], c1["achieved"]) == (3, 1)  # f and s are not due in W45
    f = next(p for p in c1["practices"] if p["practiceCode"] == "f")
    assert (f["done"], f["achieved"], f["counted"]) == (2, 1, False)
    assert (result["goal"], result["achieved"], result["adherence"]) == (7, 2, round(200 / 7, 2))
    due = adherence.compute(CATALOGUE, leaders[1:], held, dt.date(2026, 11, 9), {})
    assert (due["leaders"][0]["goal"], due["leaders"][0]["achieved"]) == (4, 1)  # w 0/3 + f 1/1
