"""The event bus: transactional outbox, relay with publisher confirms, idempotent consumers.

Producing: inside the same transaction as the state change, call
`record_event(session, "booking.application.submitted", body)`. The relay process
(`python -m shared.events.relay <service>`) publishes it with confirms and marks it published.

Consuming: build a `Consumer` with handlers `handler(session, event)`; each delivery runs in one
transaction that also records the event id, so a redelivered event is skipped; the message is
acked only after that commit. A failing handler's message is returned to its quorum queue; after
`delivery_limit` attempts the broker dead-letters it to `<service>.dead`.
"""

from shared.events.envelope import Event
from shared.events.outbox import event_tables, record_event

__all__ = ["Event", "event_tables", "record_event"]
