"""The image definition (issue 17). No container engine runs here, so the Dockerfile is read instruction by
instruction (dockerfile-parse) and checked for what can be checked: every base pinned, the wheel built and
installed with the pinned dependencies, a non-root user, the CLI as entry point, a health check on readiness, and
that it agrees with deploy/kubernetes (uid, port)."""

from __future__ import annotations

import json
import re

import pytest
from dockerfile_parse import DockerfileParser

from tests.deploy.cli_syntax import check
from tests.deploy.kube import ROOT, render, replica_container

EXACT = re.compile(r"^[\w./-]+(:\d+\.\d+\.\d+[\w.-]*)?(@sha256:[0-9a-f]{64})?$")  # a release's tag, or a digest


@pytest.fixture(scope="module")
def instructions() -> list[tuple[str, str]]:
    with (ROOT / "Dockerfile").open("rb") as dockerfile:
        parser = DockerfileParser(fileobj=dockerfile)
        return [(i["instruction"], i["value"]) for i in parser.structure if i["instruction"] != "COMMENT"]


def stages(instructions) -> list[list[tuple[str, str]]]:
    """The instructions of each stage, its FROM first."""
    found: list[list[tuple[str, str]]] = []
    for instruction in instructions:
        if instruction[0] == "FROM":
            found.append([])
        found[-1].append(instruction)
    return found


def values(stage, name: str) -> list[str]:
    return [value for instruction, value in stage if instruction == name]


def test_every_base_image_is_pinned(instructions):
    for stage in stages(instructions):
        image = stage[0][1].split()[0]
        assert "@sha256:" in image or re.search(r":\d+\.\d+\.\d+", image), f"{image} is not pinned to a release"
        assert EXACT.match(image), image


def test_the_wheel_is_built_then_installed_with_the_pinned_dependencies(instructions):
    build, final = stages(instructions)[0], stages(instructions)[-1]
    build_name = build[0][1].split()[-1]
    assert build[0][1].split()[-2].upper() == "AS"
    assert any(re.search(r"python -m build\b.*--outdir (\S+)", run) for run in values(build, "RUN"))
    outdir = next(
        re.search(r"--outdir (\S+)", run).group(1) for run in values(build, "RUN") if "python -m build" in run
    )
    copied = [c for c in values(final, "COPY") if c.startswith(f"--from={build_name} ")]
    assert any(f"{outdir}/*.whl" in c for c in copied), copied
    installs = [r for r in values(final, "RUN") if re.search(r"pip install .*-c \S*constraints\.txt .*\.whl", r)]
    assert installs, "the final stage installs no wheel with -c constraints.txt"
    assert "constraints.txt" in " ".join(values(final, "COPY"))
    assert not any(
        "pip install -e" in r or "pip install ." in r for r in values(final, "RUN")
    )  # the wheel, not the tree


def test_runs_as_the_same_non_root_user_as_the_kubernetes_pods(instructions):
    final = stages(instructions)[-1]
    user = values(final, "USER")[-1]
    uid, _, gid = user.partition(":")
    assert uid.isdigit() and int(uid) > 0 and (not gid or int(gid) > 0), user  # numeric: runAsNonRoot can verify it
    pod = render("base")
    statefulset = next(d for d in pod if d["kind"] == "StatefulSet")
    assert statefulset["spec"]["template"]["spec"]["securityContext"]["runAsUser"] == int(uid)
    # nothing after USER runs as root again
    after = final[[i for i, (name, _) in enumerate(final) if name == "USER"][-1] :]
    assert not [value for name, value in after if name == "RUN"]


def test_the_cli_is_the_entry_point_and_serves_beyond_loopback(instructions):
    final = stages(instructions)[-1]
    assert json.loads(values(final, "ENTRYPOINT")[-1]) == ["claro-backoffice"]
    command = json.loads(values(final, "CMD")[-1])
    assert command[0] == "serve"
    options = check(command)
    assert options["--host"] == "0.0.0.0"
    port = options["--port"]
    assert values(final, "EXPOSE") == [port]
    (container_port,) = replica_container(render("base"))["ports"]
    assert container_port["containerPort"] == int(port)


def test_health_check_asks_for_readiness(instructions):
    final = stages(instructions)[-1]
    (check,) = values(final, "HEALTHCHECK")
    assert "CMD" in check and "/api/v1/health/ready" in check
    assert re.search(r"127\.0\.0\.1:8000/", check)


def test_dockerignore_keeps_local_state_out_of_the_build():
    ignored = {line.strip() for line in (ROOT / ".dockerignore").read_text().splitlines()}
    assert {".git", ".venv", "var", "dist"} <= ignored
