"""Message catalogues stay complete and in step (R1.2: every text in the chosen language).

- every committed zh-Hant.json is exactly what `python -m tools.gen_hant` makes from its
  zh-Hans.json sibling (`shared.i18n.to_traditional`: OpenCC s2hk, then Hong Kong wording);
- in every folder, en.json and zh-Hans.json have the same keys (nested keys and list
  positions included), so no text is missing in one language;
- Chinese sentences use full-width punctuation, and the Hong Kong phrase table has no dead entry;
- the application number has one name, the guide's 申请编号.
"""

from __future__ import annotations

import json
import re

import pytest

from shared.config import REPO_ROOT
from shared.i18n import HK_PHRASES, _converter, ascii_punctuation_in_chinese
from shared.nationalities import CHINESE_REGIONS, FOREIGN
from tools import gen_hant

SIMPLIFIED = gen_hant.simplified_catalogues()


def key_paths(value, prefix: str = "") -> set[str]:
    """Every leaf's path: {"a": {"b": "x"}, "c": ["y"]} -> {"a.b", "c.0"}."""
    if isinstance(value, dict):
        paths = set()
        for key, item in value.items():
            paths |= key_paths(item, f"{prefix}.{key}" if prefix else str(key))
        return paths
    if isinstance(value, list):
        paths = set()
        for index, item in enumerate(value):
            paths |= key_paths(item, f"{prefix}.{index}" if prefix else str(index))
        return paths
    return {prefix}


def test_catalogues_exist():
    names = {str(p.relative_to(REPO_ROOT)) for p in SIMPLIFIED}
    assert "shared/messages/zh-Hans.json" in names
    assert "gateway/web/src/locales/zh-Hans.json" in names


@pytest.mark.parametrize("simplified", SIMPLIFIED, ids=lambda p: str(p.relative_to(REPO_ROOT)))
def test_traditional_catalogue_is_generated_from_simplified(simplified):
    """R1.2: zh-Hant.json must be regenerated (python -m tools.gen_hant) after editing zh-Hans."""
    target = simplified.with_name("zh-Hant.json")
    assert target.exists(), f"{target} missing: run python -m tools.gen_hant"
    assert target.read_text(encoding="utf-8") == gen_hant.expected_traditional(simplified), (
        f"{target.relative_to(REPO_ROOT)} has drifted from its zh-Hans.json: "
        "run python -m tools.gen_hant")


@pytest.mark.parametrize("simplified", SIMPLIFIED, ids=lambda p: str(p.relative_to(REPO_ROOT)))
def test_english_and_simplified_have_the_same_keys(simplified):
    """R1.2: a text present in one language is present in the other."""
    english = simplified.with_name("en.json")
    assert english.exists(), f"{english} missing"
    zh_keys = key_paths(json.loads(simplified.read_text(encoding="utf-8")))
    en_keys = key_paths(json.loads(english.read_text(encoding="utf-8")))
    assert sorted(zh_keys - en_keys) == [], f"missing in {english.name}"
    assert sorted(en_keys - zh_keys) == [], f"missing in {simplified.name}"


def test_gen_hant_check_passes_on_the_committed_tree():
    assert gen_hant.main(["--check"]) == 0


def test_gen_hant_check_notices_drift(tmp_path, monkeypatch):
    """The check is not vacuous: a stale zh-Hant.json makes it fail."""
    folder = tmp_path / "area" / "locales"
    folder.mkdir(parents=True)
    (folder / "zh-Hans.json").write_text('{"a": {"b": "简体中文"}}', encoding="utf-8")
    (folder / "zh-Hant.json").write_text('{"a": {"b": "简体中文"}}\n', encoding="utf-8")
    monkeypatch.setattr(gen_hant, "REPO_ROOT", tmp_path)
    monkeypatch.setattr(gen_hant, "simplified_catalogues", lambda: [folder / "zh-Hans.json"])
    assert gen_hant.main(["--check"]) == 1
    gen_hant.main([])
    regenerated = json.loads((folder / "zh-Hant.json").read_text(encoding="utf-8"))
    assert regenerated == {"a": {"b": "簡體中文"}}
    assert gen_hant.main(["--check"]) == 0


def test_key_paths_sees_nested_keys_and_list_positions():
    assert key_paths({"a": {"b": "x"}, "c": ["y", {"d": "z"}]}) == {"a.b", "c.0", "c.1.d"}


def catalogue_texts(value):
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from catalogue_texts(item)
    elif isinstance(value, list):
        for item in value:
            yield from catalogue_texts(item)


CHINESE_CATALOGUES = [path for simplified in SIMPLIFIED
                      for path in (simplified, simplified.with_name("zh-Hant.json"))]


@pytest.mark.parametrize("catalogue", CHINESE_CATALOGUES,
                         ids=lambda p: str(p.relative_to(REPO_ROOT)))
def test_chinese_sentences_use_full_width_punctuation(catalogue):
    """R1.2: ，：；？！（） in Chinese text; ASCII only in codes, times, URLs and placeholders."""
    texts = catalogue_texts(json.loads(catalogue.read_text(encoding="utf-8")))
    found = [mark for text in texts for mark in ascii_punctuation_in_chinese(text)]
    assert found == [], f"ASCII punctuation in Chinese text of {catalogue.name}: {found}"


OTHER_NAMES_OF_THE_APPLICATION_NUMBER = ("申报编号", "申報編號")


@pytest.mark.parametrize("catalogue", CHINESE_CATALOGUES,
                         ids=lambda p: str(p.relative_to(REPO_ROOT)))
def test_the_application_number_has_the_guides_name_everywhere(catalogue):
    """R7.6/R10.1: the guide's lottery records list the 申请编号; every page, message and email
    calls the number so (申請編號 in zh-Hant), never 申报编号."""
    texts = catalogue_texts(json.loads(catalogue.read_text(encoding="utf-8")))
    found = [text for text in texts
             if any(name in text for name in OTHER_NAMES_OF_THE_APPLICATION_NUMBER)]
    assert found == [], f"{catalogue.name} names the application number otherwise: {found}"


ROOMS = re.compile("(?<!不是)房[间間]数|(?<!不是)房[间間]數")


@pytest.mark.parametrize("catalogue", CHINESE_CATALOGUES,
                         ids=lambda p: str(p.relative_to(REPO_ROOT)))
def test_capacity_is_named_in_places_of_people_not_rooms(catalogue):
    """R7.2/R8.3: a date's capacity counts people (the draw fills places by party size), so
    every page calls it 名额 as the guide does (可用摇号名额), never 房间数, except to say that
    it is not one."""
    texts = catalogue_texts(json.loads(catalogue.read_text(encoding="utf-8")))
    assert [text for text in texts if ROOMS.search(text)] == []


def test_the_capacity_labels_say_people():
    for lang in ("zh-Hans", "zh-Hant", "en"):
        booking = json.loads((REPO_ROOT / f"gateway/web/src/areas/booking/locales/{lang}.json")
                             .read_text(encoding="utf-8"))["booking"]
        lottery = json.loads((REPO_ROOT / f"gateway/web/src/areas/lottery/locales/{lang}.json")
                             .read_text(encoding="utf-8"))["lottery"]
        labels = [booking["operator"]["capacities"], booking["operator"]["placesFor"],
                  booking["fields"]["available"], booking["fields"]["places"]]
        # the monitor's 名额（人） / Places (people): the term and the unit in every label
        term, unit = {"en": ("Places", "(people)")}.get(lang, (lottery["fields"]["places"], ""))
        assert lottery["fields"]["places"] in (f"{term} {unit}", term)
        assert all(term.lower() in label.lower() and unit in label for label in labels), (
            lang, labels)


def test_every_hong_kong_phrase_is_used_by_a_catalogue():
    """The phrase table holds only terms our texts use (catalogues and nationality names),
    spelled as s2hk writes them (an entry s2hk never produces would silently do nothing)."""
    texts = [text for simplified in SIMPLIFIED
             for text in catalogue_texts(json.loads(simplified.read_text(encoding="utf-8")))]
    texts += [name for _, name, _ in (*CHINESE_REGIONS, *FOREIGN)]
    converted = "\n".join(_converter().convert(text) for text in texts)
    assert [key for key in HK_PHRASES if key not in converted] == []


# Placeholders that become a date (or a date and time) in Chinese: 2026年12月5日, which is
# Chinese text itself, so no space stands between it and the Chinese beside it.
DATE_PLACEHOLDER = re.compile(r"\{(date|entry_date|last_day|opens_at|until|period|day|at)\}")
_HAN = "\u3000-\u303f\u4e00-\u9fff\uff00-\uffef"
SPACED_DATE = re.compile(rf"[{_HAN}] +{DATE_PLACEHOLDER.pattern}|"
                         rf"{DATE_PLACEHOLDER.pattern} +[{_HAN}]")


@pytest.mark.parametrize("catalogue", CHINESE_CATALOGUES,
                         ids=lambda p: str(p.relative_to(REPO_ROOT)))
def test_no_space_between_a_date_and_the_chinese_beside_it(catalogue):
    """「已在2026年12月5日的另一份申报中」, not 「已在 2026年12月5日 的…」."""
    texts = catalogue_texts(json.loads(catalogue.read_text(encoding="utf-8")))
    found = [text for text in texts if SPACED_DATE.search(text)]
    assert found == [], f"spaces beside a date in {catalogue.name}: {found}"
