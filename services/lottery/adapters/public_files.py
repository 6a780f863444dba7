"""The static public files nginx serves under /public/ (from <var_dir>/public/)."""

from __future__ import annotations

import json
import os
import secrets
from pathlib import Path


def lottery_dir(var_dir: Path, period: str) -> Path:
    return Path(var_dir) / "public" / "lottery" / period


def write_json(path: Path, data) -> None:
    """Atomic: readers (nginx) never see half a file; several replicas may write the same one."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}.tmp")
    with open(tmp, "w", encoding="utf-8") as out:
        json.dump(data, out, ensure_ascii=False, separators=(",", ":"))
    os.replace(tmp, path)


def files_present(var_dir: Path, period: str) -> bool:
    folder = lottery_dir(var_dir, period)
    return (folder / "winners.json").exists() and (folder / "audit.json").exists()
