"""Start the development system afresh: drop its databases and published files, put the clock
back to real time. The demo and every clock move leave periods drawn and published (for what
are, in real time, future dates) in the development databases; this removes them.

    bin/up is stopped first; then:  .venv/bin/python -m tools.reset_development
    bin/up (or bin/setup) creates and migrates the databases again.

Development mode only, and only the databases of this machine's settings (`DATABASE_SUFFIX`):
test runs' databases are tools.clean_test_resources' business. Broker queues are kept (they are
declared again as they are); messages still in them belong to the dropped data and are purged.
"""

from __future__ import annotations

import shutil
import sys

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from shared.clock import Clock
from shared.config import load_settings
from shared.db import drop_database
from shared.events.broker import connect

SERVICES = ("identity", "profile", "booking", "lottery", "notification")


def connected_clients(url: str) -> int:
    parsed = make_url(url)
    admin = create_engine(parsed.set(database="postgres"))
    try:
        with admin.connect() as conn:
            return conn.execute(text("SELECT count(*) FROM pg_stat_activity WHERE datname = :d"),
                                {"d": parsed.database}).scalar()
    finally:
        admin.dispose()


def main() -> int:
    settings = {service: load_settings(service) for service in SERVICES}
    first = settings["identity"]
    if first.mode != "development":
        print(f"refused: HS_MODE is {first.mode!r}; this resets the development system only")
        return 2
    busy = [s for s, cfg in settings.items() if connected_clients(cfg.database_url)]
    if busy:
        print(f"refused: {', '.join(busy)} still connected; stop bin/up first")
        return 1
    for cfg in settings.values():
        drop_database(cfg.database_url)
        print(f"dropped {make_url(cfg.database_url).database}")
    for folder in ("public", "mailbox"):
        shutil.rmtree(first.var_dir / folder, ignore_errors=True)
    connection = connect(first.amqp_url)
    try:
        channel = connection.channel()
        for service in SERVICES:
            for name in (f"{first.broker_prefix}{service}.main",
                         f"{first.broker_prefix}{service}.main.dead"):
                try:
                    channel.queue_purge(name)
                except Exception:  # noqa: BLE001 (a queue not declared yet: nothing to purge)
                    channel = connection.channel()
    finally:
        connection.close()
    Clock(first.clock_file, settable=True).reset()
    print("clock back to real time; run bin/up (or bin/setup) to create the databases again")
    return 0


if __name__ == "__main__":
    sys.exit(main())
