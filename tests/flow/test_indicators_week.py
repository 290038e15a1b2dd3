"""A simulated week (Mon 26 Oct – Sun 1 Nov 2026, ISO 2026-W44) on the virtual clock: 25 WhatsApp conversations
through the real flow (answered early and late, abandoned, one still queued), repeat cases with the same
typification, surveys with varied scores, the leaders' practices held day by day; then GET /indicators and
GET /practices/adherence are checked against values computed here from the events this test generated (the plan
below) and Almabi's raw attendance and agents, never through the gateway's own functions."""

from __future__ import annotations

import datetime as dt
from collections import Counter

from claro_backoffice.core.timezone import BOGOTA
from tests.flow.chat import Chat
from tests.support.advisors import agents
from tests.support.cases import escalation

MONDAY = dt.date(2026, 10, 26)
WEEK = {"from": "2026-10-26", "to": "2026-11-01"}
ABANDON = None
# (day of the week, request time, customer #, advisor #, seconds to the first advisor message, code, spc, score)
PLAN = [
    (0, "09:00", 0, 1, 120, "SAC-FAC-01", True, 10),
    (0, "09:30", 1, 2, 660, "SAC-PAG-01", True, 9),
    (0, "10:00", 2, ABANDON, 0, None, None, None),
    (0, "11:00", 3, 3, 600, "SAC-FAC-02", False, 6),  # exactly 10 minutes: late ("antes de 10 minutos")
    (1, "09:00", 4, 4, 300, "SAC-PLN-01", True, 8),
    (1, "09:20", 0, 5, 90, "SAC-FAC-01", True, 3),  # repeats customer 0's SAC-FAC-01 of Monday
    (1, "10:00", 5, 6, 1200, "SAC-DAT-01", False, None),
    (1, "14:00", 6, 1, 45, "SAC-APP-01", True, 10),
    (2, "08:30", 7, 2, 500, "SAC-FAC-03", True, 7),
    (2, "09:00", 1, 3, 200, "SAC-FAC-04", True, 9),  # customer 1 again, another typification: no repeat
    (2, "09:45", 8, ABANDON, 0, None, None, None),
    (2, "15:00", 9, 4, 900, "SAC-AJU-01", False, 0),
    (3, "09:00", 3, 5, 100, "SAC-FAC-02", True, 10),  # repeats a case that was not solved at first contact
    (3, "10:00", 10, 6, 400, "SAC-SUS-01", True, 9),
    (3, "11:00", 11, 1, 610, "SAC-TRA-01", True, 5),
    (3, "16:00", 12, 2, 30, "SAC-PAG-01", True, 10),
    (4, "09:00", 4, 3, 250, "SAC-PLN-01", True, 8),  # repeats customer 4's Tuesday case
    (4, "09:30", 13, ABANDON, 0, None, None, None),
    (4, "10:30", 14, 4, 580, "SAC-FIN-01", True, 9),
    (4, "11:30", 6, 5, 700, "SAC-APP-01", False, 4),  # repeats customer 6's Tuesday case
    (5, "09:00", 15, 6, 60, "SAC-VIS-01", True, 10),
    (5, "09:30", 0, 1, 120, "SAC-FAC-01", True, 9),  # customer 0's third SAC-FAC-01
    (5, "10:00", 7, 2, 1000, "SAC-FAC-03", True, None),
    (5, "11:00", 10, ABANDON, 0, None, None, None),
]
PENDING_AT = (6, "10:00", 16)  # Sunday: queued, read 5 minutes later (not decided yet)
# (day, time, leader, practice): what the leaders held, recorded at that moment
PRACTICES = (
    [(d, "08:00", "sup.premium02", "dialogo-diario") for d in range(5)]
    + [(d, "08:10", "sup.premium02", "confirmacion-proceso") for d in (0, 1, 3)]
    + [
        (0, "08:00", "sup.premium04", "dialogo-diario"),
        (2, "08:00", "sup.premium04", "dialogo-diario"),
        (2, "08:20", "sup.premium04", "dialogo-diario"),
        (4, "08:00", "sup.premium04", "agenda-lider"),
    ]
    + [(d, "08:00", "coord.premium01", "confirmacion-funciones") for d in (0, 1, 2, 3)]
    + [
        (4, "08:00", "coord.premium01", "reunion-mejora-continua"),
        (0, "08:05", "ger.premium01", "agenda-lider"),
        (1, "08:05", "ger.premium01", "dialogo-semanal"),
        (5, "08:00", "sup.premium02", "adherencia-practicas"),
    ]
)
# The procedure's goals per role for a week whose fortnight ends in it (W44 is even) and that is not a semester's
# last: "daily" goals are 1 per day worked.
GOALS = {
    "supervisor": {
        "dialogo-diario": "daily",
        "confirmacion-proceso": "daily",
        "agenda-lider": 1,
        "adherencia-practicas": 1,
        "reunion-mejora-continua": 1,
    },
    "coordinador": {
        "dialogo-semanal": 1,
        "confirmacion-funciones": 3,
        "agenda-lider": 1,
        "adherencia-practicas": 1,
        "reunion-mejora-continua": 1,
        "circuito-mejora-continua": 1,
    },
    "gerente": {"dialogo-semanal": 1, "confirmacion-funciones": 1, "agenda-lider": 1, "adherencia-practicas": 1},
}


def moment(day: int, clock: str, seconds: int = 0) -> dt.datetime:
    hour, minute = map(int, clock.split(":"))
    start = dt.datetime.combine(MONDAY + dt.timedelta(days=day), dt.time(hour, minute), BOGOTA)
    return start + dt.timedelta(seconds=seconds)


def customers(world, count: int) -> list[dict]:
    """Premium customers with a home account whose WhatsApp number is theirs alone in the world."""
    homes = {a["customer_id"]: a["account_number"] for a in world.tables["home_accounts"]}
    numbers = Counter(
        [p["contact_mobile"] for p in world.tables["parties"]] + [line["msisdn"] for line in world.tables["lines"]]
    )
    found = [
        p | {"account": homes[p["customer_id"]]}
        for p in world.tables["parties"]
        if p["premium"]
        and p["customer_id"] in homes
        and p["contact_mobile"]
        and numbers[p["contact_mobile"]] == 1
        and p["document_type"] == "CC"
    ]
    assert len(found) >= count
    return found[:count]


class Week:
    def __init__(self, gw, people):
        self.gw, self.people = gw, people

    def at(self, when: dt.datetime) -> None:
        answer = self.gw.post("/admin/clock", json={"set": when.isoformat(), "frozen": True})
        assert answer.status_code == 200, answer.text

    def ask(self, who: int, when: dt.datetime) -> Chat:
        self.at(when)
        chat = Chat(self.gw, "57" + self.people[who]["contact_mobile"])
        for text in ("Hola", "Acepto", "Si"):
            chat.say(text)
        return chat

    def queued(self, who: int) -> str:
        wa_id = "57" + self.people[who]["contact_mobile"]
        found = [
            c
            for c in self.gw.get("/conversations", params={"status": "queued"}).json()["conversations"]
            if c["waId"] == wa_id
        ]
        assert len(found) == 1, found
        return found[0]["id"]

    def serve(
        self, step: int, chat: Chat, who: int, advisor: str, when: dt.datetime, code: str, spc: bool, score: int | None
    ) -> None:
        gw, person = self.gw, self.people[who]
        cid = self.queued(who)
        self.at(when)
        assert gw.post(f"/conversations/{cid}/assign", json={"advisor": advisor}).status_code == 200
        assert (
            gw.post(f"/conversations/{cid}/identity", json={"documentNumber": person["document_number"]}).status_code
            == 200
        )
        opened = gw.post(
            "/cases",
            json={
                "conversationId": cid,
                "customerId": person["customer_id"],
                "accountId": person["account"],
                "category": "SAC",
                "product": "internet",
                "description": f"Consulta {code}",
            },
        )
        assert opened.status_code == 201, opened.text
        case_id = opened.json()["id"]
        typed = gw.post(
            f"/cases/{case_id}/typification",
            json={"code": code, "resolvedFirstContact": spc},
            headers={"Idempotency-Key": f"week-{step:04d}"},
        )
        assert typed.status_code == 200, typed.text
        close = {"outcome": "closed", "nothingPending": True}
        if not spc:  # not solved at first contact: follow-up, called back the next day (Tue–Sat here) at 10:00
            callback = dt.datetime.combine(when.date() + dt.timedelta(days=1), dt.time(10), tzinfo=BOGOTA)
            close |= {"outcome": "followUp", "followUpType": "ESCALAMIENTOS", "callbackAt": callback.isoformat()}
            ticket = escalation(case_id, person["customer_id"], person["account"], "FACT", code, f"Revisión {code}")
            assert gw.post("/troubleTicket", json=ticket).status_code == 201  # what ESCALAMIENTOS waits on
        closed = gw.post(f"/cases/{case_id}/close", json=close)
        assert closed.status_code == 200, closed.text
        chat.say("No")  # nothing else: the closing script and the survey go out
        if score is not None:
            chat.say(str(score))


def expected_ratio(hits: list[tuple[str, bool]]) -> list[dict]:
    groups: dict[str, list[bool]] = {}
    for key, hit in hits:
        groups.setdefault(key, []).append(hit)
    return [(k, sum(v), len(v)) for k, v in sorted(groups.items())]


def pct(n, d):
    return round(100 * n / d, 2) if d else None


def nps_of(scores):
    return round(100 * (sum(s >= 9 for s in scores) - sum(s <= 6 for s in scores)) / len(scores), 2)


def expected_crm(names: dict[int, str], advisors: set[str] | None = None) -> dict:
    """PUNTUALIDAD, NPS, FCR and repeatRate of the plan, per advisor and per day, for these advisors (None: all);
    names: the plan's advisor # -> login."""
    keep = [p for p in PLAN if advisors is None or (p[3] and names[p[3]] in advisors)]
    name = lambda p: names[p[3]]  # noqa: E731
    day = lambda p: (MONDAY + dt.timedelta(days=p[0])).isoformat()  # noqa: E731
    on_time = [(p, p[3] is not ABANDON and p[4] < 600) for p in keep]
    answered = [p for p in keep if p[3] is not ABANDON]
    surveyed = [p for p in answered if p[7] is not None]
    cases = [p for p in PLAN if p[3] is not ABANDON]  # every case: a repeat may be another team's

    def later(p, q):  # q repeats p: same customer and code, after it (all within 7 days in this week)
        return q[2] == p[2] and q[5] == p[5] and PLAN.index(q) > PLAN.index(p)

    fcr = [(p, bool(p[6]) and not any(later(p, q) for q in cases)) for p in answered]
    repeats = [q for q in cases if any(p[6] and later(p, q) and p in answered for p in cases)]
    spc = [p for p in answered if p[6]]
    charged = [
        (name(max((p for p in cases if p[6] and later(p, q) and p in answered), key=PLAN.index)), True) for q in repeats
    ] + [(name(p), False) for p in spc]
    return {
        "PUNTUALIDAD": (
            sum(h for _, h in on_time),
            len(on_time),
            expected_ratio([(name(p), h) for p, h in on_time if p[3]]),
            expected_ratio([(day(p), h) for p, h in on_time]),
        ),
        "NPS": (
            [p[7] for p in surveyed],
            {k: [p[7] for p in surveyed if name(p) == k] for k in map(name, surveyed)},
            {k: [p[7] for p in surveyed if day(p) == k] for k in map(day, surveyed)},
        ),
        "FCR": (
            sum(h for _, h in fcr),
            len(fcr),
            expected_ratio([(name(p), h) for p, h in fcr]),
            expected_ratio([(day(p), h) for p, h in fcr]),
        ),
        "repeatRate": (
            len(repeats),
            len(spc),
            [
                (k, sum(h for a, h in charged if a == k), sum(1 for a, h in charged if a == k and not h))
                for k in sorted({a for a, _ in charged})
            ],
        ),
    }


def check_crm(found: dict, expected: dict) -> None:
    punctuality, nps, fcr = found["PUNTUALIDAD"], found["NPS"], found["FCR"]
    n, d, by_advisor, by_day = expected["PUNTUALIDAD"]
    assert (punctuality["numerator"], punctuality["denominator"], punctuality["value"]) == (n, d, pct(n, d))
    assert [(r["advisor"], r["numerator"], r["denominator"]) for r in punctuality["byAdvisor"]] == by_advisor
    assert [(r["date"], r["numerator"], r["denominator"]) for r in punctuality["byDay"]] == by_day
    scores, per_advisor, per_day = expected["NPS"]
    assert (nps["denominator"], nps["value"]) == (len(scores), nps_of(scores))
    assert {r["advisor"]: r["value"] for r in nps["byAdvisor"]} == {k: nps_of(v) for k, v in per_advisor.items()}
    assert {r["date"]: r["value"] for r in nps["byDay"]} == {k: nps_of(v) for k, v in per_day.items()}
    n, d, by_advisor, by_day = expected["FCR"]
    assert (fcr["numerator"], fcr["denominator"], fcr["value"]) == (n, d, pct(n, d))
    assert [(r["advisor"], r["numerator"], r["denominator"]) for r in fcr["byAdvisor"]] == by_advisor
    assert [(r["date"], r["numerator"], r["denominator"]) for r in fcr["byDay"]] == by_day
    n, d, by_advisor = expected["repeatRate"]
    rate = fcr["repeatRate"]
    assert (rate["numerator"], rate["denominator"], rate["value"]) == (n, d, pct(n, d))
    assert [(r["advisor"], r["numerator"], r["denominator"]) for r in rate["byAdvisor"]] == by_advisor


def check_workforce(found: dict, almabi, team: str | None) -> None:
    """The procedure's formulas: AUSENTISMO = absent ÷ scheduled asesor shifts ("agentes programados"), ROTACIÓN =
    exits ÷ asesores active on the window's first day ("total de agentes activos")."""
    team_filter = {"team_id": team} if team else {}
    records = almabi.get("/attendance", params=WEEK | team_filter | {"role": "asesor", "limit": 1000}).json()
    shifts = almabi.get("/shifts", params=WEEK | team_filter | {"status": "scheduled", "limit": 1000}).json()
    scheduled = Counter(s["date"] for s in shifts["shifts"] if s["role"] == "asesor")
    absences = Counter(r["date"] for r in records["attendance"] if r["status"] == "absent")
    absent, programmed = sum(absences.values()), sum(scheduled.values())
    ausentismo = found["AUSENTISMO"]
    assert (ausentismo["numerator"], ausentismo["denominator"]) == (absent, programmed) and programmed > 0
    assert ausentismo["value"] == pct(absent, programmed)
    assert {d["date"]: (d["numerator"], d["denominator"]) for d in ausentismo["byDay"] if d["denominator"]} == {
        k: (absences[k], n) for k, n in scheduled.items()
    }
    registered = len(records["attendance"])
    assert (ausentismo["overRegistered"]["numerator"], ausentismo["overRegistered"]["denominator"]) == (
        absent,
        registered,
    )
    agents = almabi.get("/agents", params=team_filter | {"role": "asesor"}).json()["agents"]

    def employed(day: str) -> int:
        return sum(1 for a in agents if a["hire_date"] <= day and (a["exit_date"] is None or a["exit_date"] > day))

    exits = sum(1 for a in agents if a["exit_date"] and WEEK["from"] <= a["exit_date"] <= WEEK["to"])
    active = employed(WEEK["from"])
    rotation = found["ROTACIÓN"]
    assert (rotation["numerator"], rotation["denominator"], rotation["value"]) == (exits, active, pct(exits, active))
    average = (employed(WEEK["from"]) + employed(WEEK["to"])) / 2
    assert rotation["overAverageHeadcount"]["denominator"] == average


def check_adherence(body: dict, almabi) -> None:
    leaders = [a for a in almabi.get("/agents").json()["agents"] if a["role"] in GOALS]
    shifts = almabi.get("/shifts", params=WEEK | {"status": "scheduled", "limit": 1000}).json()["shifts"]
    worked = Counter(s["username"] for s in shifts if s["role"] == "supervisor")
    rows = {r["username"]: r for r in body["leaders"]}
    assert set(rows) == {a["username"] for a in leaders}
    total_goal = total_achieved = 0
    for leader in leaders:
        user, goal, achieved = leader["username"], 0, 0
        for practice, per_week in GOALS[leader["role"]].items():
            held = [p for p in PRACTICES if p[2] == user and p[3] == practice]
            if per_week == "daily":
                goal += worked[user]
                achieved += min(worked[user], len({p[0] for p in held}))
            else:
                goal += per_week
                achieved += min(per_week, len(held))
        assert (rows[user]["goal"], rows[user]["achieved"]) == (goal, achieved), user
        assert rows[user]["adherence"] == pct(achieved, goal)
        total_goal, total_achieved = total_goal + goal, total_achieved + achieved
    assert (body["goal"], body["achieved"], body["adherence"]) == (
        total_goal,
        total_achieved,
        pct(total_achieved, total_goal),
    )


def staff(gw, week: Week) -> tuple[dict[int, str], str]:
    """The plan's advisors as Almabi has them (never logins written here): # -> the login of an asesor active on
    the week's first and last day, #3-#5 of one team (returned), #1, #2 and #6 of other teams."""
    week.at(moment(0, "07:00"))
    first = agents(gw, role="asesor", status="active")
    week.at(moment(6, "18:00"))
    last = {a["username"] for a in agents(gw, role="asesor", status="active")}
    teams: dict[str, list[str]] = {}
    for agent in first:
        if agent["username"] in last:
            teams.setdefault(agent["teamId"], []).append(agent["username"])
    team = next(t for t, members in teams.items() if len(members) >= 3)
    others = [login for t, members in teams.items() if t != team for login in members]
    assert len(others) >= 3, teams
    return {3: teams[team][0], 4: teams[team][1], 5: teams[team][2], 1: others[0], 2: others[1], 6: others[2]}, team


def test_a_week_of_the_operation_measured(gateway_client, world):
    gw = gateway_client
    people = customers(world, 17)
    week = Week(gw, people)
    names, team_id = staff(gw, week)
    events = sorted(
        [(moment(p[0], p[1]), "practice", p) for p in PRACTICES]
        + [(moment(p[0], p[1]), "conversation", p) for p in PLAN],
        key=lambda e: e[0],
    )
    for step, (when, kind, item) in enumerate(events):
        if kind == "practice":
            week.at(when)
            held = gw.post("/practices", json={"practiceCode": item[3], "ledBy": item[2]}, token="dev-supervisor")
            assert held.status_code == 201, held.text
            continue
        _, _, who, advisor, delay, code, spc, score = item
        chat = week.ask(who, when)
        if advisor is ABANDON:
            continue
        week.serve(step, chat, who, names[advisor], when + dt.timedelta(seconds=delay), code, spc, score)
    day, clock, who = PENDING_AT
    week.ask(who, moment(day, clock))
    week.at(moment(day, clock, 300))

    almabi = gw.backoffice.client("almabi")
    body = gw.get("/indicators", params=WEEK, token="dev-supervisor").json()
    found = {i["indicator"]: i for i in body["indicators"]}
    check_crm(found, expected_crm(names))
    punctuality, fcr = found["PUNTUALIDAD"], found["FCR"]
    assert (punctuality["abandoned"], punctuality["pending"], punctuality["queuedPastThreshold"]) == (4, 1, 0)
    assert fcr["provisional"] == fcr["numerator"] and fcr["repeatWindowDays"] == 7
    check_workforce(found, almabi, None)

    team = gw.get("/indicators", params=WEEK | {"team": team_id}, token="dev-gerente").json()
    advisors = set(team["advisors"])
    assert {names[3], names[4], names[5]} <= advisors
    assert not advisors & {names[1], names[2], names[6]}
    team_found = {i["indicator"]: i for i in team["indicators"]}
    check_crm(team_found, expected_crm(names, advisors))
    assert team_found["PUNTUALIDAD"]["abandoned"] == 0
    check_workforce(team_found, almabi, team_id)

    adherence = gw.get("/practices/adherence", params={"week": "2026-W44"}, token="dev-coordinador").json()
    check_adherence(adherence, almabi)
