"""openapi-python-client turns openapi/gateway.yaml into a typed client without warnings, and that client looks a
customer up through the gateway (in-process, over the whole back office)."""

from __future__ import annotations

import importlib
import os
import subprocess
import sys
from pathlib import Path

from starlette.testclient import TestClient

from claro_backoffice.gateway.runtime import spec_path


def test_the_generated_client_drives_a_customer_lookup(tmp_path, gateway_client, world, monkeypatch):
    bin_dir = Path(sys.executable).parent
    package = tmp_path / "claro_gateway_client"
    result = subprocess.run(
        [
            str(bin_dir / "openapi-python-client"),
            "generate",
            "--path",
            str(spec_path()),
            "--output-path",
            str(package),
            "--meta",
            "none",
        ],
        capture_output=True,
        text=True,
        env=dict(os.environ, PATH=f"{bin_dir}{os.pathsep}{os.environ['PATH']}"),
    )
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "Warning" not in output and "warning" not in output, output

    monkeypatch.syspath_prepend(str(tmp_path))
    client_module = importlib.import_module("claro_gateway_client")
    find = importlib.import_module("claro_gateway_client.api.customers.customers_find_customers")
    party = next(p for p in world.tables["parties"] if p["segments"] == "hogar+movil")

    client = client_module.AuthenticatedClient(base_url="http://testserver", token="dev-asesor")
    # The generated client takes any httpx.Client: a Starlette TestClient on the gateway app keeps it in-process.
    with TestClient(gateway_client.app, headers={"Authorization": "Bearer dev-asesor"}) as http:
        client.set_httpx_client(http)
        response = find.sync_detailed(client=client, document_number=party["document_number"])
    assert response.status_code == 200
    [customer] = response.parsed
    assert customer.id == party["customer_id"] and customer.premium == party["premium"]
