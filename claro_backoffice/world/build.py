"""build_world(config) -> World: the whole synthetic population, deterministic from (seed, size, reference date).

Every system's seed reads its slice from here, so the same customer, account, line, node and cell identifiers
appear everywhere. Nothing here knows about HTTP or storage.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import json
import random
from collections import defaultdict
from collections.abc import Iterable

from claro_backoffice.core.timezone import BOGOTA
from claro_backoffice.world import addresses, home, mobile, money, network, people
from claro_backoffice.world.catalogues import Catalogues
from claro_backoffice.world.config import WorldConfig
from claro_backoffice.world.workforce import make_workforce

WORLD_START_HOUR = 8  # the world's "now" is the reference date at 08:00 Bogotá time
PREMIUM_MONTHLY_BILL = 60_000  # COP billed a month (the entry home internet plan's fee): the Premium base's threshold


@dataclasses.dataclass
class World:
    config: WorldConfig
    now: dt.datetime
    catalogues: Catalogues
    tables: dict[str, list[dict]]

    def canonical_dump(self) -> str:
        return json.dumps(
            {"config": self.config.key, "tables": self.tables},
            sort_keys=True,
            ensure_ascii=False,
            separators=(",", ":"),
        )

    def fingerprint(self) -> str:
        return hashlib.sha256(self.canonical_dump().encode()).hexdigest()

    def index(self, table: str, key: str) -> dict[str, dict]:
        return {row[key]: row for row in self.tables[table]}


class _Numbers:
    """Unique random account numbers of a given shape."""

    def __init__(self, rng: random.Random):
        self.rng = rng
        self.used: set[str] = set()

    def draw(self, first_digits: str, length: int) -> str:
        while True:
            value = self.rng.choice(first_digits) + f"{self.rng.randrange(10 ** (length - 1)):0{length - 1}d}"
            if value not in self.used:
                self.used.add(value)
                return value


def premium_base(parties: list[dict], billed: Iterable[tuple[str, dict, int, list[tuple[str, int]]]]) -> None:
    """Claro's Premium base is a rule of value: a customer is Premium when the monthly charges billed to them
    (home services, postpaid plans and additional lines, before installments) reach PREMIUM_MONTHLY_BILL.
    A prepaid-only customer is billed nothing, so is never Premium; they reach WhatsApp Premium with a hashtag."""
    monthly: defaultdict[str, int] = defaultdict(int)
    for _system, party, _cycle, fees in billed:
        monthly[party["customer_id"]] += sum(fee for _what, fee in fees)
    for party in parties:
        party["premium"] = monthly[party["customer_id"]] >= PREMIUM_MONTHLY_BILL


def build_world(config: WorldConfig) -> World:
    from faker import Faker  # imported when a world is built: a warm start never needs it (~14 MB, issue 7)

    rng = random.Random(config.seed)
    # Where a first draw would contradict another fact (a contract before 18, a cédula of the wrong series), the
    # fix comes from this stream: `rng` keeps drawing what it always drew, so identifiers stay where they were.
    side = random.Random(f"{config.seed}:consistency")
    fake = Faker("es_CO")
    fake.seed_instance(config.seed)
    cat = Catalogues.load()
    now = dt.datetime.combine(config.reference_date, dt.time(WORLD_START_HOUR), tzinfo=BOGOTA)
    by_code = {m["code"]: m for m in cat.municipalities}
    phonebook = people.PhoneBook(rng)
    numbers = _Numbers(rng)
    t: dict[str, list[dict]] = defaultdict(list)

    # Parties, where they live, and which lines of business they have.
    used_documents: set = set()
    homes_per_mun: defaultdict[str, int] = defaultdict(int)
    people_per_mun: defaultdict[str, int] = defaultdict(int)
    plan_of_party = []
    for i in range(1, config.size + 1):
        party = people.make_party(i, rng, side, fake, cat.municipalities, config.reference_date, used_documents)
        mun = by_code[party["municipality_code"]]
        roll = rng.random()
        segment = "hogar" if roll < 0.5 else "movil" if roll < 0.8 else "hogar+movil"
        party["segments"] = segment
        rng.random()  # premium used to be a coin toss; now a rule of value (premium_base), drawn to keep the stream
        lat, lon = people.jitter(rng, mun["lat"], mun["lon"], 6.0)
        street = addresses.localise(fake.street_address(), mun, side)
        plan_of_party.append((party, mun, segment, lat, lon, street))
        people_per_mun[mun["code"]] += 1
        if "hogar" in segment:
            homes_per_mun[mun["code"]] += 1 + (party["document_type"] == "NIT")
        t["parties"].append(party)

    nodes_by_mun, cells_by_mun = {}, {}
    for m in cat.municipalities:  # catalogue order keeps this deterministic
        if people_per_mun[m["code"]]:
            cells_by_mun[m["code"]] = network.make_cells(rng, m, people_per_mun[m["code"]])
            t["cells"].extend(cells_by_mun[m["code"]])
        if homes_per_mun[m["code"]]:
            nodes_by_mun[m["code"]] = network.make_nodes(rng, m, homes_per_mun[m["code"]])
            t["nodes"].extend(nodes_by_mun[m["code"]])
    t["incidents"] = network.make_incidents(rng, t["nodes"], t["cells"], now)

    buildings_by_mun: dict[str, list[dict]] = defaultdict(list)
    estrato_of_building: dict[str, int] = {}
    credit_counter, invoice_counter = [0], [0]
    # account -> (system, its party, billing cycle, [(what is billed, monthly fee)])
    fees_of_account: dict[str, tuple[str, dict, int, list[tuple[str, int]]]] = {}
    installments_of_account: dict[str, list] = defaultdict(list)
    reference = config.reference_date

    for party, mun, segment, lat, lon, street in plan_of_party:
        created = party["customer_since"]
        # Home accounts (RR): one, two for a business; a quarter of them in a building with a cuenta matriz.
        if "hogar" in segment:
            for _ in range(1 + (party["document_type"] == "NIT")):
                matriz, a_lat, a_lon, address = None, lat, lon, street
                if party["document_type"] != "NIT" and rng.random() < 0.25:
                    existing = buildings_by_mun[mun["code"]]
                    if existing and rng.random() < 0.5:
                        matriz = rng.choice(existing)
                    else:
                        b_lat, b_lon = people.jitter(rng, mun["lat"], mun["lon"], 6.0)
                        b_node = network.nearest_node(nodes_by_mun[mun["code"]], b_lat, b_lon)
                        matriz = home.make_cuenta_matriz(
                            rng,
                            numbers.draw("9", 8),
                            mun,
                            addresses.localise(fake.street_address(), mun, side),
                            b_node,
                            b_lat,
                            b_lon,
                        )
                        existing.append(matriz)
                        t["cuentas_matriz"].append(matriz)
                    a_lat, a_lon = matriz["latitude"], matriz["longitude"]
                    address = f"{matriz['address']} Apto {rng.randrange(1, 25)}{rng.randrange(1, 5):02d}"
                node = (
                    next(n for n in nodes_by_mun[mun["code"]] if n["node"] == matriz["node"])
                    if matriz
                    else network.nearest_node(nodes_by_mun[mun["code"]], a_lat, a_lon)
                )
                account = home.make_home_account(
                    rng, numbers.draw("12345678", 8), party, mun, address, a_lat, a_lon, node, matriz, created
                )
                fixed = phonebook.fixed_line(mun["zone"]) if rng.random() < 0.4 else None
                services = home.make_home_services(rng, account, cat, node, fixed)
                if matriz:  # one building, one estrato: its first apartment in the world sets it
                    account["estrato"] = estrato_of_building.setdefault(matriz["cuenta_matriz"], account["estrato"])
                t["home_accounts"].append(account)
                t["home_services"].extend(services)
                internet = next((s for s in services if s["service_type"] == "internet"), None)
                if internet:
                    t["cable_modems"].append(home.make_cable_modem(rng, account, internet))
                fees_of_account[account["account_number"]] = (
                    "rr",
                    party,
                    account["billing_cycle"],
                    [(s["plan_name"], s["monthly_fee"]) for s in services],
                )
                if rng.random() < 0.1:
                    device = rng.choice(cat.home_devices)
                    credit_counter[0] += 1
                    credit, inst = money.make_credit(
                        rng,
                        credit_counter[0],
                        account["account_number"],
                        "rr",
                        party["customer_id"],
                        device["model"],
                        device["price"],
                        reference,
                        None,
                    )
                    t["credits"].append(credit)
                    t["credit_installments"].extend(inst)
                    installments_of_account[account["account_number"]].extend((device["model"], i) for i in inst)

        # Mobile account (AC) with its lines.
        if "movil" in segment:
            billing = "postpago" if rng.random() < 0.7 else "prepago"
            account = mobile.make_mobile_account(rng, numbers.draw("123456789", 10), party, billing, created)
            t["mobile_accounts"].append(account)
            plans = [p for p in cat.mobile_plans if p["line_type"] == billing]
            plan = rng.choice(plans)
            n_lines = (
                rng.randrange(2, 5)
                if plan["shared_data_gb"]
                else (rng.choice((1, 1, 1, 2)) if billing == "postpago" else 1)
            )
            lines = []
            for _ in range(n_lines):
                if rng.random() < 0.15:
                    msisdn, ported = phonebook.ported_mobile()
                else:
                    msisdn, ported = phonebook.claro_mobile(), None
                device = rng.choice(cat.devices)
                cell = network.nearest_cell(cells_by_mun[mun["code"]], lat, lon)
                line = mobile.make_line(rng, msisdn, ported, account, plan, device, cell, reference, side)
                lines.append(line)
                settings, friends = mobile.make_line_settings(rng, line, plan, phonebook)
                t["line_settings"].append(settings)
                t["friends_and_family"].extend(friends)
                if billing == "postpago" and device["price"] and rng.random() < 0.35:
                    credit_counter[0] += 1
                    credit, inst = money.make_credit(
                        rng,
                        credit_counter[0],
                        account["account_number"],
                        "ac",
                        party["customer_id"],
                        device["model"],
                        device["price"],
                        reference,
                        line["imei"],
                    )
                    t["credits"].append(credit)
                    t["credit_installments"].extend(inst)
                    installments_of_account[account["account_number"]].extend((device["model"], i) for i in inst)
            t["lines"].extend(lines)
            t["shared_data"].extend(mobile.split_shared_data(rng, account, lines, plan))
            if billing == "postpago":
                fee = [(plan["name"], plan["monthly_fee"])] + [
                    (f"Línea adicional {ln['msisdn'][-4:]}", 25900) for ln in lines[1:] if not plan["shared_data_gb"]
                ]
                fees_of_account[account["account_number"]] = ("ac", party, account["billing_cycle"], fee)
            party["contact_mobile"] = lines[0]["msisdn"]
        else:
            # Home-only customers still reach WhatsApp from a mobile, usually another operator's.
            party["contact_mobile"] = phonebook.ported_mobile()[0] if rng.random() < 0.7 else phonebook.claro_mobile()

    premium_base(t["parties"], fees_of_account.values())
    for account_number, (system, party, cycle, fees) in fees_of_account.items():
        invoices, lines = money.make_invoices(
            rng,
            account_number,
            system,
            party["customer_id"],
            cycle,
            fees,
            installments_of_account[account_number],
            reference,
            invoice_counter,
        )
        t["invoices"].extend(invoices)
        t["invoice_lines"].extend(lines)
        digital = rng.random() < 0.6
        t["bill_delivery"].append(
            {
                "account_number": account_number,
                "system": system,
                "mode": "digital" if digital else "physical",
                "email": party["email"] if digital else None,
            }
        )

    # Past technician visits (LLS): RR lists them, Módulo de Gestión has the visits behind them.
    import holidays  # only when a world is built

    co_holidays = holidays.country_holidays(
        "CO", years=range(config.reference_date.year - 1, config.reference_date.year + 1)
    )
    lls_rng = random.Random(f"{config.seed}:lls")
    for n, account in enumerate(t["home_accounts"]):
        order = home.make_past_lls(lls_rng, config.seed, n, account, now, co_holidays)
        if order:
            t["lls"].append(order)

    t["typifications"] = [dict(row) for row in cat.typifications]
    t["resolver_areas"] = [dict(row, categories=",".join(row["categories"])) for row in cat.resolver_areas]
    t["mobile_plans"] = [dict(row) for row in cat.mobile_plans]
    # The contact centre's people (Almabi): its own random streams, so the customer tables don't depend on it.
    t.update(make_workforce(config, now))
    return World(config=config, now=now, catalogues=cat, tables=dict(t))
