"""GET /whatsapp/templates: Meta's approved templates in the language the gateway sends (es_CO), what an advisor
may send outside the 24-hour window (the console's template picker reads it)."""

from __future__ import annotations


def test_only_approved_es_co_templates_with_their_placeholders_and_buttons(gateway_client):
    answer = gateway_client.get("/whatsapp/templates", token="dev-asesor")
    assert answer.status_code == 200, answer.text
    templates = {t["name"]: t for t in answer.json()["templates"]}
    # The simulator's seeded account: five templates, one of them rejected, one approved also in plain `es`.
    assert sorted(templates) == [
        "bienvenida_premium",
        "encuesta_satisfaccion",
        "recordatorio_visita",
        "seguimiento_caso",
    ]
    follow_up = templates["seguimiento_caso"]
    assert follow_up["language"] == "es_CO" and follow_up["category"] == "UTILITY"
    assert follow_up["parameters"] == 3 and follow_up["body"].startswith("Hola {{1}}, te escribimos de Claro Premium")
    assert follow_up["buttons"] == ["Sí, continuar", "No, gracias"]
    assert follow_up["examples"] == ["Francisco", "PQR 2026110400123", "la visita técnica quedó programada"]
    assert templates["recordatorio_visita"]["parameters"] == 4
    assert templates["bienvenida_premium"]["buttons"] == []


def test_an_unknown_sandbox_is_a_404_that_says_how_to_create_it(gateway_client):
    answer = gateway_client.get("/whatsapp/templates", token="dev-asesor", sandbox="no-existe")
    assert answer.status_code == 404 and "POST /admin/sandboxes" in answer.json()["detail"]
