"""Operator commands.

    python -m services.profile.entrypoints.cli import-references FILE.csv
    python -m services.profile.entrypoints.cli count-references
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from services.profile.adapters import repository as repo
from services.profile.adapters.reference_list import ReferenceFileError, parse_reference_csv
from services.profile.service_layer import handlers
from services.profile.service_layer.sources import source_factory
from shared.clock import clock_from_settings
from shared.config import load_settings
from shared.db import make_engine, make_session_factory, transaction


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="profile-cli")
    sub = parser.add_subparsers(dest="command", required=True)
    imp = sub.add_parser("import-references", help="import the reference list of documents")
    imp.add_argument("file", type=Path)
    sub.add_parser("count-references")
    args = parser.parse_args(argv)

    settings = load_settings("profile")
    engine = make_engine(settings.database_url, pool_size=1)
    sessions = make_session_factory(engine)
    deps = handlers.Deps(now=clock_from_settings(settings).now, source_for=source_factory(),
                         public_base_url=settings.public_base_url)
    try:
        if args.command == "import-references":
            try:
                rows = parse_reference_csv(args.file.read_text(encoding="utf-8"))
            except ReferenceFileError as exc:
                for line, problem in exc.problems:
                    print(f"{args.file}:{line}: {problem}", file=sys.stderr)
                return 1
            with transaction(sessions) as session:
                count = handlers.import_references(session, deps, rows)
                total = repo.count_references(session)
            print(f"imported {count} documents; the list holds {total}")
        else:
            with transaction(sessions) as session:
                print(repo.count_references(session))
        return 0
    finally:
        engine.dispose()


if __name__ == "__main__":
    sys.exit(main())
