"""Configuration from environment variables, with defaults that fit the local machine."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
MODES = ("development", "test", "production")

SERVICE_PORTS = {
    "identity": 8101,
    "profile": 8102,
    "booking": 8103,
    "lottery": 8104,
    "notification": 8105,
}


def _env(name: str, default: str) -> str:
    value = os.environ.get(name)
    return default if value in (None, "") else value


@dataclass(frozen=True)
class Settings:
    service: str
    mode: str
    database_url: str
    amqp_url: str
    # Prefix for exchange and queue names: lets a test run own its broker objects.
    broker_prefix: str
    jwt_public_key_path: Path
    jwt_private_key_path: Path
    jwt_issuer: str
    jwt_audience: str
    access_token_minutes: int
    refresh_token_days: int
    clock_file: Path
    var_dir: Path
    public_base_url: str
    support_mailbox: str
    extra: dict = field(default_factory=dict)

    @property
    def is_production(self) -> bool:
        return self.mode == "production"

    @property
    def exchange(self) -> str:
        return f"{self.broker_prefix}hs.events"

    @property
    def dead_letter_exchange(self) -> str:
        return f"{self.broker_prefix}hs.dead"

    def queue(self, name: str) -> str:
        return f"{self.broker_prefix}{self.service}.{name}"


def database_url_for(service: str) -> str:
    """`<SERVICE>_DATABASE_URL`, else a database named after the service on the local server."""
    explicit = os.environ.get(f"{service.upper()}_DATABASE_URL")
    if explicit:
        return explicit
    base = _env("DATABASE_SERVER_URL", "postgresql+psycopg2://postgres@127.0.0.1:5432")
    suffix = _env("DATABASE_SUFFIX", "")
    return f"{base}/hs_{service}{suffix}"


def load_settings(service: str) -> Settings:
    mode = _env("HS_MODE", "development")
    if mode not in MODES:
        raise ValueError(f"HS_MODE must be one of {MODES}, not {mode!r}")
    var_dir = Path(_env("HS_VAR_DIR", str(REPO_ROOT / "var")))
    keys = Path(_env("JWT_KEY_DIR", str(var_dir / "keys")))
    return Settings(
        service=service,
        mode=mode,
        database_url=database_url_for(service),
        amqp_url=_env("AMQP_URL", "amqp://guest:guest@127.0.0.1:5672/%2F"),
        broker_prefix=_env("BROKER_PREFIX", ""),
        jwt_public_key_path=Path(_env("JWT_PUBLIC_KEY_PATH", str(keys / "jwt_public.pem"))),
        jwt_private_key_path=Path(_env("JWT_PRIVATE_KEY_PATH", str(keys / "jwt_private.pem"))),
        jwt_issuer=_env("JWT_ISSUER", "hs-identity"),
        jwt_audience=_env("JWT_AUDIENCE", "hs-services"),
        access_token_minutes=int(_env("ACCESS_TOKEN_MINUTES", "30")),
        refresh_token_days=int(_env("REFRESH_TOKEN_DAYS", "7")),
        clock_file=Path(_env("CLOCK_FILE", str(var_dir / "clock.json"))),
        var_dir=var_dir,
        public_base_url=_env("PUBLIC_BASE_URL", "http://localhost:8080"),
        support_mailbox=_env("SUPPORT_MAILBOX", "szhkhotel@163.com"),
    )
