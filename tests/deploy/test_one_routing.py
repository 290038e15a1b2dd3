"""One routing everywhere (issue 17): Kubernetes' nginx configuration is deploy/nginx's template with its two
markers filled in (the replicas as an include of replicas.conf, port 8080), so the hashing, the sandbox's sources
and `proxy_next_upstream off` can't drift apart. Only the header comment differs."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
TEMPLATE = ROOT / "deploy" / "nginx" / "claro-backoffice.conf"
KUBERNETES = ROOT / "deploy" / "kubernetes" / "base" / "claro-backoffice.conf"


def _body(text: str) -> str:
    """The configuration after its leading comment block."""
    lines = text.splitlines()
    while lines and (lines[0].startswith("#") or not lines[0].strip()):
        lines.pop(0)
    return "\n".join(lines)


INCLUDE = "    include /etc/nginx/claro-backoffice/replicas.conf;  # one `server` line per replica"


def test_kubernetes_routes_with_the_template_of_debian_nginx():
    filled = (
        TEMPLATE.read_text(encoding="utf-8").replace("@@SERVERS@@", INCLUDE).replace("@@LISTEN@@", "    listen 8080;")
    )
    assert _body(KUBERNETES.read_text(encoding="utf-8")) == _body(filled)
