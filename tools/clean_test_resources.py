"""Delete what test runs left behind on the shared servers: databases `hs_<service>_t…` /
`hs_<service>_e…` and broker queues and exchanges whose names carry a test run's prefix.

Leftover quorum queues are not harmless: each reserves file handles, and past RabbitMQ's limit
every new connection hangs. CI calls this before the suite; a developer may call it when no
other test run is going on (it cannot tell a running run's resources from a dead one's).

    python -m tools.clean_test_resources
"""

from __future__ import annotations

import re
import subprocess
import sys

from sqlalchemy import create_engine, text

from shared.config import load_settings
from shared.db import drop_database
from shared.events.broker import connect

SERVICES = ("identity", "profile", "booking", "lottery", "notification", "sharedtest")
TEST_DATABASE = re.compile(rf"^hs_({'|'.join(SERVICES)})_[a-z0-9_]+$")
# Test runs name broker objects `t<run>.…`, `e<run>.…` (shared/testing.py, tests/e2e/system.py)
# or another prefix of their own; the development system's names have no prefix.
DEVELOPMENT_QUEUE = re.compile(rf"^({'|'.join(SERVICES)})\.")


def test_databases(server_url: str) -> list[str]:
    engine = create_engine(f"{server_url}/postgres")
    with engine.connect() as conn:
        names = conn.execute(text("SELECT datname FROM pg_database")).scalars().all()
    engine.dispose()
    return [n for n in names if TEST_DATABASE.match(n)]


def broker_names(kind: str) -> list[str]:
    result = subprocess.run(["rabbitmqctl", "-q", f"list_{kind}", "name"], capture_output=True,
                            text=True, timeout=120)
    return [line.strip() for line in result.stdout.splitlines() if line.strip()]


def main() -> int:
    settings = load_settings("identity")
    server = settings.database_url.rsplit("/", 1)[0]
    for name in test_databases(server):
        drop_database(f"{server}/{name}")
        print(f"dropped database {name}")
    connection = connect(settings.amqp_url)
    channel = connection.channel()
    for queue in broker_names("queues"):
        if not DEVELOPMENT_QUEUE.match(queue):
            channel.queue_delete(queue)
            print(f"deleted queue {queue}")
    for exchange in broker_names("exchanges"):
        if exchange.endswith(("hs.events", "hs.dead")) and exchange not in ("hs.events", "hs.dead"):
            channel.exchange_delete(exchange)
    connection.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
