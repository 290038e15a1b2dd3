"""deploy/kubernetes (issue 17): the base and the overlay render with `kubectl kustomize`, are valid Kubernetes
(kubernetes-validate, strict), and say what the design needs: probes on the readiness path, secrets only from a
Secret the operator creates, a volume per replica, nginx hashing on the sandbox's group, one list of replicas, and
only variables the server reads."""

from __future__ import annotations

import os
import re
import stat
import subprocess
from pathlib import Path

import kubernetes_validate
import pytest
import yaml

from claro_backoffice import serve
from claro_backoffice.console.settings import ConsoleSettings
from claro_backoffice.gateway.settings import DEV_TOKEN_SECRET, DEV_TOKENS, GatewaySettings
from claro_backoffice.mocks.kit.settings import MockSettings
from tests.deploy.cli_syntax import check
from tests.deploy.kube import KUBERNETES, TREES, config_map, one, pod_env, render, replica_container, secret_refs

OLDEST_KUBERNETES = "1.29.0"  # StatefulSet pods carry statefulset.kubernetes.io/pod-name since long before
SECRET_SETTINGS = {"GATEWAY_TOKENS", "TOKEN_SECRET", "WHATSAPP_APP_SECRET", "MOCK_ADMIN_TOKEN"}
# What an operator would put in the Secret: none of them a development default.
OPERATOR_SECRETS = {
    "GATEWAY_TOKENS": "k8s-admin-0123456789:admin,k8s-trainer-0123456789:formador",
    "TOKEN_SECRET": "an-operator-secret-of-more-than-32-characters",
    "WHATSAPP_APP_SECRET": "an-operator-app-secret",
    "MOCK_ADMIN_TOKEN": "an-operator-admin-token",
}


@pytest.fixture(scope="module", params=TREES)
def tree(request):
    return request.param, render(request.param)


class Recording(dict):
    """An environment that remembers every variable asked for."""

    def __init__(self, values):
        super().__init__(values)
        self.asked: set[str] = set()

    def get(self, key, default=None):
        self.asked.add(key)
        return super().get(key, default)

    def __getitem__(self, key):
        self.asked.add(key)
        return super().__getitem__(key)

    def __contains__(self, key):
        self.asked.add(key)
        return super().__contains__(key)


def read_by_the_server(env: dict[str, str]) -> set[str]:
    """Every variable `serve` reads to start (its settings, each mock's, the console's, its start-up checks); a value
    the server would refuse raises here as it would there."""
    recording = Recording(env)
    GatewaySettings.from_env(recording)
    MockSettings.from_env(recording)
    ConsoleSettings.from_env(recording)
    serve.startup_refusal(recording)
    serve.gateway_in_process(recording)
    return recording.asked


def launch_script(docs) -> tuple[str, str]:
    """(the path the replica's command runs, the script's text from the ConfigMap mounted there)."""
    container = replica_container(docs)
    shell, path = container["command"]
    assert shell == "/bin/sh"
    folder, name = path.rsplit("/", 1)
    (mount,) = [m for m in container["volumeMounts"] if m["mountPath"] == folder]
    volumes = one(docs, "StatefulSet")["spec"]["template"]["spec"]["volumes"]
    (volume,) = [v for v in volumes if v["name"] == mount["name"]]
    launch = one(docs, "ConfigMap", volume["configMap"]["name"])
    return path, launch["data"][name]


def start_replica(docs, pod_name: str, tmp_path: Path) -> list[str]:
    """Runs the replica's launch script as the pod `pod_name` would (its environment) with a stand-in for the CLI
    that prints the arguments it was given, then REPLICA_ID and PEERS as they reach it."""
    _, script = launch_script(docs)
    (tmp_path / "replica.sh").write_text(script)
    cli = tmp_path / "claro-backoffice"
    cli.write_text('#!/bin/sh\nfor a in "$@"; do printf "%s\\n" "$a"; done\nprintf "%s\\n" "$REPLICA_ID" "$PEERS"\n')
    cli.chmod(cli.stat().st_mode | stat.S_IXUSR)
    env = dict(pod_env(docs, OPERATOR_SECRETS, pod_name), PATH=f"{tmp_path}:{os.defpath}")
    done = subprocess.run(
        ["/bin/sh", str(tmp_path / "replica.sh")], env=env, capture_output=True, text=True, timeout=30, check=False
    )
    assert done.returncode == 0, done.stderr
    return done.stdout.splitlines()


def test_renders_to_valid_kubernetes(tree):
    name, docs = tree
    assert {d["kind"] for d in docs} >= {"StatefulSet", "Deployment", "Service", "ConfigMap"}
    for version in (OLDEST_KUBERNETES, kubernetes_validate.latest_version()):
        for doc in docs:
            kubernetes_validate.validate(doc, version, strict=True)  # raises with the field that is wrong


def test_probes_read_readiness_on_the_served_port(tree):
    _, docs = tree
    container = replica_container(docs)
    (port,) = container["ports"]
    assert port["containerPort"] == int(pod_env(docs, OPERATOR_SECRETS)["PORT"])
    for probe in ("startupProbe", "readinessProbe", "livenessProbe"):
        # /health/ready: 503 until every system started, then 200 with no call to any system (never /health,
        # which a fault planted in a sandbox would slow down).
        assert container[probe]["httpGet"] == {"path": "/api/v1/health/ready", "port": port["name"]}, probe
    router = one(docs, "Deployment")["spec"]["template"]["spec"]["containers"][0]
    assert router["readinessProbe"]["httpGet"]["path"] == "/healthz"


def test_no_development_token_or_secret_is_in_the_manifests(tree):
    _, docs = tree
    text = yaml.safe_dump_all(docs)
    seeded = GatewaySettings()
    dev_values = [entry.split(":")[0] for entry in DEV_TOKENS] + [
        DEV_TOKEN_SECRET,
        seeded.whatsapp_app_secret,
        seeded.whatsapp_verify_token,
    ]
    for value in dev_values:
        assert value not in text
    assert "Secret" not in {d["kind"] for d in docs}  # the operator creates it
    assert "ALLOW_INSECURE_DEFAULTS" not in text
    refs = secret_refs(docs)
    assert set(refs) == SECRET_SETTINGS
    assert {secret for secret, _ in refs.values()} == {"claro-backoffice-secrets"}
    for doc in docs:
        if doc["kind"] == "ConfigMap":
            assert not SECRET_SETTINGS & set(doc["data"]), doc["metadata"]["name"]


def test_with_the_operators_secrets_the_replicas_start_beyond_loopback(tree):
    _, docs = tree
    env = pod_env(docs, OPERATOR_SECRETS)
    assert not serve.is_loopback(env["HOST"])
    assert serve.startup_refusal(env) is None
    # and without them (an empty Secret value is unset), serve refuses to start: no development default slips in
    unset = pod_env(docs, dict.fromkeys(OPERATOR_SECRETS, ""))
    refusal = serve.startup_refusal(unset)
    assert refusal is not None
    assert "GATEWAY_TOKENS" in refusal and "TOKEN_SECRET" in refusal and "WHATSAPP_APP_SECRET" in refusal


def test_secret_example_lists_exactly_the_keys_and_is_not_applied():
    example = yaml.safe_load((KUBERNETES / "base" / "secret.example.yaml").read_text())
    docs = render("base")
    assert example["metadata"]["name"] == "claro-backoffice-secrets"
    assert {key for _, key in secret_refs(docs).values()} == set(example["stringData"])
    assert set(example["stringData"].values()) == {""}  # no value anyone could deploy as is
    kubernetes_validate.validate(example, OLDEST_KUBERNETES, strict=True)
    for kustomization in KUBERNETES.rglob("kustomization.yaml"):  # no resource, generator or patch reads it
        assert "secret.example" not in str(yaml.safe_load(kustomization.read_text())), kustomization


def test_every_variable_a_replica_gets_is_read_by_the_server_or_its_launch_script(tree):
    _, docs = tree
    env = pod_env(docs, OPERATOR_SECRETS)
    _, script = launch_script(docs)
    used_by_script = set(re.findall(r"\$\{?([A-Z_][A-Z0-9_]*)", script))
    unread = set(env) - read_by_the_server(env) - used_by_script
    assert not unread, f"variables no one reads: {sorted(unread)}"
    assert one(docs, "StatefulSet")["spec"]["template"]["spec"]["enableServiceLinks"] is False


def test_each_replica_has_its_own_volume_for_the_var_dir(tree, tmp_path):
    _, docs = tree
    statefulset = one(docs, "StatefulSet")
    (claim,) = statefulset["spec"]["volumeClaimTemplates"]
    assert claim["spec"]["accessModes"] == ["ReadWriteOnce"]
    assert claim["spec"]["resources"]["requests"]["storage"]
    args = start_replica(docs, "claro-backoffice-0", tmp_path)
    var_dir = args[args.index("--var-dir") + 1]
    mounts = {m["mountPath"]: m["name"] for m in replica_container(docs)["volumeMounts"]}
    assert mounts[var_dir] == claim["metadata"]["name"]


def test_base_replicas_start_with_their_name_and_the_other_two_as_peers(tmp_path):
    docs = render("base")
    peer = "http://claro-backoffice-{}.claro-backoffice-peers:8000".format
    expected = {
        "claro-backoffice-0": f"{peer(1)},{peer(2)}",
        "claro-backoffice-1": f"{peer(0)},{peer(2)}",
        "claro-backoffice-2": f"{peer(0)},{peer(1)}",
    }
    for pod, peers in expected.items():
        args = start_replica(docs, pod, tmp_path)
        assert args == [
            "serve",
            "--host",
            "0.0.0.0",
            "--port",
            "8000",
            "--var-dir",
            "/var/lib/claro-backoffice",
            pod,  # REPLICA_ID
            peers,  # PEERS
        ], pod
        check(args[:-2])  # the CLI's agreed options
        # and the server takes them (REPLICA_ID must end in the replica's number, PEERS be base URLs)
        read_by_the_server(dict(pod_env(docs, OPERATOR_SECRETS, pod), REPLICA_ID=args[-2], PEERS=args[-1]))


def test_one_list_of_replicas_in_the_statefulset_the_peers_the_services_and_nginx(tree):
    _, docs = tree
    statefulset = one(docs, "StatefulSet")
    count, name = statefulset["spec"]["replicas"], statefulset["metadata"]["name"]
    headless = one(docs, "Service", statefulset["spec"]["serviceName"])
    assert headless["spec"]["clusterIP"] == "None"
    port = int(pod_env(docs, OPERATOR_SECRETS)["PORT"])
    pods = [f"{name}-{n}" for n in range(count)]
    peers = pod_env(docs, OPERATOR_SECRETS)["REPLICA_URLS"].split(",")
    assert peers == [f"http://{pod}.{headless['metadata']['name']}:{port}" for pod in pods]
    for pod in pods:  # nginx reaches each replica through a Service of its own (a stable ClusterIP)
        service = one(docs, "Service", pod)
        assert service["spec"]["selector"] == {"statefulset.kubernetes.io/pod-name": pod}
        assert service["spec"]["ports"][0]["port"] == port
    replicas_conf = config_map(docs, "claro-backoffice-nginx")["data"]["replicas.conf"]
    servers = re.findall(r"^\s*server\s+(\S+) max_fails=0;", replicas_conf, re.MULTILINE)
    # in ordinal order (the hash ring is the same in every nginx), never marked failed (its sandboxes stay its own)
    assert servers == [f"{pod}:{port}" for pod in pods]


def test_nginx_hashes_on_the_sandbox_group_and_never_retries_elsewhere(tree):
    _, docs = tree
    nginx = config_map(docs, "claro-backoffice-nginx")
    routing = nginx["data"]["claro-backoffice.conf"]
    assert re.search(r"^\s*hash \$claro_sandbox_group consistent;", routing, re.MULTILINE)
    assert re.search(r"^\s*proxy_next_upstream off;", routing, re.MULTILINE)
    assert re.search(r'map \$claro_sandbox \$claro_sandbox_group \{[^}]*"~\^\(\?<group>\.\+\?\)--"\s+\$group;', routing)
    router = one(docs, "Deployment")["spec"]["template"]["spec"]
    (container,) = router["containers"]
    config_path = container["command"][container["command"].index("-c") + 1]
    folder, name = config_path.rsplit("/", 1)
    (mount,) = [m for m in container["volumeMounts"] if m["mountPath"] == folder]
    (volume,) = [v for v in router["volumes"] if v["name"] == mount["name"]]
    assert volume["configMap"]["name"] == nginx["metadata"]["name"]
    # nginx.conf includes the routing in its http block, the routing includes the replicas in its upstream
    http = nginx["data"][name].split("http {", 1)[1]
    assert f"include {folder}/claro-backoffice.conf;" in http
    upstream = routing.split("upstream claro_backoffice {", 1)[1].split("}", 1)[0]
    assert f"include {folder}/replicas.conf;" in upstream


def test_pods_run_as_non_root_without_privileges(tree):
    _, docs = tree
    for workload in (one(docs, "StatefulSet"), one(docs, "Deployment")):
        pod = workload["spec"]["template"]["spec"]
        assert pod["securityContext"]["runAsNonRoot"] is True
        assert pod["securityContext"]["runAsUser"] > 0
        for container in pod["containers"]:
            assert container["securityContext"]["allowPrivilegeEscalation"] is False
            assert container["securityContext"]["capabilities"]["drop"] == ["ALL"]
            assert container["resources"]["requests"] and container["resources"]["limits"]["memory"]
            assert not container["image"].endswith(":latest") and ":" in container["image"]
