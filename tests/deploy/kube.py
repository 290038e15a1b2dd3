"""Rendering deploy/kubernetes with `kubectl kustomize` and reading what a replica's pod is given."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
KUBERNETES = ROOT / "deploy" / "kubernetes"
TREES = ("base", "overlays/academia")  # every kustomization a user applies


def kubectl() -> str:
    found = shutil.which("kubectl")
    if found is None:
        pytest.fail("kubectl is not installed (not on PATH): the manifests are rendered with `kubectl kustomize`")
    return found


def render(tree: str) -> list[dict]:
    """`kubectl kustomize deploy/kubernetes/<tree>` -> its resources."""
    done = subprocess.run(
        [kubectl(), "kustomize", str(KUBERNETES / tree)], capture_output=True, text=True, timeout=120, check=False
    )
    assert done.returncode == 0, f"kubectl kustomize {tree} failed: {done.stderr}"
    return [doc for doc in yaml.safe_load_all(done.stdout) if doc]


def one(docs: list[dict], kind: str, name: str | None = None) -> dict:
    found = [d for d in docs if d["kind"] == kind and (name is None or d["metadata"]["name"] == name)]
    assert len(found) == 1, f"expected one {kind} {name or ''}, found {len(found)}"
    return found[0]


def config_map(docs: list[dict], name: str) -> dict:
    """The ConfigMap a generator named `name` made (kustomize adds a hash suffix to its name)."""
    generated = re.compile(rf"{name}-[a-z0-9]{{10}}")
    found = [d for d in docs if d["kind"] == "ConfigMap" and generated.fullmatch(d["metadata"]["name"])]
    assert len(found) == 1, f"expected one ConfigMap {name}-<hash>, found {len(found)}"
    return found[0]


def replica_container(docs: list[dict]) -> dict:
    (container,) = one(docs, "StatefulSet")["spec"]["template"]["spec"]["containers"]
    return container


def pod_env(docs: list[dict], secrets: dict[str, str], pod: str = "claro-backoffice-0") -> dict[str, str]:
    """Every environment variable the replica `pod` starts with: its ConfigMaps (envFrom), then its own `env` (a
    Secret's key from `secrets`, the pod's name); Kubernetes adds nothing else (no service links)."""
    container = replica_container(docs)
    env: dict[str, str] = {}
    for source in container.get("envFrom", []):
        assert set(source) == {"configMapRef"}, f"an envFrom that is not a ConfigMap: {source}"
        env.update(one(docs, "ConfigMap", source["configMapRef"]["name"])["data"])
    for item in container.get("env", []):
        if "value" in item:
            env[item["name"]] = item["value"]
        elif "secretKeyRef" in item["valueFrom"]:
            env[item["name"]] = secrets[item["valueFrom"]["secretKeyRef"]["key"]]
        else:
            assert item["valueFrom"] == {"fieldRef": {"fieldPath": "metadata.name"}}, item
            env[item["name"]] = pod
    return env


def secret_refs(docs: list[dict]) -> dict[str, tuple[str, str]]:
    """Variable -> (Secret, key) for every variable a replica takes from a Secret."""
    return {
        item["name"]: (item["valueFrom"]["secretKeyRef"]["name"], item["valueFrom"]["secretKeyRef"]["key"])
        for item in replica_container(docs).get("env", [])
        if "secretKeyRef" in item.get("valueFrom", {})
    }
