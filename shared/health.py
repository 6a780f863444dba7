"""Liveness (`/health`: the process answers) and readiness (`/ready`: its database answers),
both at the root for probes and under `/api/<service>/` for the gateway."""

from __future__ import annotations

from flask import Blueprint, current_app, jsonify
from sqlalchemy import text


def health_blueprint(service: str) -> Blueprint:
    bp = Blueprint("health", __name__)

    def live():
        return jsonify(status="ok", service=service)

    def ready():
        ctx = current_app.extensions["hs"]
        try:
            with ctx.engine.connect() as conn:
                conn.execute(text("SELECT 1"))
        except Exception:  # noqa: BLE001 - any failure means not ready
            return jsonify(status="unavailable", service=service, database="down"), 503
        return jsonify(status="ok", service=service, database="up")

    for prefix in ("", f"/api/{service}"):
        bp.add_url_rule(f"{prefix}/health", f"live{prefix.replace('/', '_')}", live)
        bp.add_url_rule(f"{prefix}/ready", f"ready{prefix.replace('/', '_')}", ready)
    return bp
