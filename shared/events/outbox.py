"""Outbox and processed-events tables, added to each service's own metadata."""

from __future__ import annotations

import json
import uuid
from datetime import UTC, datetime

from sqlalchemy import (
    JSON,
    BigInteger,
    Column,
    DateTime,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    text,
)
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Session

OUTBOX = "event_outbox"
PROCESSED = "processed_event"


def event_tables(metadata: MetaData) -> tuple[Table, Table]:
    """Declare the outbox and processed-event tables on a service's metadata (idempotent)."""
    if OUTBOX in metadata.tables:
        return metadata.tables[OUTBOX], metadata.tables[PROCESSED]
    outbox = Table(
        OUTBOX, metadata,
        Column("seq", BigInteger, primary_key=True, autoincrement=True),
        Column("event_id", String(36), nullable=False, unique=True),
        Column("event_type", String(120), nullable=False),
        Column("body", JSON().with_variant(JSONB, "postgresql"), nullable=False),
        Column("occurred_at", DateTime(timezone=True), nullable=False),
        Column("version", Integer, nullable=False, server_default="1"),
        # not-published / published / failed (eShop's vocabulary)
        Column("state", String(20), nullable=False, server_default="not-published", index=True),
        Column("attempts", Integer, nullable=False, server_default="0"),
        Column("last_error", Text),
        Column("published_at", DateTime(timezone=True)),
    )
    processed = Table(
        PROCESSED, metadata,
        Column("event_id", String(36), primary_key=True),
        Column("consumer", String(80), primary_key=True),
        Column("event_type", String(120), nullable=False),
        Column("processed_at", DateTime(timezone=True), nullable=False,
               server_default=text("now()")),
    )
    return outbox, processed


def record_event(session: Session, event_type: str, body: dict, *, version: int = 1,
                 event_id: str | None = None) -> str:
    """Write an event to the outbox in the caller's transaction. Returns its id."""
    event_id = event_id or str(uuid.uuid4())
    # Round-trip through JSON so dates and decimals are stored as the consumer will read them.
    payload = json.loads(json.dumps(body, ensure_ascii=False, default=str))
    session.execute(
        text(f"INSERT INTO {OUTBOX} (event_id, event_type, body, occurred_at, version) "
             "VALUES (:id, :type, CAST(:body AS jsonb), :at, :v)"),
        {"id": event_id, "type": event_type, "body": json.dumps(payload, ensure_ascii=False),
         "at": datetime.now(UTC), "v": version},
    )
    return event_id
