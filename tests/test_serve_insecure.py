"""`make run` beyond loopback refuses the development tokens, the development token-signing secret and the seeded
WhatsApp secret unless ALLOW_INSECURE_DEFAULTS=1."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from claro_backoffice.serve import is_loopback, startup_refusal

SAFE = {
    "GATEWAY_TOKENS": "s3cret-asesor:asesor,s3cret-admin:admin",
    "WHATSAPP_APP_SECRET": "an-own-secret",
    "TOKEN_SECRET": "an-own-signing-secret-of-32-characters",
}


@pytest.mark.parametrize(
    "host, loopback",
    [
        ("127.0.0.1", True),
        ("127.0.0.2", True),
        ("localhost", True),
        ("::1", True),
        ("0.0.0.0", False),
        ("192.168.1.20", False),
        ("backoffice.example.com", False),
        ("::", False),
    ],
)
def test_loopback_addresses(host, loopback):
    assert is_loopback(host) is loopback


def test_loopback_may_use_every_default():
    assert startup_refusal({}) is None
    assert startup_refusal({"HOST": "127.0.0.1"}) is None


def test_beyond_loopback_the_defaults_are_refused_and_named():
    refusal = startup_refusal({"HOST": "0.0.0.0"})
    assert refusal.startswith("Refusing to serve on HOST=0.0.0.0 (not a loopback address) with insecure defaults:")
    assert "dev-admin" in refusal and "GATEWAY_TOKENS" in refusal
    assert "WHATSAPP_APP_SECRET" in refusal and "ALLOW_INSECURE_DEFAULTS=1" in refusal
    assert "TOKEN_SECRET" in refusal


def test_the_development_signing_secret_alone_is_refused():
    """Anyone who read the README could sign an admin token with it."""
    kept = {k: v for k, v in SAFE.items() if k != "TOKEN_SECRET"}
    refusal = startup_refusal({"HOST": "0.0.0.0", **kept})
    assert refusal is not None and "TOKEN_SECRET" in refusal
    assert "GATEWAY_TOKENS" not in refusal and "WHATSAPP_APP_SECRET" not in refusal


def test_each_default_alone_is_refused():
    tokens_only = startup_refusal({"HOST": "0.0.0.0", "WHATSAPP_APP_SECRET": "an-own-secret", "TOKEN_SECRET": "s" * 32})
    assert "GATEWAY_TOKENS" in tokens_only and "WHATSAPP_APP_SECRET" not in tokens_only
    a_dev_token_kept = startup_refusal(
        {"HOST": "0.0.0.0", "WHATSAPP_APP_SECRET": "x", "GATEWAY_TOKENS": "mine:admin,dev-asesor:asesor"}
    )
    assert "(dev-asesor)" in a_dev_token_kept
    secret_only = startup_refusal(
        {"HOST": "10.0.0.5", "GATEWAY_TOKENS": SAFE["GATEWAY_TOKENS"], "TOKEN_SECRET": SAFE["TOKEN_SECRET"]}
    )
    assert "WHATSAPP_APP_SECRET" in secret_only and "GATEWAY_TOKENS" not in secret_only


def test_own_secrets_or_the_explicit_override_may_start():
    assert startup_refusal({"HOST": "0.0.0.0", **SAFE}) is None
    assert startup_refusal({"HOST": "0.0.0.0", "ALLOW_INSECURE_DEFAULTS": "1"}) is None


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_python_m_serve_refuses_to_start_on_all_interfaces(tmp_path):
    root = Path(__file__).resolve().parent.parent
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("GATEWAY_TOKENS", "WHATSAPP_APP_SECRET", "TOKEN_SECRET", "ALLOW_INSECURE_DEFAULTS")
    }
    env.update(HOST="0.0.0.0", PORT=str(_free_port()), VAR_DIR=str(tmp_path / "var"))
    # A generous bound for a check that runs before anything is seeded: if it served, this would time out.
    done = subprocess.run(
        [sys.executable, "-m", "claro_backoffice.serve"], cwd=root, env=env, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 2, done.stdout + done.stderr
    assert "Refusing to serve on HOST=0.0.0.0" in done.stderr and "dev-admin" in done.stderr
    assert "Serving" not in done.stdout and not (tmp_path / "var").exists(), "nothing was seeded or served"
