"""A server started from a shell with a low open-files limit (1,024 on most Linux desktops; 256 here) still serves
a class: it raises its own soft limit towards the hard one before serving (core/open_files.py). Each sandbox in use
holds three descriptors per SQLite connection in each of 14 systems, so 30 trainees' sandboxes, created and used at
once, need ~1,300 of them."""

from __future__ import annotations

import resource
import stat
import sys

import requests

from tests.support.server import running_server

SOFT = 256
ADMIN = {"Authorization": "Bearer dev-admin"}


def _soft_limit(pid: int) -> int:
    for line in open(f"/proc/{pid}/limits"):
        if line.startswith("Max open files"):
            return int(line.split()[3])
    raise AssertionError("no 'Max open files' line")


def test_a_server_started_with_a_low_open_files_limit_serves_thirty_sandboxes(tmp_path, world):
    hard = resource.getrlimit(resource.RLIMIT_NOFILE)[1]
    wrapper = tmp_path / "python-256"
    wrapper.write_text(f'#!/bin/sh\nulimit -Sn {SOFT}\nexec "{sys.executable}" "$@"\n')
    wrapper.chmod(wrapper.stat().st_mode | stat.S_IXUSR)
    party = next(p for p in world.tables["parties"] if p["segments"] == "hogar+movil")
    with running_server(tmp_path / "server", python=str(wrapper)) as server:
        assert _soft_limit(server.proc.pid) == (65536 if hard == resource.RLIM_INFINITY else min(hard, 65536))
        api = f"{server.base}/api/v1"
        names = [f"class-{n}" for n in range(30)]
        for name in names:
            created = requests.post(f"{api}/admin/sandboxes", json={"name": name}, headers=ADMIN, timeout=60)
            assert created.status_code == 201, created.text
        for name in names:  # each one's customer search reads several systems' sandbox files
            found = requests.get(
                f"{api}/customers",
                params={"documentNumber": party["document_number"]},
                headers={"Authorization": "Bearer dev-asesor", "X-Sandbox": name},
                timeout=60,
            )
            assert found.status_code == 200, found.text
        log = server.log_tail(400)
        assert "unable to open database file" not in log and "Too many open files" not in log, log
