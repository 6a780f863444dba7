"""Every catalogue key the service can raise exists in zh-Hans and en (and zh-Hant, generated)."""

import json
import re
from pathlib import Path

from services.profile.domain import cohabitants, documents, review

HERE = Path(__file__).resolve().parents[2]


def load(lang):
    shared = json.loads((HERE.parents[1] / "shared" / "messages" / f"{lang}.json").read_text())
    return shared | json.loads((HERE / "messages" / f"{lang}.json").read_text())


def used_keys() -> set[str]:
    keys = set()
    pattern = re.compile(r"\"((?:person|document|cohabitant|cohabitants|review|reference|field)"
                         r"\.[a-z_.]+)\"")
    for path in HERE.rglob("*.py"):
        if "tests" not in path.parts:
            keys |= set(pattern.findall(path.read_text()))
    keys |= {f"document.looks_like.{t}" for t in documents.DOCUMENT_TYPES
             if t not in (documents.TAIWAN_PERMIT, documents.FOREIGN_PASSPORT)}
    keys |= {f"reason.{c}" for c in review.REASON_CODES}
    keys |= {f"case.{c}" for c in review.CASE_REASONS}
    keys |= {f"relation.{c}" for c in cohabitants.RELATIONS}
    keys |= {f"category.{c}" for c in cohabitants.CATEGORIES}
    keys |= {f"document_type.{c}" for c in documents.DOCUMENT_TYPES}
    return keys - {"document.looks_like."}


def test_every_raised_key_is_in_every_language():
    keys = used_keys()
    assert len(keys) > 60
    for lang in ("zh-Hans", "zh-Hant", "en"):
        missing = sorted(k for k in keys if k not in load(lang))
        assert missing == [], (lang, missing)


def test_both_authored_catalogues_have_the_same_keys():
    zh = json.loads((HERE / "messages" / "zh-Hans.json").read_text())
    en = json.loads((HERE / "messages" / "en.json").read_text())
    assert set(zh) == set(en)
