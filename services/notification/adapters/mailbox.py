"""The development mailbox: one `.eml` file per message the sink received, in arrival order.

The sink writes each message to `tmp/` and renames it into place, so a reader never sees half a
message. The dev mailbox page and the tests read the same directory.
"""

from __future__ import annotations

import os
import re
import time
import uuid
from dataclasses import dataclass
from email import policy
from email.parser import BytesParser
from pathlib import Path

_NAME = re.compile(r"^\d{19}-[0-9a-f]{32}$")


@dataclass(frozen=True)
class MailboxMessage:
    id: str
    received_at: float
    envelope_from: str
    envelope_to: list[str]
    message_id: str
    sender: str
    to: str
    reply_to: str
    subject: str
    lang: str
    kind: str
    event_id: str
    text: str
    html: str

    def as_dict(self) -> dict:
        return {"id": self.id, "received_at": self.received_at,
                "envelope_from": self.envelope_from, "envelope_to": self.envelope_to,
                "message_id": self.message_id, "from": self.sender, "to": self.to,
                "reply_to": self.reply_to, "subject": self.subject, "lang": self.lang,
                "kind": self.kind, "event_id": self.event_id, "text": self.text, "html": self.html}


def store_message(directory: Path, raw: bytes, envelope_from: str,
                  envelope_to: list[str]) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    (directory / "tmp").mkdir(exist_ok=True)
    name = f"{time.time_ns():019d}-{uuid.uuid4().hex}"
    head = (f"X-Sink-Envelope-From: {envelope_from}\r\n"
            f"X-Sink-Envelope-To: {', '.join(envelope_to)}\r\n").encode()
    tmp = directory / "tmp" / name
    with open(tmp, "wb") as handle:
        handle.write(head + raw)
        handle.flush()
        os.fsync(handle.fileno())
    final = directory / f"{name}.eml"
    os.replace(tmp, final)
    return final


def _parse(path: Path) -> MailboxMessage:
    msg = BytesParser(policy=policy.default).parsebytes(path.read_bytes())
    text_part = msg.get_body(preferencelist=("plain",))
    html_part = msg.get_body(preferencelist=("html",))
    return MailboxMessage(
        id=path.stem, received_at=int(path.stem.split("-")[0]) / 1e9,
        envelope_from=str(msg.get("X-Sink-Envelope-From", "")),
        envelope_to=[a.strip() for a in str(msg.get("X-Sink-Envelope-To", "")).split(",")
                     if a.strip()],
        message_id=str(msg.get("Message-ID", "")), sender=str(msg.get("From", "")),
        to=str(msg.get("To", "")), reply_to=str(msg.get("Reply-To", "")),
        subject=str(msg.get("Subject", "")), lang=str(msg.get("Content-Language", "")),
        kind=str(msg.get("X-HS-Kind", "")), event_id=str(msg.get("X-HS-Event-Id", "")),
        text=_lines(text_part.get_content()) if text_part else "",
        html=_lines(html_part.get_content()) if html_part else "")


def _lines(content: str) -> str:
    return content.replace("\r\n", "\n")


def read_messages(directory: Path, recipient: str | None = None) -> list[MailboxMessage]:
    """Every message, oldest first; only those addressed to `recipient` when given."""
    if not directory.is_dir():
        return []
    messages = [_parse(p) for p in sorted(directory.glob("*.eml")) if _NAME.match(p.stem)]
    if recipient:
        wanted = recipient.lower()
        messages = [m for m in messages if wanted in (a.lower() for a in m.envelope_to)]
    return messages


def read_message(directory: Path, message_id: str) -> MailboxMessage | None:
    if not _NAME.match(message_id):
        return None
    path = directory / f"{message_id}.eml"
    return _parse(path) if path.is_file() else None


def raw_message(directory: Path, message_id: str) -> bytes | None:
    if not _NAME.match(message_id):
        return None
    path = directory / f"{message_id}.eml"
    return path.read_bytes() if path.is_file() else None
