"""The router's configuration from deploy/kubernetes, run by Debian's nginx on loopback in front of three stand-in
replicas: a sandbox group always reaches one replica, whether it is named in X-Sandbox or in a webhook's path, and
a replica that is down fails its own sandboxes with a 502 while the others go on (proxy_next_upstream off, and
max_fails=0 so that nginx never marks it failed and hashes its groups elsewhere).

Addresses are rewritten for loopback (the upstream's names too), so which replica a group lands on differs from
the cluster's; what is tested is the rules, not the ring."""

from __future__ import annotations

import grp
import os
import pwd
import re
import shutil
import signal
import socket
import subprocess
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
import requests

from tests.deploy.kube import config_map, render

NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
GROUPS = [f"aula-{n}" for n in range(30)]


class Replica(BaseHTTPRequestHandler):
    """Answers which replica it is and the sandbox it was asked for."""

    def do_GET(self):  # noqa: N802 (the name http.server calls)
        body = f"{self.server.replica_id} {self.headers.get('X-Sandbox', '-')}".encode()
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def router(tmp_path):
    """(URL of nginx, the three stand-in replicas' servers in ordinal order)."""
    if not os.path.exists(NGINX):
        pytest.fail("nginx is not installed: Debian's package `nginx` runs the router's configuration here")
    replicas = []
    for n in range(3):
        server = ThreadingHTTPServer(("127.0.0.1", 0), Replica)
        server.replica_id = n
        threading.Thread(target=server.serve_forever, daemon=True).start()
        replicas.append(server)
    data = config_map(render("base"), "claro-backoffice-nginx")["data"]
    lines = re.findall(r"^server \S+( .*)?;$", data["replicas.conf"], re.MULTILINE)
    assert len(lines) == len(replicas)
    (tmp_path / "replicas.conf").write_text(  # each replica's address on loopback, its parameters as they are
        "".join(f"server 127.0.0.1:{r.server_address[1]}{rest};\n" for r, rest in zip(replicas, lines, strict=True))
    )
    port = free_port()
    routing = data["claro-backoffice.conf"].replace("/etc/nginx/claro-backoffice/", f"{tmp_path}/")
    (tmp_path / "claro-backoffice.conf").write_text(routing.replace("listen 8080;", f"listen 127.0.0.1:{port};"))
    conf = data["nginx.conf"].replace("/tmp/", f"{tmp_path}/")  # first: tmp_path itself is under /tmp
    conf = conf.replace("/etc/nginx/claro-backoffice/", f"{tmp_path}/")
    conf = conf.replace("listen 8081;", f"listen 127.0.0.1:{free_port()};")
    if os.geteuid() == 0:  # workers would otherwise run as a `nobody` group that Debian doesn't have
        conf = f"user {pwd.getpwuid(os.geteuid()).pw_name} {grp.getgrgid(os.getegid()).gr_name};\n" + conf
    (tmp_path / "nginx.conf").write_text(conf)
    # Daemon mode: nginx returns once its sockets listen, so nothing needs waiting for.
    # (Its output to a file: the daemon would hold a pipe open.)
    with (tmp_path / "start.log").open("w") as log:
        started = subprocess.run(
            [NGINX, "-p", str(tmp_path), "-c", str(tmp_path / "nginx.conf"), "-e", str(tmp_path / "error.log")],
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            timeout=60,
            check=False,
        )
    assert started.returncode == 0, (tmp_path / "start.log").read_text()
    master = int((tmp_path / "nginx.pid").read_text())
    try:
        yield f"http://127.0.0.1:{port}", replicas
    finally:
        os.kill(master, signal.SIGQUIT)
        for server in replicas:
            server.shutdown()
            server.server_close()


def replica_of(url: str, sandbox: str | None = None, path: str = "/api/v1/cases") -> int:
    answer = requests.get(url + path, headers={"X-Sandbox": sandbox} if sandbox else {}, timeout=10)
    assert answer.status_code == 200, answer.text
    return int(answer.text.split()[0])


def test_a_group_reaches_one_replica_however_its_sandbox_is_named(router):
    url, _ = router
    owners = {group: replica_of(url, group) for group in GROUPS}
    assert len(set(owners.values())) == 3  # 30 groups spread over the three replicas
    for group, owner in owners.items():
        assert replica_of(url, f"{group}--ana") == owner
        assert replica_of(url, f"{group}--luis-2") == owner
        assert replica_of(url, None, f"/api/v1/whatsapp/webhook/{group}--ana") == owner
        assert replica_of(url, "default", f"/api/v1/admin/sandboxes/{group}--luis") == owner  # the path's first
    assert replica_of(url, None) == replica_of(url, "default") == replica_of(url, None, "/api/v1/health")


def routed(url: str, path: str = "/console/queue", header: str | None = None, cookie: str | None = None) -> int:
    answer = requests.get(
        url + path,
        headers={"X-Sandbox": header} if header is not None else {},
        cookies={"claro_sandbox": cookie} if cookie is not None else {},
        timeout=10,
    )
    assert answer.status_code == 200, answer.text
    return int(answer.text.split()[0])


def test_the_console_cookie_routes_when_neither_path_nor_header_names_a_sandbox(router):
    """The console's `claro_sandbox` cookie (set at sign-in) routes the browser to its sandbox's group; X-Sandbox and
    the path come first; a cookie that is no sandbox name counts as none, a bad header still goes to `default`."""
    url, _ = router
    owners = {group: replica_of(url, group) for group in GROUPS}
    default = replica_of(url, "default")
    group = next(g for g, owner in owners.items() if owner != default)
    other = next(g for g, owner in owners.items() if owner not in (default, owners[group]))
    assert routed(url, cookie=f"{group}--ana-1") == routed(url, cookie=group) == owners[group]
    assert routed(url, "/api/v1/cases", cookie=group) == owners[group]
    assert routed(url, header=other, cookie=group) == owners[other]
    assert routed(url, f"/api/v1/whatsapp/webhook/{other}--ana", cookie=group) == owners[other]
    assert routed(url, cookie="Aula 3;") == routed(url, cookie="") == default
    assert routed(url, header="Not A Sandbox", cookie=group) == default


def test_the_sandbox_header_reaches_the_replica_unchanged(router):
    url, _ = router
    answer = requests.get(url + "/api/v1/cases", headers={"X-Sandbox": "aula-3--ana"}, timeout=10)
    assert answer.text.split()[1] == "aula-3--ana"


def test_a_replica_down_fails_only_its_own_groups(router):
    url, replicas = router
    owners = {group: replica_of(url, group) for group in GROUPS}
    down = owners["aula-0"]
    replicas[down].shutdown()
    replicas[down].server_close()
    for group, owner in owners.items():
        answer = requests.get(url + "/api/v1/cases", headers={"X-Sandbox": f"{group}--ana"}, timeout=10)
        if owner == down:  # never another replica (proxy_next_upstream off, max_fails=0): a problem naming it
            assert answer.status_code == 502
            assert answer.headers["Content-Type"] == "application/problem+json"
            assert answer.json()["sandboxGroup"] == group
        else:
            assert answer.status_code == 200 and int(answer.text.split()[0]) == owner
