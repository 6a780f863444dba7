"""Operator commands of the identity service.

    python -m services.identity.entrypoints.cli import-legacy FILE.csv
    python -m services.identity.entrypoints.cli create-staff --role reviewer \
        --username li --password P

The CSV format is in docs/identity.md (R3: nonconforming documents are kept as they were).
"""

from __future__ import annotations

import argparse
import csv
import sys
from datetime import datetime

from services.identity.service_layer import handlers
from shared.clock import BEIJING, clock_from_settings
from shared.config import load_settings
from shared.db import make_engine, make_session_factory, transaction
from shared.logs import mask_document

REQUIRED_COLUMNS = ("nationality", "document_type", "document_number",
                    "password_hash_or_password")


def _registered_at(value: str | None) -> datetime | None:
    if not value or not value.strip():
        return None
    parsed = datetime.fromisoformat(value.strip())
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=BEIJING)


def import_legacy(path: str, sessions, now: datetime, out=None) -> dict[str, int]:
    """Each row in its own transaction: one bad row is reported and the rest still imported."""
    out = out or sys.stdout
    counts = {"imported": 0, "duplicate": 0, "invalid": 0}
    with open(path, newline="", encoding="utf-8-sig") as handle:
        reader = csv.DictReader(handle)
        missing = [c for c in REQUIRED_COLUMNS if c not in (reader.fieldnames or [])]
        if missing:
            raise SystemExit(f"{path}: missing columns {', '.join(missing)}")
        for line, record in enumerate(reader, start=2):
            try:
                row = handlers.LegacyRow(
                    nationality=record["nationality"] or "",
                    document_type=record["document_type"] or "",
                    document_number=record["document_number"] or "",
                    password_hash_or_password=record["password_hash_or_password"] or "",
                    registered_at=_registered_at(record.get("registered_at")))
                with transaction(sessions) as session:
                    account = handlers.import_legacy_account(session, row, now)
            except ValueError as exc:
                counts["invalid"] += 1
                print(f"line {line}: skipped, {exc}", file=out)
                continue
            if account is None:
                counts["duplicate"] += 1
                print(f"line {line}: skipped, {mask_document(row.document_number)} "
                      "already has an account", file=out)
            else:
                counts["imported"] += 1
    print(f"imported {counts['imported']}, duplicates {counts['duplicate']}, "
          f"invalid {counts['invalid']}", file=out)
    return counts


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m services.identity.entrypoints.cli")
    commands = parser.add_subparsers(dest="command", required=True)
    legacy = commands.add_parser("import-legacy", help="import legacy accounts from CSV (R3)")
    legacy.add_argument("file")
    staff = commands.add_parser("create-staff", help="create (or update) a staff account")
    staff.add_argument("--role", required=True, choices=["reviewer", "operator", "admin"])
    staff.add_argument("--username", required=True)
    staff.add_argument("--password", required=True)
    args = parser.parse_args(argv)

    settings = load_settings("identity")
    engine = make_engine(settings.database_url, pool_size=1)
    sessions = make_session_factory(engine)
    now = clock_from_settings(settings).now()
    try:
        if args.command == "import-legacy":
            counts = import_legacy(args.file, sessions, now)
            return 1 if counts["invalid"] else 0
        try:
            with transaction(sessions) as session:
                account = handlers.create_staff(session, args.role, args.username,
                                                args.password, now)
        except ValueError as exc:
            print(f"refused: {exc}", file=sys.stderr)
            return 2
        print(f"staff account {account.document_number} ({', '.join(account.roles)}): "
              f"log in with the username through the staff link (/login?staff=1)")
        return 0
    finally:
        engine.dispose()


if __name__ == "__main__":
    sys.exit(main())
