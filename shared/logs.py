"""Structured (JSON) logs that never show a document number in full."""

from __future__ import annotations

import json
import logging
import re
import sys
from datetime import UTC, datetime

# Travel permits, passports and identity cards: a letter prefix (optional) and a long digit run.
_DOCUMENT_LIKE = re.compile(
    r"(?<![A-Za-z0-9])([A-Za-z]{0,2})(\d{2})(\d{3,14})(\d{2}|\d[Xx])(?![A-Za-z0-9])")


def mask_document(number: str) -> str:
    """`H12345678` -> `H12*****78`: enough for the owner to recognise, too little to use."""
    number = number or ""
    if len(number) <= 4:
        return "*" * len(number)
    keep_head = 3 if len(number) > 8 else 2
    return number[:keep_head] + "*" * (len(number) - keep_head - 2) + number[-2:]


def mask_documents_in(text: str) -> str:
    return _DOCUMENT_LIKE.sub(
        lambda m: m.group(1) + m.group(2) + "*" * len(m.group(3)) + m.group(4), text)


class JsonFormatter(logging.Formatter):
    def __init__(self, process_name: str):
        super().__init__()
        self.process_name = process_name

    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": datetime.fromtimestamp(record.created, tz=UTC).isoformat(),
            "level": record.levelname,
            "process": self.process_name,
            "logger": record.name,
            "message": mask_documents_in(record.getMessage()),
        }
        if record.exc_info:
            entry["exception"] = mask_documents_in(self.formatException(record.exc_info))
        return json.dumps(entry, ensure_ascii=False)


def configure_logging(process_name: str, level: str = "INFO") -> None:
    handler = logging.StreamHandler(sys.stdout)
    handler.setFormatter(JsonFormatter(process_name))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    logging.getLogger("pika").setLevel(logging.WARNING)
