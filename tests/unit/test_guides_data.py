"""The advisor's guide as data (world/data/guides.yaml): every system, operation, code, area and source it names
exists and fits, and every scenario's product and symptom has a guide that leads to what the scenario expects."""

from __future__ import annotations

import re

import pytest

from claro_backoffice.core.systems import SYSTEMS
from claro_backoffice.core.yamlload import safe_load
from claro_backoffice.gateway.runtime import spec_path
from claro_backoffice.gateway.services import guides, scenarios
from claro_backoffice.world.catalogues import Catalogues

PRODUCTS = ("internet", "tv", "telefonia", "aplicaciones", "voz", "datos")
# The line each product is sold on (the typification catalogue's products; apps come with home and mobile plans).
PRODUCT_LINE = {"internet": "hogar", "tv": "hogar", "telefonia": "hogar", "voz": "movil", "datos": "movil"}
# domain.md's systems table, column "product line": what kind of account each system serves.
SYSTEM_LINE = {
    "rr": "hogar",
    "diagnosticador": "hogar",
    "gestion": "hogar",
    "ac": "movil",
    "sara": "movil",
    "cci": "movil",
    "cmax": "movil",
    "portalpac": "movil",
}
# What a source may cite: the procedure's section 3 terms and section 4 steps (approved 7 Feb 2022), the sections
# of domain.md, or our own choice said as such.
PROCEDURE_TERMS = (
    *("AS400 (RR)", "LLS", "Cuenta matriz", "Espejo", "AVAYA ONE-X", "Diagnosticador", "AVISO", "DIME"),
    *("Módulo de Gestión", "Paradigma", "T&D", "Tipificador", "AC", "Portal SAC", "SARA", "CCI", "CMAX", "ASCARD"),
    *("PortalPAC", "SMCC"),
)
DOMAIN_SECTIONS = (
    *("The systems", "The case flow in one paragraph", "Regulation (Colombia)", "Identifiers and formats"),
    *("Industry conventions (TM Forum Open APIs)", "WhatsApp Business Cloud API", "KPI definitions"),
)


def _one_of(names: tuple[str, ...]) -> str:
    return "(" + "|".join(re.escape(n) for n in names) + ")"


SOURCE = re.compile(
    rf"^(Procedimiento §3: {_one_of(PROCEDURE_TERMS)}|Procedimiento §4, paso [1-5]"
    rf"|domain\.md: {_one_of(DOMAIN_SECTIONS)}|UNVERIFIED: \S.+)$"
)
# What a follow-up type needs behind it when the case is closed, one of (README: ESCALAMIENTOS a DIME ticket,
# VISITAS a visit booked for the case; a PQR case is followed up as PQR: a PQR filed, or a recurso on one).
FOLLOW_UP_NEEDS = {
    "ESCALAMIENTOS": {("POST", "/troubleTicket")},
    "VISITAS": {("POST", "/appointment")},
    "PQR": {("POST", "/cases/{caseId}/pqr"), ("POST", "/pqrs/{pqrId}/appeals")},
}
GUIDES = guides.catalogue()
BY_SYMPTOM = {g["symptom"]: g for g in GUIDES}


@pytest.fixture(scope="module")
def catalogue():
    return Catalogues.load()


@pytest.fixture(scope="module")
def spec_operations():
    """(METHOD, path) -> the names of the operation's query parameters."""
    spec = safe_load(spec_path().read_text(encoding="utf-8"))
    found = {}
    for path, item in spec["paths"].items():
        for method, operation in item.items():
            if method in ("get", "post", "put", "patch", "delete"):
                found[(method.upper(), path)] = {p.get("name") for p in operation.get("parameters", [])}
    return found


def _line_fits(line: str, of: str) -> bool:
    """A step or code for `of` (hogar, movil or ambos) fits a guide or step on `line`."""
    return of == "ambos" or of == line


def test_the_symptoms_are_stable_slugs_and_unique():
    symptoms = [g["symptom"] for g in GUIDES]
    assert len(symptoms) == len(set(symptoms))
    assert all(re.fullmatch(r"[a-z0-9-]{1,60}", s) for s in symptoms)
    assert all(g["label"] and g["category"] in ("SAC", "SOPORTE", "PQR", "VENTAS") for g in GUIDES)


@pytest.mark.parametrize("guide", GUIDES, ids=[g["symptom"] for g in GUIDES])
def test_products_fit_the_guides_line(guide):
    assert guide["line"] in ("hogar", "movil", "ambos") and guide["products"]
    for product in guide["products"]:
        assert product in PRODUCTS
        assert _line_fits(guide["line"], PRODUCT_LINE.get(product, "ambos")) or guide["line"] == "ambos", product


@pytest.mark.parametrize("guide", GUIDES, ids=[g["symptom"] for g in GUIDES])
def test_every_step_names_a_system_an_operation_and_a_source(guide, catalogue, spec_operations):
    areas = {a["area_code"] for a in catalogue.resolver_areas}
    assert guide["steps"]
    for step in guide["steps"]:
        where = f"{guide['symptom']}: {step['action']}"
        assert step["system"] in SYSTEMS, where
        assert step["action"], where
        assert SOURCE.match(step["source"]), f"{where}: source {step['source']!r}"
        assert step.get("line") in (None, "hogar", "movil"), where
        line = step.get("line") or guide["line"]
        assert guide["line"] in ("ambos", line), f"{where}: a {line} step in a {guide['line']} guide"
        if step["system"] in SYSTEM_LINE:  # a system that serves one kind of account is consulted for that kind
            assert line == SYSTEM_LINE[step["system"]], f"{where}: {step['system']} is not for {line} accounts"
        assert (step["system"] == "dime") == ("area" in step), f"{where}: a DIME escalation names its area"
        if "area" in step:
            assert step["area"] in areas, where
        if step["operation"] is not None:
            parsed = guides.operation(step["operation"])
            key = (parsed["method"], "/" + parsed["path"])
            assert key in spec_operations, f"{where}: {step['operation']} is not a gateway operation"
            for pair in parsed["query"].split("&") if parsed["query"] else []:
                assert pair.split("=")[0] in spec_operations[key], f"{where}: {pair} is not a parameter"


@pytest.mark.parametrize("guide", GUIDES, ids=[g["symptom"] for g in GUIDES])
def test_every_code_exists_and_fits_the_product_and_the_close(guide, catalogue):
    codes = {t["code"]: t for t in catalogue.typifications}
    parsed = [guides.operation(s["operation"]) for s in guide["steps"] if s["operation"]]
    operations = {(o["method"], "/" + o["path"]) for o in parsed}
    assert guide["typifications"]
    for option in guide["typifications"]:
        code = codes.get(option["code"])
        assert code is not None, f"{guide['symptom']}: {option['code']} is not in the catalogue"
        assert code["product"] in [*guide["products"], "general"], (guide["symptom"], option["code"])
        assert _line_fits(guide["line"], code["line"]), (guide["symptom"], option["code"], code["line"])
        assert option["when"], option
        follow_up = option["followUpType"]
        assert follow_up in (None, "SOPORTE", "VISITAS", "PQR", "ESCALAMIENTOS"), option
        if code["category"] == "SOPORTE":  # a support case is never closed outright
            assert follow_up is not None, option
        if code["category"] == "PQR":
            assert follow_up == "PQR", option
        if follow_up in FOLLOW_UP_NEEDS:
            assert FOLLOW_UP_NEEDS[follow_up] & operations, (guide["symptom"], option)
    assert guide["category"] in {codes[o["code"]]["category"] for o in guide["typifications"]}


def _scenario_line(customer: dict) -> str:
    if customer.get("msisdn"):
        return "movil"
    kind = {a["id"]: a["kind"] for a in customer["accounts"]}[customer["accountId"]]
    return "hogar" if kind == "home" else "movil"


CASE_SCENARIOS = [n for n in scenarios.names() if "typificationCode" in scenarios.read(n)["expected"]]


def test_the_case_scenarios_are_found():
    assert len(CASE_SCENARIOS) >= 10


@pytest.mark.parametrize("name", CASE_SCENARIOS)
def test_every_scenario_has_the_guide_of_its_product_and_symptom(name):
    scenario = scenarios.read(name)
    expected = scenario["expected"]
    guide = BY_SYMPTOM.get(expected.get("symptom"))
    assert guide is not None, f"{name}: expected.symptom {expected.get('symptom')!r} names no guide"
    assert expected["product"] in guide["products"]
    assert expected["category"] == guide["category"]
    assert (expected["typificationCode"], expected["followUpType"]) in [
        (o["code"], o["followUpType"]) for o in guide["typifications"]
    ]
    line = _scenario_line(scenario["customer"])
    consulted = {s["system"] for s in guide["steps"] if s.get("line") in (None, line)}
    assert set(expected["systems"]) <= consulted, f"{name}: {set(expected['systems']) - consulted} not in the guide"


def test_the_procedures_situations_are_all_guided(catalogue):
    """§1 and §4: SAC, support, PQR and sales requests about internet, TV, telephony, apps, voice or data; §3: every
    back-office system has its use; and any code an advisor may register leads back to a guide."""
    assert {g["category"] for g in GUIDES} == {"SAC", "SOPORTE", "PQR", "VENTAS"}
    for product in PRODUCTS:
        assert any(g["category"] == "SOPORTE" and product in g["products"] for g in GUIDES), product
    used = {s["system"] for g in GUIDES for s in g["steps"]}
    assert used == set(SYSTEMS) - {"almabi", "meta"}  # the workforce system and the channel are no advisor's step
    guided = {o["code"] for g in GUIDES for o in g["typifications"]}
    assert guided == {t["code"] for t in catalogue.typifications}
