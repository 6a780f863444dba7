"""Generate the Kubernetes manifests of deploy/k8s/ from one description of the processes,
so the many Deployments cannot drift apart. `python -m deploy.k8s.generate` rewrites them;
tests/unit/test_deploy.py checks they are current and valid against the Kubernetes schemas.

Scheduling: the draw, the publication, period opening/closing and the no-show sweep are ticks
of each service's scheduler Deployment (shared/scheduler.py). Not a CronJob: cron may run a job
twice or not at all; every tick asks the database whether there is work, so any number of
scheduler replicas is safe.
"""

from __future__ import annotations

import sys
from pathlib import Path

import yaml

HERE = Path(__file__).resolve().parent
NAMESPACE = "health-stations"
IMAGE = "health-stations/app:latest"
GATEWAY_IMAGE = "health-stations/gateway:latest"
API_PORT = 8000

# service -> its background processes (besides the API), as commands
WORKERS = {
    "identity": {"relay": ["python", "-m", "shared.events.relay", "identity"],
                 "consumer": ["python", "-m", "services.identity.entrypoints.consumer"]},
    "profile": {"relay": ["python", "-m", "shared.events.relay", "profile"],
                "consumer": ["python", "-m", "services.profile.entrypoints.consumer"]},
    "booking": {"relay": ["python", "-m", "shared.events.relay", "booking"],
                "consumer": ["python", "-m", "services.booking.entrypoints.consumer"],
                "scheduler": ["python", "-m", "services.booking.entrypoints.scheduler"]},
    "lottery": {"relay": ["python", "-m", "shared.events.relay", "lottery"],
                "consumer": ["python", "-m", "services.lottery.entrypoints.consumer"],
                "scheduler": ["python", "-m", "services.lottery.entrypoints.scheduler"]},
    # notification publishes no events, so it has no outbox relay
    "notification": {"consumer": ["python", "-m", "services.notification.entrypoints.consumer"],
                     "sender": ["python", "-m", "services.notification.entrypoints.sender"]},
}
REPLICAS = {"identity": 2, "profile": 2, "booking": 3, "lottery": 3, "notification": 1}


HMAC_KEYS = {"captcha": ("identity", "booking"), "booking_slip": ("booking",)}


def labels(name: str, component: str) -> dict:
    return {"app.kubernetes.io/name": name, "app.kubernetes.io/part-of": "health-stations",
            "app.kubernetes.io/component": component}


def env_from(service: str) -> tuple[list, list]:
    env = [{"name": "HS_MODE", "value": "production"},
           {"name": "JWT_PUBLIC_KEY_PATH", "value": "/keys/public/jwt_public.pem"},
           {"name": "JWT_PRIVATE_KEY_PATH", "value": "/keys/private/jwt_private.pem"},
           {"name": f"{service.upper()}_DATABASE_URL", "valueFrom": {"secretKeyRef": {
               "name": "hs-database", "key": f"{service}-url"}}},
           {"name": "AMQP_URL", "valueFrom": {"secretKeyRef": {"name": "hs-broker", "key": "url"}}}]
    # HMAC keys (hex): identity signs captcha tokens that booking checks; booking signs slips
    for name, users in HMAC_KEYS.items():
        if service in users:
            env.append({"name": f"{name.upper()}_KEY", "valueFrom": {"secretKeyRef": {
                "name": "hs-hmac-keys", "key": name.replace("_", "-")}}})
    return env, [{"configMapRef": {"name": "hs-config"}}]


def key_volumes(service: str) -> tuple[list, list]:
    volumes = [{"name": "jwt-public", "secret": {"secretName": "hs-jwt-public"}}]
    mounts = [{"name": "jwt-public", "mountPath": "/keys/public", "readOnly": True}]
    if service == "identity":  # only identity holds the signing key
        volumes.append({"name": "jwt-private", "secret": {"secretName": "hs-jwt-private"}})
        mounts.append({"name": "jwt-private", "mountPath": "/keys/private", "readOnly": True})
    return volumes, mounts


def container(name: str, service: str, command: list[str], api: bool) -> dict:
    env, env_from_sources = env_from(service)
    _, mounts = key_volumes(service)
    spec = {"name": name, "image": IMAGE, "command": command, "env": env,
            "envFrom": env_from_sources, "volumeMounts": mounts,
            "securityContext": {"runAsNonRoot": True, "runAsUser": 1000,
                                "allowPrivilegeEscalation": False},
            "resources": {"requests": {"cpu": "100m" if not api else "250m",
                                       "memory": "128Mi" if not api else "256Mi"},
                          "limits": {"memory": "512Mi" if not api else "1Gi"}}}
    if api:
        spec["ports"] = [{"name": "http", "containerPort": API_PORT}]
        spec["readinessProbe"] = {"httpGet": {"path": "/ready", "port": "http"},
                                  "periodSeconds": 5, "failureThreshold": 3}
        spec["livenessProbe"] = {"httpGet": {"path": "/health", "port": "http"},
                                 "periodSeconds": 10, "failureThreshold": 6}
    else:
        # A worker is alive while its process runs; Kubernetes restarts it when it exits.
        spec["livenessProbe"] = {"exec": {"command": ["python", "-c", "import os; os.kill(1, 0)"]},
                                 "periodSeconds": 30}
    return spec


def deployment(name: str, service: str, command: list[str], api: bool, replicas: int) -> dict:
    volumes, _ = key_volumes(service)
    return {"apiVersion": "apps/v1", "kind": "Deployment",
            "metadata": {"name": name, "namespace": NAMESPACE, "labels": labels(name, service)},
            "spec": {"replicas": replicas,
                     "selector": {"matchLabels": {"app.kubernetes.io/name": name}},
                     "template": {"metadata": {"labels": labels(name, service)},
                                  "spec": {"containers": [container(name, service, command, api)],
                                           "volumes": volumes,
                                           "terminationGracePeriodSeconds": 30}}}}


def api_command(service: str) -> list[str]:
    return ["gunicorn", "--bind", f"0.0.0.0:{API_PORT}", "--workers", "3", "--timeout", "30",
            f"services.{service}.entrypoints.app:create_app()"]


def manifests() -> dict[str, list[dict]]:
    files: dict[str, list[dict]] = {}
    files["00-namespace.yaml"] = [{"apiVersion": "v1", "kind": "Namespace",
                                   "metadata": {"name": NAMESPACE}}]
    files["01-config.yaml"] = [
        {"apiVersion": "v1", "kind": "ConfigMap",
         "metadata": {"name": "hs-config", "namespace": NAMESPACE},
         "data": {"PUBLIC_BASE_URL": "https://hk.sz.gov.cn", "SUPPORT_MAILBOX": "szhkhotel@163.com",
                  "SMTP_HOST": "smtp.internal", "SMTP_PORT": "587", "SMTP_STARTTLS": "true",
                  "HS_VAR_DIR": "/var/lib/hs"}},
        # Values are placeholders to be replaced by the operator's secret store; never real keys.
        {"apiVersion": "v1", "kind": "Secret", "type": "Opaque",
         "metadata": {"name": "hs-jwt-private", "namespace": NAMESPACE},
         "stringData": {"jwt_private.pem": "REPLACE-WITH-PRIVATE-KEY"}},
        {"apiVersion": "v1", "kind": "Secret", "type": "Opaque",
         "metadata": {"name": "hs-jwt-public", "namespace": NAMESPACE},
         "stringData": {"jwt_public.pem": "REPLACE-WITH-PUBLIC-KEY"}},
        {"apiVersion": "v1", "kind": "Secret", "type": "Opaque",
         "metadata": {"name": "hs-database", "namespace": NAMESPACE},
         "stringData": {f"{s}-url": f"postgresql+psycopg2://{s}:REPLACE@postgres:5432/hs_{s}"
                        for s in WORKERS}},
        {"apiVersion": "v1", "kind": "Secret", "type": "Opaque",
         "metadata": {"name": "hs-hmac-keys", "namespace": NAMESPACE},
         "stringData": {name.replace("_", "-"): "REPLACE-WITH-64-HEX-DIGITS"
                        for name in HMAC_KEYS}},
        {"apiVersion": "v1", "kind": "Secret", "type": "Opaque",
         "metadata": {"name": "hs-broker", "namespace": NAMESPACE},
         "stringData": {"url": "amqp://hs:REPLACE@rabbitmq:5672/%2F"}},
    ]
    # Migrations run once per release as a Job (not in every replica: they would race).
    migrate_env, migrate_env_from = [], [{"configMapRef": {"name": "hs-config"}}]
    for service in WORKERS:
        migrate_env.append({"name": f"{service.upper()}_DATABASE_URL", "valueFrom": {
            "secretKeyRef": {"name": "hs-database", "key": f"{service}-url"}}})
    migrate_env.append({"name": "AMQP_URL", "valueFrom": {"secretKeyRef": {"name": "hs-broker",
                                                                           "key": "url"}}})
    files["02-migrate-job.yaml"] = [{
        "apiVersion": "batch/v1", "kind": "Job",
        "metadata": {"name": "hs-migrate", "namespace": NAMESPACE, "labels": labels("hs-migrate", "migrate")},
        "spec": {"backoffLimit": 3, "template": {"spec": {
            "restartPolicy": "OnFailure",
            "containers": [{"name": "migrate", "image": IMAGE, "env": migrate_env,
                            "envFrom": migrate_env_from,
                            "command": ["sh", "-c", "python -m shared.migrate " + " ".join(WORKERS)
                                        + " && python -m shared.events.declare"],
                            "resources": {"requests": {"cpu": "100m", "memory": "128Mi"}}}]}}}}]
    for service, workers in WORKERS.items():
        docs = [deployment(service, service, api_command(service), True, REPLICAS[service]),
                {"apiVersion": "v1", "kind": "Service",
                 "metadata": {"name": service, "namespace": NAMESPACE, "labels": labels(service, service)},
                 "spec": {"selector": {"app.kubernetes.io/name": service},
                          "ports": [{"name": "http", "port": API_PORT, "targetPort": "http"}]}}]
        for worker, command in workers.items():
            replicas = REPLICAS[service] if (service, worker) == ("lottery", "scheduler") else 1
            docs.append(deployment(f"{service}-{worker}", service, command, False, replicas))
        if service == "lottery":
            for target in ("lottery", "lottery-scheduler"):
                docs.append({
                    "apiVersion": "autoscaling/v2", "kind": "HorizontalPodAutoscaler",
                    "metadata": {"name": target, "namespace": NAMESPACE},
                    "spec": {"scaleTargetRef": {"apiVersion": "apps/v1", "kind": "Deployment",
                                                "name": target},
                             "minReplicas": 3, "maxReplicas": 12,
                             "metrics": [{"type": "Resource", "resource": {
                                 "name": "cpu", "target": {"type": "Utilization",
                                                           "averageUtilization": 60}}}]}})
        files[f"10-{service}.yaml"] = docs
    files["20-gateway.yaml"] = [
        {"apiVersion": "apps/v1", "kind": "Deployment",
         "metadata": {"name": "gateway", "namespace": NAMESPACE, "labels": labels("gateway", "gateway")},
         "spec": {"replicas": 2, "selector": {"matchLabels": {"app.kubernetes.io/name": "gateway"}},
                  "template": {"metadata": {"labels": labels("gateway", "gateway")},
                               "spec": {"containers": [{
                                   "name": "nginx", "image": GATEWAY_IMAGE,
                                   "ports": [{"name": "http", "containerPort": 8080}],
                                   "readinessProbe": {"httpGet": {"path": "/", "port": "http"}},
                                   "livenessProbe": {"httpGet": {"path": "/", "port": "http"}},
                                   "resources": {"requests": {"cpu": "100m", "memory": "64Mi"},
                                                 "limits": {"memory": "256Mi"}}}]}}}},
        {"apiVersion": "v1", "kind": "Service",
         "metadata": {"name": "gateway", "namespace": NAMESPACE},
         "spec": {"selector": {"app.kubernetes.io/name": "gateway"},
                  "ports": [{"name": "http", "port": 80, "targetPort": "http"}]}},
        {"apiVersion": "networking.k8s.io/v1", "kind": "Ingress",
         "metadata": {"name": "health-stations", "namespace": NAMESPACE},
         "spec": {"rules": [{"host": "hk.sz.gov.cn", "http": {"paths": [{
             "path": "/", "pathType": "Prefix",
             "backend": {"service": {"name": "gateway", "port": {"name": "http"}}}}]}}]}},
    ]
    return files


def render(docs: list[dict]) -> str:
    header = "# Generated by `python -m deploy.k8s.generate`; edit generate.py, not this file.\n"
    return header + "---\n".join(yaml.safe_dump(d, sort_keys=False, allow_unicode=True) for d in docs)


def main(argv: list[str]) -> int:
    check = "--check" in argv
    stale = []
    for name, docs in manifests().items():
        path, text = HERE / name, render(docs)
        if check:
            if not path.exists() or path.read_text() != text:
                stale.append(name)
        else:
            path.write_text(text)
    if stale:
        print("stale manifests:", ", ".join(stale))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
