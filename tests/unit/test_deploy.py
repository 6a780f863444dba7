"""The deployment descriptions are valid (issue 7): Kubernetes manifests against the Kubernetes
schemas, and the Compose file by docker-compose itself. No Docker engine runs here, so they are
validated, not run."""

import subprocess
import sys
from pathlib import Path

import yaml

from deploy.k8s import generate
from shared.config import REPO_ROOT

K8S = REPO_ROOT / "deploy" / "k8s"
COMPOSE = REPO_ROOT / "deploy" / "docker-compose.yml"
VALIDATOR = str(Path(sys.executable).parent / "kubernetes-validate")


def test_manifests_are_generated_from_the_current_description():
    assert generate.main(["--check"]) == 0, "run: python -m deploy.k8s.generate"


def test_manifests_validate_against_the_kubernetes_schemas():
    files = sorted(str(p) for p in K8S.glob("*.yaml"))
    result = subprocess.run([VALIDATOR, "--strict", "--quiet", *files], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_validator_refuses_a_broken_manifest(tmp_path):
    broken = tmp_path / "broken.yaml"
    broken.write_text("apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: x}\n"
                      "spec: {replicas: many}\n")
    result = subprocess.run([VALIDATOR, "--strict", "--quiet", str(broken)],
                            capture_output=True, text=True)
    assert result.returncode != 0


def test_only_identity_mounts_the_private_key():
    for path in K8S.glob("10-*.yaml"):
        for doc in yaml.safe_load_all(path.read_text()):
            if doc["kind"] != "Deployment":
                continue
            volumes = {v["name"] for v in doc["spec"]["template"]["spec"]["volumes"]}
            service = doc["metadata"]["labels"]["app.kubernetes.io/component"]
            assert ("jwt-private" in volumes) == (service == "identity"), doc["metadata"]["name"]


def test_lottery_scales_with_a_horizontal_pod_autoscaler():
    docs = list(yaml.safe_load_all((K8S / "10-lottery.yaml").read_text()))
    targets = {d["spec"]["scaleTargetRef"]["name"] for d in docs
               if d["kind"] == "HorizontalPodAutoscaler"}
    assert targets == {"lottery", "lottery-scheduler"}


def test_compose_file_is_valid_and_has_every_process():
    result = subprocess.run(["docker-compose", "-f", str(COMPOSE), "config"], capture_output=True,
                            text=True, cwd=REPO_ROOT)
    assert result.returncode == 0, result.stderr
    services = yaml.safe_load(result.stdout)["services"]
    for name in ("postgres", "rabbitmq", "smtp", "gateway", "migrate", "lottery", "lottery-scheduler"):
        assert name in services
    # --scale lottery=3 needs no fixed container name or host port on the lottery services
    assert "container_name" not in services["lottery"] and "ports" not in services["lottery"]
