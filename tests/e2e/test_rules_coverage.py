"""Every rule of ../shared/rules.md is named by at least one end-to-end test (issue 7: "the e2e
run shows every rule of rules.md exercised"). Rule ids are R<section>.<n>; a test names one in
its name or docstring, with a dot (`R8.2`) or an underscore (`test_R8_2_...`)."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from shared.config import REPO_ROOT

pytestmark = pytest.mark.e2e
# the `shared` folder beside the repository (CI keeps a copy there); HS_RULES_PATH for a
# checkout elsewhere, e.g. a worktree
RULES = Path(os.environ.get("HS_RULES_PATH") or REPO_ROOT.parent / "shared" / "rules.md")
E2E = Path(__file__).parent


def rule_ids(text: str) -> list[str]:
    """The ids a rule line starts with: `- R7.3 The user picks ...`."""
    return list(dict.fromkeys(re.findall(r"^- (R\d+\.\d+)\b", text, flags=re.MULTILINE)))


def named_ids(text: str) -> set[str]:
    return {f"R{a}.{b}" for a, b in re.findall(r"R(\d+)[._](\d+)(?!\d)", text)}


def test_rule_ids_are_read_from_rules_md():
    assert RULES.is_file(), f"{RULES} is missing: set HS_RULES_PATH to ../shared/rules.md"
    ids = rule_ids(RULES.read_text(encoding="utf-8"))
    assert ids[0] == "R1.1" and "R14.1" in ids and "R8.4" in ids, ids
    assert named_ids("test_R12_3_bans and R8.2, not R8.20x") >= {"R12.3", "R8.2"}


def test_every_rule_is_named_by_an_end_to_end_test():
    ids = rule_ids(RULES.read_text(encoding="utf-8"))
    named: set[str] = set()
    for path in sorted(E2E.glob("test_*.py")):
        if path.name != Path(__file__).name:
            named |= named_ids(path.read_text(encoding="utf-8"))
    missing = [rule for rule in ids if rule not in named]
    assert not missing, f"rules no e2e test names: {', '.join(missing)}"
