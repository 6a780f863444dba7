from __future__ import annotations

import json
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime


@dataclass(frozen=True)
class Event:
    type: str
    body: dict
    producer: str = ""
    id: str = field(default_factory=lambda: str(uuid.uuid4()))
    occurred_at: str = field(default_factory=lambda: datetime.now(UTC).isoformat())
    version: int = 1

    def to_json(self) -> bytes:
        return json.dumps({"id": self.id, "type": self.type, "occurred_at": self.occurred_at,
                           "version": self.version, "producer": self.producer,
                           "body": self.body}, ensure_ascii=False, default=str).encode()

    @classmethod
    def from_json(cls, raw: bytes) -> Event:
        data = json.loads(raw)
        return cls(type=data["type"], body=data["body"], producer=data.get("producer", ""),
                   id=data["id"], occurred_at=data["occurred_at"],
                   version=int(data.get("version", 1)))
