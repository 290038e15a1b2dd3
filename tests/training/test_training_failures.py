"""A system that fails while a class is prepared is named (the failure matrix walks business operations; a class is
prepared through the systems' control APIs: sandboxes, resets, the scenario's fixtures)."""

from __future__ import annotations


def test_a_system_that_refuses_while_a_class_is_prepared_is_named(gateway_client):
    body = {"class": "aula-falla", "trainees": ["ana"], "scenarios": ["modem-without-sync"]}
    gateway_client.backoffice.refuse("rr")
    try:
        made = gateway_client.post("/training/sessions", token="dev-formador", json=body)
    finally:
        gateway_client.backoffice.accept()
    assert made.status_code == 503, made.text
    assert made.headers["content-type"].startswith("application/problem+json")
    assert made.json()["system"] == "rr", made.json()
