"""Declare every service's consumer queues before any relay publishes, so that no event is
published while its subscriber's queue does not exist yet (it would be unroutable).

Each service's `entrypoints/consumer.py` exposes `QUEUES`: {queue name: {event type: handler}}.

    python -m shared.events.declare
"""

from __future__ import annotations

import importlib
import sys

from shared.config import REPO_ROOT, load_settings
from shared.events.broker import connect, declare_queue


def consumer_modules():
    for path in sorted((REPO_ROOT / "services").glob("*/entrypoints/consumer.py")):
        service = path.parent.parent.name
        yield service, importlib.import_module(f"services.{service}.entrypoints.consumer")


def declare_all() -> list[str]:
    declared = []
    connection = None
    try:
        for service, module in consumer_modules():
            settings = load_settings(service)
            if connection is None:
                connection = connect(settings.amqp_url)
                channel = connection.channel()
            for name, handlers in getattr(module, "QUEUES", {}).items():
                queue = settings.queue(name)
                declare_queue(channel, settings, queue, list(handlers))
                declared.append(queue)
    finally:
        if connection is not None:
            connection.close()
    return declared


if __name__ == "__main__":
    for queue in declare_all():
        print(f"declared {queue}")
    sys.exit(0)
