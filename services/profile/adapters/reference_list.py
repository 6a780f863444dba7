"""Reading the operator's reference list of documents (CSV with a header row):

    document_type,document_number,name,date_of_birth
    hk_macao_resident_permit,H12345678,陈大文,1980-01-31

Numbers are normalized like every other number; a row that does not fit is reported by line
and nothing of the file is imported (an operator fixes the file and imports it again).
"""

from __future__ import annotations

import csv
import io
from datetime import date

from services.profile.domain import documents as docs
from services.profile.domain.person import normalize_name

COLUMNS = ("document_type", "document_number", "name", "date_of_birth")


class ReferenceFileError(ValueError):
    def __init__(self, problems: list[tuple[int, str]]):
        super().__init__("; ".join(f"line {n}: {p}" for n, p in problems))
        self.problems = problems


def parse_reference_csv(text: str) -> list[dict]:
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    missing = [c for c in COLUMNS[:3] if c not in (reader.fieldnames or [])]
    if missing:
        raise ReferenceFileError([(1, "missing columns: " + ", ".join(missing))])
    rows, problems = [], []
    for line, raw in enumerate(reader, start=2):
        document_type = (raw.get("document_type") or "").strip()
        number = docs.normalize_number(raw.get("document_number") or "")
        name = normalize_name(raw.get("name") or "")
        birth = (raw.get("date_of_birth") or "").strip()
        if document_type not in docs.DOCUMENT_TYPES:
            problems.append((line, f"unknown document_type {document_type!r}"))
            continue
        if docs.number_problem(document_type, number):
            problems.append((line, "document_number does not fit its type"))
            continue
        if not name:
            problems.append((line, "name is empty"))
            continue
        try:
            born = date.fromisoformat(birth) if birth else None
        except ValueError:
            problems.append((line, f"date_of_birth {birth!r} is not YYYY-MM-DD"))
            continue
        rows.append({"document_type": document_type, "document_number": number,
                     "name": name, "date_of_birth": born})
    if problems:
        raise ReferenceFileError(problems)
    return rows
