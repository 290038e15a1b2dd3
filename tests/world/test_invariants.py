"""What a Colombian advisor sampling the world by hand must not find, checked over a 10,000-customer world: each
test states one invariant with its rule worked out here, independently of the code that builds the world."""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict

import pytest

from claro_backoffice.world.build import build_world
from claro_backoffice.world.config import WorldConfig

SIZE = 10_000


@pytest.fixture(scope="module")
def big():
    return build_world(WorldConfig(size=SIZE))


def _people(world):
    return [p for p in world.tables["parties"] if p["document_type"] != "NIT"]


def _date(text: str) -> dt.date:
    return dt.date.fromisoformat(text[:10])


def test_apartments_of_one_building_share_its_estrato(big):
    estratos = defaultdict(set)
    for account in big.tables["home_accounts"]:
        if account["cuenta_matriz"]:
            estratos[account["cuenta_matriz"]].add(account["estrato"])
    apartments = defaultdict(int)
    for account in big.tables["home_accounts"]:
        apartments[account["cuenta_matriz"]] += 1
    assert sum(1 for m, n in apartments.items() if m and n > 1) > 100  # enough shared buildings to mean something
    mixed = {matriz: sorted(values) for matriz, values in estratos.items() if len(values) > 1}
    assert mixed == {}


def test_nobody_became_a_customer_before_turning_18(big):
    minors = []
    for p in _people(big):
        born = _date(p["birth_date"])
        eighteen = dt.date(born.year + 18, born.month, born.day)
        if _date(p["customer_since"]) < eighteen:
            minors.append((p["customer_id"], p["birth_date"], p["customer_since"]))
    assert minors == []
    since = {p["customer_id"]: _date(p["customer_since"]) for p in big.tables["parties"]}
    for table in ("home_accounts", "mobile_accounts"):
        assert all(_date(a["created_at"]) >= since[a["customer_id"]] for a in big.tables[table])


def test_cedulas_have_6_8_or_10_digits_and_the_series_of_the_holders_age(big):
    """The 10-digit series (starting 10) was issued to people turning 18 from about 2004: born 1986 or later.
    Everyone older holds an old-series number of 8 digits, or 6 for the oldest (born before 1960); never 7."""
    wrong = []
    for p in _people(big):
        if p["document_type"] != "CC":
            continue
        number, year = p["document_number"], int(p["birth_date"][:4])
        if year >= 1986:
            fits = re.fullmatch(r"10[0-9]{8}", number) is not None
        elif year >= 1960:
            fits = re.fullmatch(r"[1-9][0-9]{7}", number) is not None
        else:
            fits = re.fullmatch(r"[1-9][0-9]{7}|[1-9][0-9]{5}", number) is not None
        if not fits:
            wrong.append((p["customer_id"], year, number))
    assert wrong == []
    lengths = {len(p["document_number"]) for p in _people(big) if p["document_type"] == "CC"}
    assert lengths == {6, 8, 10}


def test_mobile_lines_are_activated_after_the_customer_relationship_began(big):
    since = {p["customer_id"]: _date(p["customer_since"]) for p in big.tables["parties"]}
    opened = {a["account_number"]: _date(a["created_at"]) for a in big.tables["mobile_accounts"]}
    early = [
        (ln["msisdn"], ln["activation_date"], since[ln["customer_id"]].isoformat())
        for ln in big.tables["lines"]
        if _date(ln["activation_date"]) < max(since[ln["customer_id"]], opened[ln["account_number"]])
    ]
    assert early == []
    assert all(_date(ln["activation_date"]) <= big.config.reference_date for ln in big.tables["lines"])


def test_prepaid_accounts_have_no_billing_cycle(big):
    cycles = defaultdict(set)
    for account in big.tables["mobile_accounts"]:
        cycles[account["billing_type"]].add(account["billing_cycle"])
    assert cycles["prepago"] == {None}
    assert cycles["postpago"] == {1, 8, 15, 22}


def _monthly_bill(world) -> dict[str, int]:
    """What each customer is billed a month: home services, postpaid plans, COP 25,900 per additional line of a
    plan that does not share its data."""
    bill: defaultdict[str, int] = defaultdict(int)
    customer_of = {a["account_number"]: a["customer_id"] for a in world.tables["home_accounts"]}
    for service in world.tables["home_services"]:
        bill[customer_of[service["account_number"]]] += service["monthly_fee"]
    plans = {p["plan_code"]: p for p in world.tables["mobile_plans"]}
    lines_of = defaultdict(list)
    for line in world.tables["lines"]:
        lines_of[line["account_number"]].append(line)
    for account in world.tables["mobile_accounts"]:
        lines = lines_of[account["account_number"]]
        plan = plans[lines[0]["plan_code"]]
        if account["billing_type"] == "postpago":
            extra = 0 if plan["shared_data_gb"] else 25_900 * (len(lines) - 1)
            bill[account["customer_id"]] += plan["monthly_fee"] + extra
    return bill


def test_the_premium_base_is_the_customers_billed_at_least_60000_a_month(big):
    bill = _monthly_bill(big)
    wrong = [p["customer_id"] for p in big.tables["parties"] if p["premium"] != (bill[p["customer_id"]] >= 60_000)]
    assert wrong == []
    billing = defaultdict(set)
    for account in big.tables["mobile_accounts"]:
        billing[account["customer_id"]].add(account["billing_type"])
    prepaid_only = [
        p for p in big.tables["parties"] if billing[p["customer_id"]] == {"prepago"} and p["segments"] == "movil"
    ]
    assert len(prepaid_only) > 100 and not any(p["premium"] for p in prepaid_only)
    assert 0.6 < sum(p["premium"] for p in big.tables["parties"]) / SIZE < 0.95


PLATE = re.compile(r"# [0-9]+[A-Z]?-(?P<plate>[0-9]+)")
# Cities whose grid has quadrant words: Bogotá's calles Sur and carreras Este, Medellín's calles Sur.
QUADRANTS = {"Bogotá, D.C.": {"Sur", "Este"}, "Medellín": {"Sur"}, "Cali": {"Oeste", "Norte"}}


def test_addresses_have_two_digit_plates_and_only_their_citys_quadrants(big):
    rows = [(a["address"], a["municipality"]) for a in big.tables["home_accounts"]]
    rows += [(m["address"], m["municipality"]) for m in big.tables["cuentas_matriz"]]
    wrong = []
    for address, municipality in rows:
        plate = PLATE.search(address)
        words = [w for w in address.split(" ") if w in ("Sur", "Este", "Norte", "Oeste")]
        if not plate or len(plate["plate"]) < 2:
            wrong.append((address, "plate"))
        if not set(words) <= QUADRANTS.get(municipality, set()) or len(words) != len(set(words)):
            wrong.append((address, municipality))
    assert wrong == []
    bogota = [a for a, m in rows if m == "Bogotá, D.C."]
    assert any(" Sur" in a for a in bogota) and any(" Este" in a for a in bogota)
