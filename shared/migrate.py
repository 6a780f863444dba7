"""Run a service's Alembic migrations once, however many replicas start at the same time.

`python -m shared.migrate identity` creates the database if needed and upgrades it to head
under a PostgreSQL advisory lock, so concurrent starts wait for each other instead of racing.
Each service keeps its migrations in `services/<name>/migrations/` with a standard `env.py`
that calls `shared.migrate.run_env()`.
"""

from __future__ import annotations

import sys
import zlib

from alembic import command
from alembic.config import Config
from sqlalchemy import text

from shared.config import REPO_ROOT, load_settings
from shared.db import ensure_database, make_engine


def alembic_config(service: str, url: str) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(REPO_ROOT / "services" / service / "migrations"))
    cfg.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    cfg.attributes["service"] = service
    return cfg


def upgrade(service: str, url: str | None = None) -> None:
    url = url or load_settings(service).database_url
    ensure_database(url)
    engine = make_engine(url)
    lock_key = zlib.crc32(f"migrate:{service}".encode())
    try:
        with engine.connect() as conn:
            conn.execute(text("SELECT pg_advisory_lock(:k)"), {"k": lock_key})
            try:
                cfg = alembic_config(service, url)
                cfg.attributes["connection"] = conn
                command.upgrade(cfg, "head")
                conn.commit()
            finally:
                conn.execute(text("SELECT pg_advisory_unlock(:k)"), {"k": lock_key})
                conn.commit()
    finally:
        engine.dispose()


def run_env(target_metadata) -> None:
    """Body of every service's migrations/env.py."""
    from alembic import context

    cfg = context.config
    connection = cfg.attributes.get("connection")
    if connection is None:
        engine = make_engine(cfg.get_main_option("sqlalchemy.url"))
        with engine.connect() as connection:
            context.configure(connection=connection, target_metadata=target_metadata)
            with context.begin_transaction():
                context.run_migrations()
        engine.dispose()
        return
    context.configure(connection=connection, target_metadata=target_metadata)
    with context.begin_transaction():
        context.run_migrations()


if __name__ == "__main__":
    for name in sys.argv[1:]:
        upgrade(name)
        print(f"migrated {name}")
