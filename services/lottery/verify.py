"""Recompute a published draw from its public audit bundle and say whether it matches (R8.4).

    python -m services.lottery.verify var/public/lottery/2026-12-03/audit.json
    python -m services.lottery.verify http://localhost:8080/public/lottery/2026-12-03/audit.json

Exit status 0 when every date matches, 1 when something differs, 2 when the bundle is unreadable.
Uses only the bundle: no database, no service.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from services.lottery.domain.audit import verify_bundle


def load_bundle(source: str) -> dict:
    if source.startswith(("http://", "https://")):
        import requests

        response = requests.get(source, timeout=30)
        response.raise_for_status()
        return response.json()
    return json.loads(Path(source).read_text(encoding="utf-8"))


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print("usage: python -m services.lottery.verify <audit.json path or URL>")
        return 2
    try:
        bundle = load_bundle(argv[0])
    except (OSError, ValueError) as exc:
        print(f"cannot read the bundle: {exc}")
        return 2
    problems = verify_bundle(bundle)
    period = bundle.get("period", "?")
    if problems:
        print(f"period {period}: DOES NOT MATCH")
        for problem in problems:
            print(f"  - {problem}")
        return 1
    for day in bundle["dates"]:
        print(f"{day['date']}: {day['applications']} applications, {day['places']} places, "
              f"{len(day['winners'])} winning applications ({day['winners_people']} people): OK")
    print(f"period {period}: MATCHES (seed hash {bundle['seed_hash'][:16]}...)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
