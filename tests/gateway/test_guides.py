"""GET /guides and GET /guides/{symptom}: the advisor's guide served read-only, its filters and its errors. The
expected values were read off world/data/guides.yaml and the typification catalogue by hand."""

from __future__ import annotations

import pytest

ASESOR = "dev-asesor"


def _symptoms(answer) -> list[str]:
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert body["total"] == len(body["guides"])
    return [g["symptom"] for g in body["guides"]]


def test_product_keeps_the_guides_that_serve_it(gateway_client):
    tv = gateway_client.get("/guides", params={"product": "tv"}, token=ASESOR)
    assert _symptoms(tv) == [
        "sin-senal-tv",
        "financiacion-equipo",
        "cobro-errado",
        "cobro-no-reconocido",
        "factura-digital",
        "consulta-factura",
        "visita-tecnica",
        "venta-hogar",
        "consulta-plan",
        "recurso-pqr",
        "terminacion-contrato",
        "suspension-temporal",
        "traslado",
    ]
    apps = gateway_client.get("/guides", params={"product": "aplicaciones"}, token=ASESOR)
    assert _symptoms(apps) == [
        "cobro-errado",
        "cobro-no-reconocido",
        "factura-digital",
        "consulta-factura",
        "aplicaciones",
        "consulta-plan",
        "recurso-pqr",
        "terminacion-contrato",
    ]
    everything = _symptoms(gateway_client.get("/guides", token=ASESOR))
    assert len(everything) == 25 and set(_symptoms(tv)) < set(everything)


def test_a_symptom_gives_its_steps_in_order_and_the_codes_that_follow(gateway_client):
    answer = gateway_client.get(
        "/guides", params={"product": "internet", "symptom": "sin-servicio-internet"}, token=ASESOR
    )
    [guide] = answer.json()["guides"]
    assert (guide["category"], guide["line"], guide["products"]) == ("SOPORTE", "hogar", ["internet"])
    assert guide["systems"] == ["rr", "diagnosticador", "gestion"]
    steps = guide["steps"]
    assert [s["order"] for s in steps] == list(range(1, 9))
    assert [s["system"] for s in steps] == ["rr", *["diagnosticador"] * 4, "gestion", "gestion", "rr"]
    assert steps[0]["operation"] == {"method": "GET", "path": "billingAccounts/{accountId}", "query": None}
    assert steps[0]["source"] == "Procedimiento §4, paso 1" and steps[0]["when"] is None
    assert steps[2]["operation"] == {"method": "GET", "path": "serviceProblem", "query": "accountId={accountId}"}
    assert (
        steps[6]["operation"]["path"] == "appointment"
        and steps[6]["when"] == "El módem no sincroniza y no hay AVISO masivo"
    )
    assert all(s["verified"] for s in steps)
    assert [(t["code"], t["category"], t["outcome"], t["followUpType"]) for t in guide["typifications"]] == [
        ("SOP-INT-04", "SOPORTE", "followUp", "SOPORTE"),
        ("SOP-INT-01", "SOPORTE", "followUp", "VISITAS"),
        ("PQR-SRV-01", "PQR", "followUp", "PQR"),
    ]
    assert guide["typifications"][1]["description"] == "Sin servicio de internet: cable módem sin sincronía"
    assert gateway_client.get("/guides/sin-servicio-internet", token=ASESOR).json() == guide


def test_steps_for_one_kind_of_account_and_unverified_ones_say_so(gateway_client):
    billing = gateway_client.get("/guides/cobro-errado", token=ASESOR).json()
    assert [(s["system"], s["line"]) for s in billing["steps"][:2]] == [("rr", "hogar"), ("ac", "movil")]
    assert billing["steps"][6]["system"] == "dime" and billing["steps"][6]["area"] == "FACT"
    assert [(t["code"], t["outcome"]) for t in billing["typifications"][:2]] == [
        ("SAC-AJU-01", "closed"),
        ("SAC-AJU-01", "followUp"),
    ]
    recharge = gateway_client.get("/guides/recarga-no-aplicada", token=ASESOR).json()
    assert [s["verified"] for s in recharge["steps"]] == [True, True, True, False]
    assert recharge["steps"][3]["source"].startswith("UNVERIFIED: ")
    sale = gateway_client.get("/guides/venta-hogar", token=ASESOR).json()
    assert sale["steps"][1]["operation"] is None  # the gateway has no operation for registering a sale


@pytest.mark.parametrize(
    "token", ["dev-asesor", "dev-supervisor", "dev-coordinador", "dev-gerente", "dev-admin", "dev-trainee"]
)
def test_every_role_may_read(gateway_client, token):
    assert gateway_client.get("/guides/familia-y-amigos", token=token).status_code == 200


def _problem(answer, status: int) -> str:
    assert answer.status_code == status, answer.text
    assert answer.headers["content-type"].startswith("application/problem+json")
    return answer.json()["detail"]


def test_bad_filters_are_400_and_unknown_symptoms_404(gateway_client):
    assert "product" in _problem(gateway_client.get("/guides", params={"product": "movil"}, token=ASESOR), 400)
    assert "symptom" in _problem(gateway_client.get("/guides", params={"symptom": "Sin Señal"}, token=ASESOR), 400)
    unknown = _problem(gateway_client.get("/guides", params={"symptom": "modem-quemado"}, token=ASESOR), 404)
    assert "'modem-quemado'" in unknown and "sin-servicio-internet" in unknown and "venta-movil" in unknown
    other = _problem(
        gateway_client.get("/guides", params={"product": "tv", "symptom": "sin-servicio-internet"}, token=ASESOR), 404
    )
    assert "is for internet, not tv" in other
    assert "'modem-quemado'" in _problem(gateway_client.get("/guides/modem-quemado", token=ASESOR), 404)
    _problem(gateway_client.get("/guides", token=None), 401)


def test_the_guide_is_parsed_once_per_gateway_not_per_request(gateway_client, monkeypatch):
    """Parsing guides.yaml took ~30 ms, a third of a case flow when every close and every GET /guides read it again
    (issue 18): one gateway parses it on first use and keeps it."""
    from claro_backoffice.gateway.services import guides

    parsed = []
    real = guides.catalogue
    monkeypatch.setattr(guides, "catalogue", lambda: parsed.append(1) or real())
    monkeypatch.setattr(gateway_client.app.runtime, "guides", guides.GuideBook())  # as a fresh gateway has it
    first = gateway_client.get("/guides", params={"product": "tv"}, token=ASESOR)
    again = gateway_client.get("/guides", params={"product": "tv"}, token=ASESOR)
    one = gateway_client.get("/guides/sin-senal-tv", token=ASESOR)
    assert _symptoms(first) == _symptoms(again)
    assert one.status_code == 200 and one.json()["symptom"] == "sin-senal-tv"
    assert len(parsed) == 1
