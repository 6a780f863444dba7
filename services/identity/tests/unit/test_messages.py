"""Every catalogue key identity can raise exists in zh-Hans and en, and the committed zh-Hant
catalogue is the `shared.i18n.to_traditional` (s2hk + HK wording) conversion of zh-Hans (R1.2)."""

import json
import re
from pathlib import Path

from services.identity.domain import documents
from tools.gen_hant import expected_traditional

HERE = Path(__file__).resolve().parents[2]
MESSAGES = HERE / "messages"
SHARED = HERE.parents[1] / "shared" / "messages"
_KEY = re.compile(r"""["']((?:document|document_type|nationality|password|password_confirmation"""
                  r"""|consent|captcha|account|login|disable_reason)\.[a-z_]+(?:\.[a-z_]+)?)["']""")


def _catalogue(lang):
    merged = json.loads((SHARED / f"{lang}.json").read_text(encoding="utf-8"))
    merged.update(json.loads((MESSAGES / f"{lang}.json").read_text(encoding="utf-8")))
    return merged


def _raised_keys():
    keys = set()
    for path in HERE.rglob("*.py"):  # adapters: table names like "account.id"
        if {"tests", "migrations", "adapters"} & set(path.parts):
            continue
        keys |= set(_KEY.findall(path.read_text(encoding="utf-8")))
    for code in documents.DOCUMENT_TYPES:
        keys.add(f"document.format.{code}")
    for code in (*documents._HINT_ORDER, "resident_id_card"):
        keys.add(f"document.looks_like.{code}")
    return keys


def test_r1_2_every_raised_key_has_a_message_in_each_language():
    keys = _raised_keys()
    assert "captcha.expired" in keys and "login.locked" in keys
    for lang in ("zh-Hans", "en", "zh-Hant"):
        missing = sorted(k for k in keys if k not in _catalogue(lang))
        assert missing == [], (lang, missing)


def test_r1_2_zh_hans_and_en_have_the_same_keys():
    hans = json.loads((MESSAGES / "zh-Hans.json").read_text(encoding="utf-8"))
    en = json.loads((MESSAGES / "en.json").read_text(encoding="utf-8"))
    assert set(hans) == set(en)


def test_r1_2_traditional_catalogue_generated_from_simplified():
    committed = (MESSAGES / "zh-Hant.json").read_text(encoding="utf-8")
    assert committed == expected_traditional(MESSAGES / "zh-Hans.json")


def test_r3_1_notice_is_the_wording_of_the_rule():
    # rules.md quotes it with an ASCII comma; Chinese text here takes the full-width one.
    assert _catalogue("zh-Hans")["login.update_required"] == \
        "您当前登录的账号证件信息格式有误，请按要求更新信息"
