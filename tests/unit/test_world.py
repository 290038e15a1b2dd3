"""World invariants: valid Colombian identifiers, one party across systems, determinism across processes."""

from __future__ import annotations

import re
import subprocess
import sys
from collections import Counter

import pytest
from stdnum import luhn
from stdnum.co import nit

from claro_backoffice.world.build import build_world
from claro_backoffice.world.config import WorldConfig
from claro_backoffice.world.identifiers import AC_ACCOUNT, CUENTA_MATRIZ, CUSTOMER_ID, RR_ACCOUNT, account_system
from claro_backoffice.world.phones import CLARO_MOBILE_PREFIXES, InvalidPhone, is_fixed, is_mobile, normalise_phone

DUMP_SCRIPT = (
    "import sys; from claro_backoffice.world.build import build_world; "
    "from claro_backoffice.world.config import WorldConfig; "
    "import datetime as d; "
    "print(build_world(WorldConfig(seed=int(sys.argv[1]), size=int(sys.argv[2]), "
    "reference_date=d.date.fromisoformat(sys.argv[3]))).fingerprint())"
)


def _fingerprint_in_new_process(seed: int, size: int, date: str) -> str:
    out = subprocess.run(
        [sys.executable, "-c", DUMP_SCRIPT, str(seed), str(size), date],
        check=True,
        capture_output=True,
        text=True,
        env={"PYTHONHASHSEED": "random", "PATH": ""},
    )
    return out.stdout.strip()


def test_same_seed_size_and_date_give_the_same_world_in_two_processes():
    first = _fingerprint_in_new_process(11, 150, "2026-03-02")
    second = _fingerprint_in_new_process(11, 150, "2026-03-02")
    assert first == second
    assert first != _fingerprint_in_new_process(12, 150, "2026-03-02")
    assert first != _fingerprint_in_new_process(11, 150, "2026-03-03")


def test_documents_are_valid_and_unique(world):
    parties = world.tables["parties"]
    kinds = Counter(p["document_type"] for p in parties)
    assert set(kinds) <= {"CC", "CE", "NIT"} and kinds["CC"] > 0.8 * len(parties)
    for p in parties:
        doc = p["document_number"]
        if p["document_type"] == "CC":
            assert re.fullmatch(r"[0-9]{6,10}", doc)
        elif p["document_type"] == "CE":
            assert re.fullmatch(r"[0-9]{6,7}", doc)
        else:
            assert nit.is_valid(doc) and p["business_name"]
    assert len({(p["document_type"], p["document_number"]) for p in parties}) == len(parties)


def test_businesses_exist_in_a_large_world():
    big = build_world(WorldConfig(size=2000))
    nits = [p for p in big.tables["parties"] if p["document_type"] == "NIT"]
    assert nits and all(nit.is_valid(p["document_number"]) for p in nits)
    assert all(CUSTOMER_ID.match(p["customer_id"]) for p in big.tables["parties"])


def test_phones_follow_the_numbering_plan(world):
    lines = world.tables["lines"]
    assert all(is_mobile(ln["msisdn"]) for ln in lines)
    ported = [ln for ln in lines if ln["ported_from"]]
    native = [ln for ln in lines if not ln["ported_from"]]
    assert ported and all(ln["msisdn"][:3] not in CLARO_MOBILE_PREFIXES for ln in ported)
    assert all(ln["msisdn"][:3] in CLARO_MOBILE_PREFIXES for ln in native)
    fixed = [s["fixed_line"] for s in world.tables["home_services"] if s["fixed_line"]]
    assert fixed and all(is_fixed(n) for n in fixed)
    numbers = [ln["msisdn"] for ln in lines] + fixed + [p["contact_mobile"] for p in world.tables["parties"]]
    # A mobile customer's contact mobile is their own line: the only repeats allowed.
    own = {p["contact_mobile"] for p in world.tables["parties"] if "movil" in p["segments"]}
    repeats = [n for n, c in Counter(numbers).items() if c > 1]
    assert set(repeats) <= own


def test_fixed_lines_match_the_zone_of_their_municipality(world):
    zones = {m["code"]: m["zone"] for m in world.catalogues.municipalities}
    accounts = world.index("home_accounts", "account_number")
    for service in world.tables["home_services"]:
        if service["fixed_line"]:
            assert service["fixed_line"][2] == zones[accounts[service["account_number"]]["municipality_code"]]


def test_addresses_have_matching_municipality_and_department(world):
    for account in world.tables["home_accounts"]:
        assert account["municipality_code"][:2] == account["department_code"]
        assert 1 <= account["estrato"] <= 6
        assert 4 <= len(account["address"]) and "#" in account["address"]


def test_account_numbers_tell_their_system(world):
    assert all(
        RR_ACCOUNT.match(a["account_number"]) and account_system(a["account_number"]) == "rr"
        for a in world.tables["home_accounts"]
    )
    assert all(
        AC_ACCOUNT.match(a["account_number"]) and account_system(a["account_number"]) == "ac"
        for a in world.tables["mobile_accounts"]
    )
    assert all(CUENTA_MATRIZ.match(m["cuenta_matriz"]) for m in world.tables["cuentas_matriz"])
    assert account_system("ABC") is None


def test_devices_and_sims_carry_valid_check_digits(world):
    for line in world.tables["lines"]:
        assert len(line["imei"]) == 15 and luhn.is_valid(line["imei"])
        assert len(line["iccid"]) == 19 and line["iccid"].startswith("8957") and luhn.is_valid(line["iccid"])


def test_one_party_everywhere(world):
    ids = {p["customer_id"] for p in world.tables["parties"]}
    for table in ("home_accounts", "mobile_accounts", "lines", "credits", "invoices"):
        assert {row["customer_id"] for row in world.tables[table]} <= ids, table
    mobile_owner = {a["account_number"]: a["customer_id"] for a in world.tables["mobile_accounts"]}
    assert all(mobile_owner[ln["account_number"]] == ln["customer_id"] for ln in world.tables["lines"])
    # Home-only customers still reach WhatsApp from a mobile.
    assert all(is_mobile(p["contact_mobile"]) for p in world.tables["parties"])


def test_premium_base_is_about_eighty_percent(world):
    share = sum(p["premium"] for p in world.tables["parties"]) / len(world.tables["parties"])
    assert 0.7 <= share <= 0.9


def test_network_and_money_agree_with_customers(world):
    nodes = {n["node"] for n in world.tables["nodes"]}
    cells = {c["cell_id"] for c in world.tables["cells"]}
    assert all(a["node"] in nodes for a in world.tables["home_accounts"])
    assert all(ln["home_cell_id"] in cells for ln in world.tables["lines"])
    incidents = world.tables["incidents"]
    assert any(i["scope"] == "node" and i["state"] in ("acknowledged", "inProgress") for i in incidents)
    open_sites = {
        i["site_id"] for i in incidents if i["scope"] == "cell" and i["state"] in ("acknowledged", "inProgress")
    }
    assert all(c["state"] != "in_service" for c in world.tables["cells"] if c["site_id"] in open_sites)
    avisos = [i["aviso"] for i in incidents]
    assert len(set(avisos)) == len(avisos)
    # An installment due in a billed month appears on that month's invoice.
    lines = {
        (ln["invoice_id"], ln["amount"])
        for ln in world.tables["invoice_lines"]
        if ln["description"].startswith("Cuota")
    }
    assert lines, "some invoices carry device installments"
    for plan_rows in world.tables["shared_data"]:
        assert plan_rows["quota_gb"] >= 1
    pools = Counter()
    for row in world.tables["shared_data"]:
        pools[row["account_number"]] += row["quota_gb"]
    pool_size = {row["account_number"]: row["pool_gb"] for row in world.tables["shared_data"]}
    assert all(pools[a] <= pool_size[a] for a in pools)


def test_catalogues_have_the_codes_the_procedure_needs(world):
    codes = world.tables["typifications"]
    assert len(codes) >= 40
    assert {c["category"] for c in codes} == {"SAC", "SOPORTE", "PQR", "VENTAS"}
    assert len(world.tables["resolver_areas"]) >= 5


@pytest.mark.parametrize(
    "raw,expected",
    [
        ("3112000000", "3112000000"),
        ("573112000000", "3112000000"),
        ("+57 311 200 0000", "3112000000"),
        ("+57 (311) 200-0000", "3112000000"),
        ("0057 3112000000", "3112000000"),
        ("(601) 234 5678", "6012345678"),
        ("311.200.0000", "3112000000"),
    ],
)
def test_normalise_phone_accepts_common_forms(raw, expected):
    assert normalise_phone(raw) == expected


@pytest.mark.parametrize("raw", ["", "12345", "311200000", "+1 311 200 0000", "2112000000", "31120000001", "abc"])
def test_normalise_phone_rejects_what_is_not_colombian(raw):
    with pytest.raises(InvalidPhone):
        normalise_phone(raw)


def test_ten_thousand_customers_build():
    big = build_world(WorldConfig(size=10_000))
    assert len(big.tables["parties"]) == 10_000


def test_invoices_agree_with_the_installments_they_bill(world):
    overdue = {(i["credit_id"], i["number"]) for i in world.tables["credit_installments"] if i["status"] == "overdue"}
    credits = world.index("credits", "credit_id")
    invoices = world.index("invoices", "invoice_id")
    checked = 0
    for credit_id, number in overdue:
        label = f"Cuota {number} financiación {credits[credit_id]['product']}"
        for line in world.tables["invoice_lines"]:
            invoice = invoices[line["invoice_id"]]
            if line["description"] == label and invoice["account_number"] == credits[credit_id]["account_number"]:
                assert invoice["state"] != "settled", f"{invoice['invoice_id']} bills an overdue installment"
                checked += 1
    assert checked, "the default world has overdue installments on invoices"


@pytest.mark.parametrize("size", [1, 2, 3])
def test_a_tiny_world_still_builds(size):
    tiny = build_world(WorldConfig(size=size))
    assert len(tiny.tables["parties"]) == size and tiny.tables["typifications"]
