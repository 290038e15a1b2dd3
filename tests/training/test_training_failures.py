"""A system that fails while a class is prepared is named (the failure matrix walks business operations; a class is
prepared through the systems' control APIs: sandboxes, resets, the scenario's fixtures), and what it could not undo."""

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
    # RR still refuses while the session undoes what it did: the sandbox it half made is deleted in every other
    # system, and the problem names the one it could not ask (RR never made it: nothing is left anywhere).
    assert "could not delete: aula-falla--ana-1 (in rr)" in made.json()["detail"]
    assert gateway_client.delete("/admin/sandboxes/aula-falla--ana-1").status_code == 404
    assert gateway_client.get("/training/sessions", token="dev-formador", params={"class": "aula-falla"}).json() == {
        "sessions": []
    }
