"""Módulo de Gestión through HTTP: provisioning consistent with the world, the visit agenda's legal hours and
capacity (driven by the virtual clock), bookings that become LLS orders in RR through the event log, and
reset undoing them in both systems."""

from __future__ import annotations

import datetime as dt

import holidays
import pytest

ACCOUNT = "46271064"  # CUS00000003, Bogotá node BOG-N002 (FTTH), active
SUSPENDED = "15300809"  # CUS00000008, Cartagena, suspended
WEDNESDAY_8AM = "2026-11-04T08:00:00-05:00"


@pytest.fixture
def g(mock_client):
    client = mock_client("gestion")
    freeze(client, WEDNESDAY_8AM)
    return client


@pytest.fixture
def rr(mock_client):
    return mock_client("rr")


def freeze(client, when: str) -> None:
    response = client.post("/__admin/clock", json={"set": when, "frozen": True})
    assert response.status_code == 200, response.text


def advance(client, duration: str) -> None:
    assert client.post("/__admin/clock", json={"advance": duration}).status_code == 200


def book(client, account=ACCOUNT, slot="2026-11-05T09:00:00-05:00", **extra):
    body = {
        "account_number": account,
        "slot_start": slot,
        "reason": "Internet intermitente; módem sin sincronía",
        "contact_phone": "3130568954",
        "advisor": "asesor.premium01",
        **extra,
    }
    return client.post("/visits", json=body)


def slots(client, account=ACCOUNT, **query):
    response = client.get(f"/accounts/{account}/slots", params=query)
    assert response.status_code == 200, response.text
    return response.json()


def starts(search: dict) -> list[str]:
    return [s["slot_start"] for s in search["slots"]]


def rr_lls(rr, account=ACCOUNT) -> dict[str, dict]:
    response = rr.get(f"/accounts/{account}/lls")
    assert response.status_code == 200, response.text
    return {o["lls_id"]: o for o in response.json()["lls"]}


def zone_accounts(world, node="BOG-N002") -> list[str]:
    return [
        a["account_number"]
        for a in world.tables["home_accounts"]
        if a["node"] == node and a["status"] == "activo" and a["account_number"] != ACCOUNT
    ]


# ---- provisioning -----------------------------------------------------------------------------------------------
def test_provisioning_shows_every_world_service_on_its_platform(g, world):
    nodes = world.index("nodes", "node")
    modems = world.index("cable_modems", "account_number")
    services = {}
    for s in world.tables["home_services"]:
        services.setdefault(s["account_number"], []).append(s)
    for account in world.tables["home_accounts"]:
        response = g.get(f"/accounts/{account['account_number']}/provisioning")
        assert response.status_code == 200
        body = response.json()
        assert (body["customer_id"], body["status"], body["node"], body["zone_id"]) == (
            account["customer_id"],
            account["status"],
            account["node"],
            f"ZT-{account['node']}",
        )
        expected = services[account["account_number"]]
        assert [s["service_id"] for s in body["services"]] == [s["service_id"] for s in expected]
        node = nodes[account["node"]]
        for got, want in zip(body["services"], expected, strict=True):
            assert got["service_type"] == want["service_type"] and got["plan_name"] == want["plan_name"]
            if want["service_type"] == "tv":
                assert (got["platform"], got["platform_element"], got["device"]) == ("HEADEND", node["headend"], None)
            elif want["technology"] == "FTTH":
                assert (got["platform"], got["platform_element"]) == ("OLT", f"OLT-{account['node']}")
            else:
                assert got["platform"] == "CMTS" and got["platform_element"].startswith("CMTS-")
            if want["service_type"] != "tv" and account["account_number"] in modems:
                assert got["device"] == modems[account["account_number"]]["mac_address"]
            assert (got["state"] == "suspended") == (want["status"] == "suspendido")


def test_provisioning_of_the_example_account(g):
    body = g.get(f"/accounts/{ACCOUNT}/provisioning").json()
    internet = body["services"][0]
    assert internet == {
        "service_id": "46271064-01",
        "account_number": ACCOUNT,
        "service_type": "internet",
        "plan_name": "Internet Fibra 300 Mbps",
        "technology": "FTTH",
        "platform": "OLT",
        "platform_element": "OLT-BOG-N002",
        "device": "83:4C:62:51:A3:0C",
        "state": "provisioned",
        "detail": None,
        "last_change_at": "2026-03-30T08:00:00-05:00",
        "ready_at": None,
    }


def test_unknown_account_is_a_404_naming_the_system(g):
    response = g.get("/accounts/12345678/provisioning")
    assert response.status_code == 404
    assert response.headers["content-type"].startswith("application/problem+json")
    assert "12345678" in response.json()["detail"] and "Módulo de Gestión" in response.json()["detail"]


def test_reprovision_a_failed_service_is_pending_then_provisioned(g):
    planted = g.post(
        "/__admin/fixtures",
        json={
            "changes": [
                {
                    "table": "provisioning",
                    "update": {
                        "where": {"service_id": "46271064-01"},
                        "set": {"state": "failed", "detail": "La OLT rechazó la ONT: número de serie no autorizado"},
                    },
                }
            ]
        },
    )
    assert planted.status_code == 200
    assert g.get(f"/accounts/{ACCOUNT}/provisioning").json()["services"][0]["state"] == "failed"

    response = g.post(f"/accounts/{ACCOUNT}/services/46271064-01/reprovision", json={"advisor": "asesor.premium01"})
    assert response.status_code == 202
    assert response.json()["state"] == "pending"
    assert response.json()["ready_at"] == "2026-11-04T08:05:00-05:00"
    again = g.post(f"/accounts/{ACCOUNT}/services/46271064-01/reprovision", json={"advisor": "asesor.premium01"})
    assert again.status_code == 409 and "in flight" in again.json()["detail"]

    advance(g, "PT4M")
    assert g.get(f"/accounts/{ACCOUNT}/provisioning").json()["services"][0]["state"] == "pending"
    advance(g, "PT1M")
    service = g.get(f"/accounts/{ACCOUNT}/provisioning").json()["services"][0]
    assert (service["state"], service["last_change_at"], service["detail"]) == (
        "provisioned",
        "2026-11-04T08:05:00-05:00",
        None,
    )


def test_reprovision_rules(g):
    suspended = g.post(f"/accounts/{SUSPENDED}/services/{SUSPENDED}-01/reprovision", json={"advisor": "asesor.x"})
    assert suspended.status_code == 422 and "suspended" in suspended.json()["detail"]
    other = g.post(f"/accounts/{ACCOUNT}/services/64429105-01/reprovision", json={"advisor": "asesor.x"})
    assert other.status_code == 404 and "64429105-01" in other.json()["detail"]


def test_seeded_pending_changes_settle_with_the_clock(g, world):
    pending = []
    for account in world.tables["home_accounts"][:60]:
        services = g.get(f"/accounts/{account['account_number']}/provisioning").json()["services"]
        pending += [(account["account_number"], s["service_id"]) for s in services if s["state"] == "pending"]
    assert pending, "the world should have a few services with a change in flight"
    advance(g, "PT8H")
    for number, service_id in pending:
        services = {s["service_id"]: s for s in g.get(f"/accounts/{number}/provisioning").json()["services"]}
        assert services[service_id]["state"] == "provisioned"


# ---- slots ------------------------------------------------------------------------------------------------------
def test_weekday_slots_start_after_the_lead_time(g):
    search = slots(g, **{"from": "2026-11-04", "days": 2})
    assert search["earliest_start"] == "2026-11-04T12:00:00-05:00"
    assert starts(search) == ["2026-11-04T13:00:00-05:00", "2026-11-04T15:00:00-05:00", "2026-11-04T17:00:00-05:00"] + [
        f"2026-11-05T{h:02d}:00:00-05:00" for h in (7, 9, 11, 13, 15, 17)
    ]
    assert search["slots"][-1]["slot_end"] == "2026-11-05T19:00:00-05:00"
    assert search["slots"][0]["capacity"] == 3 and search["slots"][0]["available_technicians"] == 3


def test_saturday_is_08_to_15_and_sunday_has_none(g):
    search = slots(g, **{"from": "2026-11-07", "days": 2})
    assert [(s["slot_start"], s["slot_end"]) for s in search["slots"]] == [
        ("2026-11-07T08:00:00-05:00", "2026-11-07T10:00:00-05:00"),
        ("2026-11-07T10:00:00-05:00", "2026-11-07T12:00:00-05:00"),
        ("2026-11-07T12:00:00-05:00", "2026-11-07T14:00:00-05:00"),
    ]
    assert search["closed_days"] == [{"date": "2026-11-08", "reason": "domingo"}]


def test_no_slots_on_colombian_holidays(g):
    assert dt.date(2026, 11, 16) in holidays.country_holidays("CO")  # Independencia de Cartagena (observed)
    search = slots(g, **{"from": "2026-11-16", "days": 2})
    assert all(s.startswith("2026-11-17") for s in starts(search)) and len(search["slots"]) == 6
    assert search["closed_days"][0]["date"] == "2026-11-16"
    assert search["closed_days"][0]["reason"].startswith("festivo: Independencia de Cartagena")


def test_every_slot_of_the_horizon_is_inside_contact_hours(g):
    co = holidays.country_holidays("CO")
    for first in ("2026-11-04", "2026-11-18", "2026-12-02"):
        for slot in slots(g, **{"from": first, "days": 14})["slots"]:
            start = dt.datetime.fromisoformat(slot["slot_start"])
            end = dt.datetime.fromisoformat(slot["slot_end"])
            assert end - start == dt.timedelta(hours=2)
            assert start.date() not in co and start.weekday() != 6
            opening, closing = (8, 15) if start.weekday() == 5 else (7, 19)
            assert opening <= start.hour and (end.hour, end.minute) <= (closing, 0)
    assert slots(g, **{"from": "2026-12-08", "days": 1})["slots"] == []  # Inmaculada Concepción
    assert slots(g, **{"from": "2026-12-25", "days": 1})["slots"] == []  # Navidad


def test_the_window_follows_the_virtual_clock(g):
    assert slots(g)["from"] == "2026-11-04" and slots(g)["days"] == 7
    freeze(g, "2026-11-06T16:30:00-05:00")  # Friday afternoon: next slot is Saturday 08:00
    assert starts(slots(g, days=1)) == []
    assert starts(slots(g, days=2))[0] == "2026-11-07T08:00:00-05:00"
    assert slots(g, **{"from": "2026-12-07"})["slots"] == []  # beyond 30 days ahead
    assert len(slots(g, **{"from": "2026-10-01", "days": 14})["slots"]) == 0  # all before today


def test_slot_search_bad_input(g):
    assert g.get(f"/accounts/{ACCOUNT}/slots", params={"days": 15}).status_code == 400
    assert g.get(f"/accounts/{ACCOUNT}/slots", params={"days": 0}).status_code == 400
    bad = g.get(f"/accounts/{ACCOUNT}/slots", params={"from": "2026-02-30"})
    assert bad.status_code == 400 and "2026-02-30" in bad.json()["detail"]
    assert g.get("/accounts/99999999/slots").status_code == 400  # 9xxxxxxx is a cuenta matriz, not an account


def test_booked_visits_consume_capacity(g, world):
    slot = "2026-11-05T09:00:00-05:00"
    accounts = zone_accounts(world)
    capacity = slots(g, **{"from": "2026-11-05", "days": 1})["slots"][0]["capacity"]
    technicians = set()
    for n, account in enumerate(accounts[:capacity]):
        response = book(g, account, slot)
        assert response.status_code == 201, response.text
        technicians.add(response.json()["technician"])
        left = {s["slot_start"]: s for s in slots(g, accounts[-1], **{"from": "2026-11-05", "days": 1})["slots"]}
        assert (left[slot]["available_technicians"] if slot in left else 0) == capacity - n - 1
    assert len(technicians) == capacity  # one visit per technician per slot
    assert slot not in starts(slots(g, accounts[-1], **{"from": "2026-11-05", "days": 1}))
    full = book(g, accounts[capacity], slot)
    assert full.status_code == 409 and "full" in full.json()["detail"]
    # another zone is not affected
    assert slot in starts(slots(g, "62502115", **{"from": "2026-11-05", "days": 1}))


# ---- visits and their LLS in RR ----------------------------------------------------------------------------
def test_a_booked_visit_is_an_lls_in_rr_until_both_systems_reset(g, rr):
    before = rr_lls(rr)
    visit = book(g).json()
    assert visit["state"] == "confirmed" and visit["lls_id"] == "LLS2079000001"
    assert (visit["customer_id"], visit["zone_id"], visit["slot_end"]) == (
        "CUS00000003",
        "ZT-BOG-N002",
        "2026-11-05T11:00:00-05:00",
    )

    lls = rr_lls(rr)[visit["lls_id"]]
    assert lls == {
        "lls_id": visit["lls_id"],
        "account_number": ACCOUNT,
        "reason": visit["reason"],
        "state": "confirmed",
        "source": "gestion",
        "slot_start": "2026-11-05T09:00:00-05:00",
        "slot_end": "2026-11-05T11:00:00-05:00",
        "technician": visit["technician"],
        "created_at": "2026-11-04T08:00:00-05:00",
        "appointment_id": visit["appointment_id"],
    }

    moved = g.patch(f"/visits/{visit['appointment_id']}", json={"slot_start": "2026-11-06T15:00:00-05:00"})
    assert moved.status_code == 200 and moved.json()["reschedule_count"] == 1
    lls = rr_lls(rr)[visit["lls_id"]]
    assert (lls["slot_start"], lls["slot_end"], lls["state"]) == (
        "2026-11-06T15:00:00-05:00",
        "2026-11-06T17:00:00-05:00",
        "confirmed",
    )

    cancelled = g.patch(f"/visits/{visit['appointment_id']}", json={"state": "cancelled", "reason": "Ya funciona"})
    assert cancelled.json()["state"] == "cancelled" and cancelled.json()["cancellation_reason"] == "Ya funciona"
    assert rr_lls(rr)[visit["lls_id"]]["state"] == "cancelled"
    assert g.get(f"/accounts/{ACCOUNT}/visits").json()["visits"][0]["appointment_id"] == visit["appointment_id"]

    assert g.post("/__admin/reset").status_code == 200  # withdraws Gestión's events: RR forgets the LLS
    assert visit["lls_id"] not in rr_lls(rr) and rr_lls(rr) == before
    assert rr.post("/__admin/reset").status_code == 200
    assert rr_lls(rr) == before
    assert g.get(f"/visits/{visit['appointment_id']}").status_code == 404
    freeze(g, WEDNESDAY_8AM)
    assert book(g).json()["lls_id"] == "LLS2079000001"  # the sequence was reset too


def test_a_visit_in_another_sandbox_stays_there(g, rr):
    for client in (g, rr):
        assert client.post("/__admin/sandboxes", json={"name": "gestion-isolation"}).status_code == 201
    try:
        header = {"X-Sandbox": "gestion-isolation"}
        g.post("/__admin/clock", json={"set": WEDNESDAY_8AM, "frozen": True}, headers=header)
        visit = g.post(
            "/visits",
            headers=header,
            json={
                "account_number": ACCOUNT,
                "slot_start": "2026-11-05T09:00:00-05:00",
                "reason": "Revisión de acometida",
                "contact_phone": "6016592603",
                "advisor": "asesor.premium01",
            },
        ).json()
        other = {o["lls_id"] for o in rr.get(f"/accounts/{ACCOUNT}/lls", headers=header).json()["lls"]}
        assert visit["lls_id"] in other
        assert visit["lls_id"] not in rr_lls(rr)
    finally:
        for client in (g, rr):
            client.delete("/__admin/sandboxes/gestion-isolation")


def test_one_open_visit_per_account(g):
    first = book(g).json()
    second = book(g, slot="2026-11-06T09:00:00-05:00")
    assert second.status_code == 409
    assert first["appointment_id"] in second.json()["detail"] and first["lls_id"] in second.json()["detail"]
    assert second.json()["appointment_id"] == first["appointment_id"]
    g.patch(f"/visits/{first['appointment_id']}", json={"state": "cancelled", "reason": "Cliente viaja"})
    assert book(g, slot="2026-11-06T09:00:00-05:00").status_code == 201


def test_a_suspended_account_gets_no_visit(g):
    response = book(g, SUSPENDED)
    assert response.status_code == 422 and SUSPENDED in response.json()["detail"]


@pytest.mark.parametrize(
    "slot, why",
    [
        ("2026-11-08T09:00:00-05:00", "domingo"),
        ("2026-11-16T09:00:00-05:00", "festivo"),
        ("2026-11-07T07:00:00-05:00", "08:00, 10:00, 12:00"),  # Saturday opens at 08
        ("2026-11-07T14:00:00-05:00", "08:00, 10:00, 12:00"),  # and a 2-hour slot can't end after 15
        ("2026-11-06T19:00:00-05:00", "07:00, 09:00"),  # Friday closes at 19
        ("2026-11-05T10:00:00-05:00", "not a slot start"),
        ("2026-11-04T11:00:00-05:00", "too soon"),  # now + 4 h is 12:00
        ("2026-12-10T09:00:00-05:00", "30 days"),
        ("2026-11-05T14:00:00Z", None),  # 09:00 Bogotá: accepted
    ],
)
def test_only_offered_slots_can_be_booked(g, slot, why):
    response = book(g, slot=slot)
    if why is None:
        assert response.status_code == 201 and response.json()["slot_start"] == "2026-11-05T09:00:00-05:00"
    else:
        assert response.status_code == 409, response.text
        assert why in response.json()["detail"] and "/slots" in response.json()["detail"]


def test_a_visit_completes_when_its_slot_ends(g, rr):
    visit = book(g).json()
    advance(g, "P1DT2H")  # 2026-11-05 10:00: under way
    under_way = g.patch(f"/visits/{visit['appointment_id']}", json={"state": "cancelled", "reason": "Tarde"})
    assert under_way.status_code == 409 and "under way" in under_way.json()["detail"]
    assert g.get(f"/visits/{visit['appointment_id']}").json()["state"] == "confirmed"
    advance(g, "PT1H")  # 11:00: the slot has ended
    assert g.get(f"/visits/{visit['appointment_id']}").json()["state"] == "completed"
    assert rr_lls(rr)[visit["lls_id"]]["state"] == "completed"
    closed = g.patch(f"/visits/{visit['appointment_id']}", json={"slot_start": "2026-11-06T09:00:00-05:00"})
    assert closed.status_code == 409 and "completed" in closed.json()["detail"]
    assert book(g, slot="2026-11-06T09:00:00-05:00").status_code == 201  # no longer an open visit


def test_reschedule_rules(g, world):
    visit = book(g).json()
    same = g.patch(f"/visits/{visit['appointment_id']}", json={"slot_start": visit["slot_start"]})
    assert same.status_code == 409 and "already booked" in same.json()["detail"]
    sunday = g.patch(f"/visits/{visit['appointment_id']}", json={"slot_start": "2026-11-08T09:00:00-05:00"})
    assert sunday.status_code == 409 and "domingo" in sunday.json()["detail"]
    for account in zone_accounts(world)[:3]:
        assert book(g, account, "2026-11-05T13:00:00-05:00").status_code == 201
    full = g.patch(f"/visits/{visit['appointment_id']}", json={"slot_start": "2026-11-05T13:00:00-05:00"})
    assert full.status_code == 409 and "full" in full.json()["detail"]
    assert g.get(f"/visits/{visit['appointment_id']}").json()["slot_start"] == visit["slot_start"]


def test_visit_bad_input(g):
    assert g.get("/visits/APT99999999").status_code == 404
    assert book(g, contact_phone="12345").status_code == 400
    assert book(g, slot="mañana a las 9").status_code == 400
    assert book(g, account="12345678").status_code == 404
    visit = book(g).json()
    both = g.patch(
        f"/visits/{visit['appointment_id']}",
        json={"slot_start": "2026-11-06T09:00:00-05:00", "state": "cancelled", "reason": "x y z"},
    )
    assert both.status_code == 400
    completed = g.patch(f"/visits/{visit['appointment_id']}", json={"state": "completed", "reason": "hecho"})
    assert completed.status_code == 400
    assert g.post("/visits", content=b"account=1", headers={"Content-Type": "text/plain"}).status_code == 415


def test_past_visits_are_the_ones_behind_rrs_lls(g, rr, world):
    """Gestión seeds the visits behind RR's completed LLS orders: both systems must tell the same history."""
    fields = ("lls_id", "reason", "state", "slot_start", "slot_end", "technician", "appointment_id")
    seen = 0
    for account in world.tables["home_accounts"]:
        number = account["account_number"]
        ours = {v["lls_id"]: v for v in g.get(f"/accounts/{number}/visits").json()["visits"]}
        theirs = rr_lls(rr, number)
        assert set(ours) == set(theirs)
        for lls_id, visit in ours.items():
            assert (visit["state"], visit["source"]) == ("completed", "rr")
            assert {f: visit[f] for f in fields[:-1]} == {f: theirs[lls_id][f] for f in fields[:-1]}
        seen += len(ours)
    assert seen >= 10


def test_fixtures_plant_a_failed_visit(g):
    planted = g.post(
        "/__admin/fixtures",
        json={
            "description": "visita fallida",
            "changes": [
                {
                    "table": "visits",
                    "insert": [
                        {
                            "appointment_id": "APT00009999",
                            "lls_id": "LLS2079999999",
                            "account_number": ACCOUNT,
                            "zone_id": "ZT-BOG-N002",
                            "technician": "TEC-0001",
                            "reason": "Sin señal de TV",
                            "state": "failed",
                            "slot_start": "2026-11-03T09:00:00-05:00",
                            "slot_end": "2026-11-03T11:00:00-05:00",
                            "created_at": "2026-11-02T10:00:00-05:00",
                            "updated_at": "2026-11-03T11:00:00-05:00",
                            "reschedule_count": 0,
                            "source": "gestion",
                        }
                    ],
                }
            ],
        },
    )
    assert planted.status_code == 200, planted.text
    failed = g.get(f"/accounts/{ACCOUNT}/visits", params={"state": "failed"}).json()["visits"]
    assert [v["appointment_id"] for v in failed] == ["APT00009999"]
    assert g.get(f"/accounts/{ACCOUNT}/visits", params={"state": "confirmed"}).json()["visits"] == []
    assert g.patch("/visits/APT00009999", json={"state": "cancelled", "reason": "ya no"}).status_code == 409
    assert book(g).status_code == 201  # a failed visit is not open


def test_fixtures_refuse_impossible_values(g):
    bad_state = g.post(
        "/__admin/fixtures",
        json={
            "changes": [
                {"table": "provisioning", "update": {"where": {"service_id": "46271064-01"}, "set": {"state": "roto"}}}
            ]
        },
    )
    assert bad_state.status_code == 422 and 'provisioning.state = "roto"' in bad_state.json()["detail"]
    no_technician = g.post(
        "/__admin/fixtures",
        json={
            "changes": [
                {
                    "table": "visits",
                    "insert": [
                        {
                            "appointment_id": "APT00009998",
                            "lls_id": "LLS2079999998",
                            "account_number": ACCOUNT,
                            "zone_id": "ZT-BOG-N002",
                            "reason": "x",
                            "state": "confirmed",
                            "slot_start": "2026-11-05T09:00:00-05:00",
                            "slot_end": "2026-11-05T11:00:00-05:00",
                            "created_at": WEDNESDAY_8AM,
                            "updated_at": WEDNESDAY_8AM,
                        }
                    ],
                }
            ]
        },
    )
    assert no_technician.status_code == 422 and "technician" in no_technician.json()["detail"]
