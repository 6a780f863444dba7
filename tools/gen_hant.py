"""Generate every `zh-Hant.json` catalogue from its `zh-Hans.json` sibling (`to_traditional`:
OpenCC s2hk, then the Hong Kong phrase table).

    python -m tools.gen_hant          # write them
    python -m tools.gen_hant --check  # exit 1 when a committed catalogue has drifted
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from shared.config import REPO_ROOT
from shared.i18n import to_traditional

SKIP = {".venv", "node_modules", ".git", "var", "dist"}


def simplified_catalogues(root: Path = REPO_ROOT) -> list[Path]:
    found = []
    for path in root.rglob("zh-Hans.json"):
        if not SKIP.intersection(path.relative_to(root).parts):
            found.append(path)
    return sorted(found)


def convert_value(value):
    if isinstance(value, str):
        return to_traditional(value)
    if isinstance(value, dict):
        return {k: convert_value(v) for k, v in value.items()}
    if isinstance(value, list):
        return [convert_value(v) for v in value]
    return value


def expected_traditional(simplified: Path) -> str:
    data = json.loads(simplified.read_text(encoding="utf-8"))
    return json.dumps(convert_value(data), ensure_ascii=False, indent=2) + "\n"


def main(argv: list[str]) -> int:
    check = "--check" in argv
    drifted = []
    for simplified in simplified_catalogues():
        target = simplified.with_name("zh-Hant.json")
        text = expected_traditional(simplified)
        if check:
            if not target.exists() or target.read_text(encoding="utf-8") != text:
                drifted.append(str(target.relative_to(REPO_ROOT)))
        else:
            target.write_text(text, encoding="utf-8")
    if drifted:
        print("zh-Hant catalogues out of date (run python -m tools.gen_hant):",
              *drifted, sep="\n  ")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
