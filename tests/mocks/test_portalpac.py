"""PortalPAC through HTTP: VoLTE (asynchronous on the virtual clock), Familia y Amigos, Datos Compartidos, the
operations log, persistence, /__admin/reset, fixtures, and consistency with the world."""

from __future__ import annotations

import collections
import datetime as dt

import pytest

from claro_backoffice.mocks.kit.events import EventLog

ADVISOR = {"X-Advisor": "asesor.premium01"}
# Lines of the default world (seed 20220207, size 200), checked against `world` in test_world_lines_are_as_listed.
INSTALLABLE = "3231282870"  # POS-MAX-40, Samsung Galaxy A15, VoLTE inactive, 3 of 3 F&F numbers
VOLTE_ON = "3137690585"  # POS-MAX-40, VoLTE active, 2 of 3 F&F numbers
NOT_CAPABLE = "3115828591"  # PRE-TODO-7 (VoLTE allowed), Huawei Y9 2019
PLAN_WITHOUT_VOLTE = "3189396661"  # POS-BAS-15 (no VoLTE), Apple iPhone 13, F&F max 1 (full)
SUSPENDED = "3223397512"  # POS-ILIM, suspendida, VoLTE active, 1 F&F number
PREPAID = "3234503674"  # PRE-BASICO: no Familia y Amigos
FAMILY_ACCOUNT = "7264934899"  # POS-FAM-100: 3236671972 (46 GB) + 3236530642 (49 GB), 5 GB unassigned
NO_POOL_ACCOUNT = "4718068764"  # POS-MAX-40


def problem(response, status: int, *fragments: str) -> dict:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    body = response.json()
    for fragment in fragments:
        assert fragment in body["detail"], body["detail"]
    return body


def freeze(c) -> dt.datetime:
    return dt.datetime.fromisoformat(c.post("/__admin/clock", json={"frozen": True}).json()["now"])


def advance(c, duration: str) -> None:
    assert c.post("/__admin/clock", json={"advance": duration}).status_code == 200


def ops(c, msisdn: str, **params) -> list[dict]:
    response = c.get(f"/lines/{msisdn}/operations", params=params)
    assert response.status_code == 200
    return response.json()["operations"]


@pytest.fixture
def c(mock_client):
    return mock_client("portalpac")


# ---- consistency with the world ---------------------------------------------------------------------------------
def test_world_lines_are_as_listed(world):
    lines = world.index("lines", "msisdn")
    settings = world.index("line_settings", "msisdn")
    assert (
        lines[INSTALLABLE]["plan_code"],
        lines[INSTALLABLE]["volte_capable"],
        settings[INSTALLABLE]["volte_status"],
    ) == ("POS-MAX-40", True, "inactive")
    assert settings[VOLTE_ON]["volte_status"] == "active"
    assert lines[NOT_CAPABLE]["device_model"] == "Huawei Y9 2019"
    assert lines[PLAN_WITHOUT_VOLTE]["plan_code"] == "POS-BAS-15" and lines[PLAN_WITHOUT_VOLTE]["volte_capable"]
    assert lines[SUSPENDED]["status"] == "suspendida"


def test_lines_match_the_world(c, world):
    settings = world.index("line_settings", "msisdn")
    plans = {p["plan_code"]: p for p in world.tables["mobile_plans"]}
    friends = collections.defaultdict(list)
    for row in world.tables["friends_and_family"]:
        friends[row["msisdn"]].append((row["slot"], row["number"]))
    # One line of every (plan, device capability, line status, VoLTE state) combination keeps this fast.
    sample = {}
    for line in world.tables["lines"]:
        key = (line["plan_code"], line["volte_capable"], line["status"], settings[line["msisdn"]]["volte_status"])
        sample.setdefault(key, line)
    assert len(sample) > 25
    for line in sample.values():
        volte = c.get(f"/lines/{line['msisdn']}/volte").json()
        assert (
            volte["account_number"],
            volte["plan_code"],
            volte["device_model"],
            volte["volte_capable"],
            volte["volte_allowed"],
            volte["status"],
        ) == (
            line["account_number"],
            line["plan_code"],
            line["device_model"],
            line["volte_capable"],
            plans[line["plan_code"]]["volte_allowed"],
            settings[line["msisdn"]]["volte_status"],
        )
        ff = c.get(f"/lines/{line['msisdn']}/friends-and-family").json()
        assert [(n["slot"], n["number"]) for n in ff["numbers"]] == friends[line["msisdn"]]
        assert ff["max_numbers"] == plans[line["plan_code"]]["friends_and_family_max"]
        assert ff["available_slots"] == ff["max_numbers"] - len(friends[line["msisdn"]])


def test_shared_data_matches_the_world(c, world):
    by_account = collections.defaultdict(dict)
    for row in world.tables["shared_data"]:
        by_account[row["account_number"]][row["msisdn"]] = (row["quota_gb"], row["pool_gb"])
    customers = {a["account_number"]: a["customer_id"] for a in world.tables["mobile_accounts"]}
    for account, quotas in by_account.items():
        body = c.get(f"/accounts/{account}/shared-data").json()
        assert {ln["msisdn"]: (ln["quota_gb"], body["pool_gb"]) for ln in body["lines"]} == quotas
        assert body["customer_id"] == customers[account]
        assert body["assigned_gb"] + body["unassigned_gb"] == body["pool_gb"]
        assert body["assigned_gb"] == sum(q for q, _ in quotas.values())
    family = c.get(f"/accounts/{FAMILY_ACCOUNT}/shared-data").json()
    assert (family["plan_code"], family["pool_gb"], family["assigned_gb"], family["unassigned_gb"]) == (
        "POS-FAM-100",
        100,
        95,
        5,
    )


def test_plans_are_the_catalogue(c, world):
    plans = {p["plan_code"]: p for p in c.get("/plans").json()["plans"]}
    assert set(plans) == {p["plan_code"] for p in world.tables["mobile_plans"]}
    for p in world.tables["mobile_plans"]:
        got = plans[p["plan_code"]]
        assert (got["volte_allowed"], got["friends_and_family_max"], got["shared_data_gb"]) == (
            p["volte_allowed"],
            p["friends_and_family_max"],
            p["shared_data_gb"],
        )


# ---- VoLTE -----------------------------------------------------------------------------------------------------
def test_install_is_pending_until_the_provisioning_delay_passes(c):
    start = freeze(c)
    response = c.put(f"/lines/{INSTALLABLE}/volte", headers=ADVISOR)
    assert response.status_code == 202
    body = response.json()
    assert body["status"] == "pending"
    effective = dt.datetime.fromisoformat(body["effective_at"])
    assert effective - dt.datetime.fromisoformat(body["requested_at"]) == dt.timedelta(minutes=15)
    assert abs(dt.datetime.fromisoformat(body["requested_at"]) - start) < dt.timedelta(seconds=1)
    advance(c, "PT14M")
    assert c.get(f"/lines/{INSTALLABLE}/volte").json()["status"] == "pending"
    log = ops(c, INSTALLABLE)
    assert [(o["operation"], o["result"], o["advisor"]) for o in log] == [
        ("volte_install", "pending", "asesor.premium01")
    ]
    advance(c, "PT1M")
    assert c.get(f"/lines/{INSTALLABLE}/volte").json()["status"] == "active"
    log = ops(c, INSTALLABLE)
    assert (log[0]["operation_id"], log[0]["result"], log[0]["effective_at"]) == (
        body["operation_id"],
        "completed",
        body["effective_at"],
    )


def test_install_is_idempotent_while_pending_or_active(c):
    freeze(c)
    first = c.put(f"/lines/{INSTALLABLE}/volte").json()
    again = c.put(f"/lines/{INSTALLABLE}/volte")
    assert again.status_code == 200 and again.json()["status"] == "pending"
    assert again.json()["operation_id"] == first["operation_id"]
    advance(c, "PT20M")
    active = c.put(f"/lines/{INSTALLABLE}/volte")
    assert active.status_code == 200 and active.json()["status"] == "active"
    assert len(ops(c, INSTALLABLE)) == 1  # repeats that change nothing are not logged


def test_uninstall_is_pending_removal_then_inactive(c):
    freeze(c)
    response = c.delete(f"/lines/{VOLTE_ON}/volte", headers=ADVISOR)
    assert response.status_code == 202
    body = response.json()
    assert body["status"] == "pending_removal"
    assert dt.datetime.fromisoformat(body["effective_at"]) - dt.datetime.fromisoformat(
        body["requested_at"]
    ) == dt.timedelta(minutes=5)
    again = c.delete(f"/lines/{VOLTE_ON}/volte")
    assert again.status_code == 200 and again.json()["status"] == "pending_removal"
    advance(c, "PT5M")
    assert c.get(f"/lines/{VOLTE_ON}/volte").json()["status"] == "inactive"
    assert c.delete(f"/lines/{VOLTE_ON}/volte").status_code == 200
    assert [(o["operation"], o["result"]) for o in ops(c, VOLTE_ON)] == [("volte_uninstall", "completed")]


def test_opposite_change_while_one_is_in_progress_is_a_conflict(c):
    freeze(c)
    assert c.put(f"/lines/{INSTALLABLE}/volte").status_code == 202
    problem(c.delete(f"/lines/{INSTALLABLE}/volte"), 409, INSTALLABLE, "installation", "in progress")
    assert c.delete(f"/lines/{VOLTE_ON}/volte").status_code == 202
    problem(c.put(f"/lines/{VOLTE_ON}/volte"), 409, VOLTE_ON, "removal")
    log = ops(c, INSTALLABLE)
    assert [(o["operation"], o["result"]) for o in log] == [
        ("volte_uninstall", "rejected"),
        ("volte_install", "pending"),
    ]
    assert "in progress" in log[0]["detail"]
    advance(c, "PT15M")  # once the install completes, the uninstall is accepted
    assert c.delete(f"/lines/{INSTALLABLE}/volte").status_code == 202


def test_install_refused_for_device_plan_and_suspension(c):
    body = problem(c.put(f"/lines/{NOT_CAPABLE}/volte"), 422, NOT_CAPABLE, "Huawei Y9 2019")
    assert body["type"].endswith("device-not-volte-capable")
    body = problem(c.put(f"/lines/{PLAN_WITHOUT_VOLTE}/volte"), 422, "POS-BAS-15", "Postpago Básico 15 GB")
    assert body["type"].endswith("plan-without-volte")
    problem(c.put(f"/lines/{SUSPENDED}/volte"), 422, SUSPENDED, "suspendida")
    problem(c.delete(f"/lines/{SUSPENDED}/volte"), 422, SUSPENDED, "suspendida")
    assert c.get(f"/lines/{SUSPENDED}/volte").json()["status"] == "active"
    assert c.get(f"/lines/{NOT_CAPABLE}/volte").json()["status"] == "inactive"
    assert [o["result"] for o in ops(c, NOT_CAPABLE)] == ["rejected"]
    assert ops(c, NOT_CAPABLE)[0]["detail"].startswith("the device on line")


def test_unknown_and_malformed_lines(c):
    problem(c.get("/lines/3999999999/volte"), 404, "3999999999", "PortalPAC")
    problem(c.put("/lines/3999999999/volte"), 404, "3999999999")
    problem(c.get("/lines/3999999999/operations"), 404, "3999999999")
    assert c.get("/lines/31/volte").status_code == 400
    assert c.get("/lines/3999999999/operations", params={"limit": 0}).status_code == 400


def test_fixture_planted_pending_install_completes_on_the_clock(c):
    start = freeze(c)
    effective = (start + dt.timedelta(minutes=3)).isoformat()
    patch = {
        "changes": [
            {
                "table": "line_settings",
                "update": {
                    "where": {"msisdn": INSTALLABLE},
                    "set": {"volte_status": "pending", "volte_effective_at": effective},
                },
            }
        ]
    }
    assert c.post("/__admin/fixtures", json=patch).status_code == 200
    assert c.get(f"/lines/{INSTALLABLE}/volte").json()["status"] == "pending"
    advance(c, "PT3M")
    assert c.get(f"/lines/{INSTALLABLE}/volte").json()["status"] == "active"


def test_fixture_suspension_and_plan_change_refuse_install(c):
    patch = {
        "changes": [
            {
                "table": "lines",
                "update": {
                    "where": {"msisdn": INSTALLABLE},
                    "set": {"status": "suspendida", "suspension_reason": "mora"},
                },
            }
        ]
    }
    assert c.post("/__admin/fixtures", json=patch).status_code == 200
    problem(c.put(f"/lines/{INSTALLABLE}/volte"), 422, "suspendida (mora)")
    patch = {
        "changes": [
            {
                "table": "lines",
                "update": {"where": {"msisdn": INSTALLABLE}, "set": {"status": "activa", "plan_code": "PRE-BASICO"}},
            }
        ]
    }
    assert c.post("/__admin/fixtures", json=patch).status_code == 200
    problem(c.put(f"/lines/{INSTALLABLE}/volte"), 422, "PRE-BASICO")


# ---- Familia y Amigos ---------------------------------------------------------------------------------------------
def test_add_normalises_and_takes_the_free_slot_up_to_the_plan_maximum(c):
    response = c.post(f"/lines/{VOLTE_ON}/friends-and-family", json={"number": "+573157778899"}, headers=ADVISOR)
    assert response.status_code == 201
    body = response.json()
    assert [(n["slot"], n["number"]) for n in body["numbers"]] == [
        (1, "3111005829"),
        (2, "3224525312"),
        (3, "3157778899"),
    ]
    assert body["available_slots"] == 0 and body["numbers"][2]["added_at"]
    full = problem(
        c.post(f"/lines/{VOLTE_ON}/friends-and-family", json={"number": "6016592603"}), 422, "at most 3", "POS-MAX-40"
    )
    assert full["max_numbers"] == 3
    log = ops(c, VOLTE_ON, operation="friends_and_family_add")
    assert [(o["result"], o["parameters"].get("number")) for o in log] == [
        ("rejected", "6016592603"),
        ("completed", "3157778899"),
    ]
    assert log[1]["parameters"]["slot"] == 3 and log[1]["advisor"] == "asesor.premium01"


def test_add_refuses_own_number_duplicate_and_plans_without_it(c):
    problem(c.post(f"/lines/{VOLTE_ON}/friends-and-family", json={"number": "57" + VOLTE_ON}), 422, "itself")
    problem(
        c.post(f"/lines/{VOLTE_ON}/friends-and-family", json={"number": "3224525312"}), 409, "3224525312", "already"
    )
    problem(
        c.post(f"/lines/{PREPAID}/friends-and-family", json={"number": "3157778899"}),
        422,
        "PRE-BASICO",
        "no Familia y Amigos",
    )
    problem(c.post(f"/lines/{SUSPENDED}/friends-and-family", json={"number": "3157778899"}), 422, "suspendida")
    assert len(c.get(f"/lines/{VOLTE_ON}/friends-and-family").json()["numbers"]) == 2


def test_add_accepts_fixed_lines_and_rejects_non_colombian_numbers(c):
    response = c.post(f"/lines/{VOLTE_ON}/friends-and-family", json={"number": "6044567890"})
    assert response.status_code == 201 and response.json()["numbers"][-1]["number"] == "6044567890"
    for bad in ("2123456789", "15551234567", "31577788", "6031234567"):
        assert c.post(f"/lines/{INSTALLABLE}/friends-and-family", json={"number": bad}).status_code == 400, bad
    assert (
        c.post(
            f"/lines/{VOLTE_ON}/friends-and-family", content=b"number=1", headers={"content-type": "text/plain"}
        ).status_code
        == 415
    )


def test_remove_frees_the_slot_and_the_next_add_reuses_it(c):
    response = c.delete(f"/lines/{INSTALLABLE}/friends-and-family/3231689437")
    assert response.status_code == 200
    assert [(n["slot"], n["number"]) for n in response.json()["numbers"]] == [(1, "3164726070"), (3, "3222927500")]
    added = c.post(f"/lines/{INSTALLABLE}/friends-and-family", json={"number": "3001234567"}).json()
    assert [(n["slot"], n["number"]) for n in added["numbers"]] == [
        (1, "3164726070"),
        (2, "3001234567"),
        (3, "3222927500"),
    ]
    problem(c.delete(f"/lines/{INSTALLABLE}/friends-and-family/3231689437"), 404, "3231689437", "not in")
    assert [o["operation"] for o in ops(c, INSTALLABLE)] == [
        "friends_and_family_remove",
        "friends_and_family_add",
        "friends_and_family_remove",
    ]


def test_change_keeps_the_slot_and_checks_the_new_number(c):
    response = c.put(f"/lines/{INSTALLABLE}/friends-and-family/573164726070", json={"new_number": "6016592603"})
    assert response.status_code == 200
    assert response.json()["numbers"][0] == {
        "slot": 1,
        "number": "6016592603",
        "added_at": response.json()["numbers"][0]["added_at"],
    }
    assert response.json()["numbers"][0]["added_at"]
    problem(
        c.put(f"/lines/{INSTALLABLE}/friends-and-family/3164726070", json={"new_number": "3100000000"}),
        404,
        "3164726070",
    )
    problem(
        c.put(f"/lines/{INSTALLABLE}/friends-and-family/3231689437", json={"new_number": "3222927500"}),
        409,
        "3222927500",
    )
    problem(
        c.put(f"/lines/{INSTALLABLE}/friends-and-family/3231689437", json={"new_number": "3231689437"}), 422, "same"
    )
    problem(
        c.put(f"/lines/{INSTALLABLE}/friends-and-family/3231689437", json={"new_number": INSTALLABLE}), 422, "itself"
    )
    log = ops(c, INSTALLABLE, operation="friends_and_family_change", limit=10)
    assert [o["result"] for o in log] == ["rejected"] * 4 + ["completed"]
    assert log[-1]["parameters"] == {"number": "3164726070", "new_number": "6016592603", "slot": 1}


# ---- Datos Compartidos --------------------------------------------------------------------------------------------
def test_correct_quotas_within_the_pool(c):
    quotas = [{"msisdn": "3236530642", "quota_gb": 30}, {"msisdn": "3236671972", "quota_gb": 70}]
    response = c.put(f"/accounts/{FAMILY_ACCOUNT}/shared-data", json={"quotas": quotas}, headers=ADVISOR)
    assert response.status_code == 200
    body = response.json()
    assert {ln["msisdn"]: ln["quota_gb"] for ln in body["lines"]} == {"3236530642": 30, "3236671972": 70}
    assert (body["assigned_gb"], body["unassigned_gb"]) == (100, 0)
    again = c.get(f"/accounts/{FAMILY_ACCOUNT}/shared-data").json()
    assert again["lines"] == body["lines"]
    log = ops(c, "3236671972")
    assert (log[0]["operation"], log[0]["parameters"], log[0]["result"]) == (
        "shared_data_quota",
        {"from_gb": 46, "to_gb": 70},
        "completed",
    )
    # Correcting only one line's value logs only that line.
    quotas[0]["quota_gb"] = 20
    assert c.put(f"/accounts/{FAMILY_ACCOUNT}/shared-data", json={"quotas": quotas}).status_code == 200
    assert len(ops(c, "3236671972")) == 1 and len(ops(c, "3236530642")) == 2


def test_quotas_above_the_pool_or_not_matching_the_lines_are_refused(c):
    def put(quotas):
        return c.put(
            f"/accounts/{FAMILY_ACCOUNT}/shared-data",
            json={"quotas": [{"msisdn": m, "quota_gb": q} for m, q in quotas]},
        )

    body = problem(put([("3236530642", 51), ("3236671972", 50)]), 422, "101 GB", "100 GB", "POS-FAM-100")
    assert (body["total_gb"], body["pool_gb"]) == (101, 100)
    problem(put([("3236530642", 10)]), 422, "missing 3236671972")
    problem(
        put([("3236530642", 10), ("3236671972", 10), (INSTALLABLE, 10)]),
        422,
        f"{INSTALLABLE} (account {NO_POOL_ACCOUNT})",
    )
    problem(put([("3236530642", 10), ("3236530642", 10), ("3236671972", 10)]), 422, "twice")
    assert put([("3236530642", 501), ("3236671972", 0)]).status_code == 400
    assert c.get(f"/accounts/{FAMILY_ACCOUNT}/shared-data").json()["assigned_gb"] == 95
    assert [o["result"] for o in ops(c, "3236530642")] == ["rejected"] * 4


def test_accounts_without_a_pool(c):
    problem(c.get(f"/accounts/{NO_POOL_ACCOUNT}/shared-data"), 404, NO_POOL_ACCOUNT, "POS-MAX-40", "no Datos")
    problem(
        c.put(f"/accounts/{NO_POOL_ACCOUNT}/shared-data", json={"quotas": [{"msisdn": INSTALLABLE, "quota_gb": 1}]}),
        422,
        "POS-MAX-40",
    )
    problem(c.get("/accounts/1000000000/shared-data"), 404, "1000000000")
    assert c.get("/accounts/46271064/shared-data").status_code == 400  # an RR account number


# ---- persistence, reset, sandboxes, events ---------------------------------------------------------------------
def test_writes_persist_and_reset_restores_the_world(c):
    freeze(c)
    c.put(f"/lines/{INSTALLABLE}/volte")
    c.delete(f"/lines/{INSTALLABLE}/friends-and-family/3231689437")
    c.put(
        f"/accounts/{FAMILY_ACCOUNT}/shared-data",
        json={"quotas": [{"msisdn": "3236530642", "quota_gb": 1}, {"msisdn": "3236671972", "quota_gb": 1}]},
    )
    assert c.get(f"/lines/{INSTALLABLE}/volte").json()["status"] == "pending"
    assert len(c.get(f"/lines/{INSTALLABLE}/friends-and-family").json()["numbers"]) == 2
    assert c.get(f"/accounts/{FAMILY_ACCOUNT}/shared-data").json()["assigned_gb"] == 2
    assert c.post("/__admin/reset").status_code == 200
    volte = c.get(f"/lines/{INSTALLABLE}/volte").json()
    assert (volte["status"], volte["requested_at"], volte["operation_id"]) == ("inactive", None, None)
    assert len(c.get(f"/lines/{INSTALLABLE}/friends-and-family").json()["numbers"]) == 3
    assert c.get(f"/accounts/{FAMILY_ACCOUNT}/shared-data").json()["assigned_gb"] == 95
    assert ops(c, INSTALLABLE) == []


def test_sandboxes_are_isolated(c):
    assert c.post("/__admin/sandboxes", json={"name": "pac-iso"}).status_code == 201
    try:
        other = {"X-Sandbox": "pac-iso"}
        assert c.put(f"/lines/{INSTALLABLE}/volte", headers=other).status_code == 202
        assert c.get(f"/lines/{INSTALLABLE}/volte", headers=other).json()["status"] == "pending"
        assert c.get(f"/lines/{INSTALLABLE}/volte").json()["status"] == "inactive"
    finally:
        c.delete("/__admin/sandboxes/pac-iso")


def test_changes_are_published_on_the_event_log(c, var_dir):
    log = EventLog(var_dir / "events" / "default.sqlite")
    c.put(f"/lines/{INSTALLABLE}/volte")
    c.post(f"/lines/{VOLTE_ON}/friends-and-family", json={"number": "3157778899"})
    c.put(
        f"/accounts/{FAMILY_ACCOUNT}/shared-data",
        json={"quotas": [{"msisdn": "3236530642", "quota_gb": 50}, {"msisdn": "3236671972", "quota_gb": 46}]},
    )
    [volte] = log.read("volte.", key=INSTALLABLE)
    assert (volte["source"], volte["type"], volte["payload"]["status"]) == (
        "portalpac",
        "volte.install_requested",
        "pending",
    )
    [friends] = log.read("friends_and_family.", key=VOLTE_ON)
    assert friends["payload"]["numbers"][-1] == "3157778899"
    [shared] = log.read("shared_data.", key=FAMILY_ACCOUNT)
    assert shared["payload"]["changes"] == {"3236530642": {"from_gb": 49, "to_gb": 50}}
    c.post("/__admin/reset")
    assert log.read("volte.", key=INSTALLABLE) == []
