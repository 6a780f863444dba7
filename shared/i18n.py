"""Message catalogues in Simplified Chinese, Traditional Chinese (Hong Kong) and English.

Authors write `zh-Hans.json` and `en.json`; `zh-Hant.json` is generated from `zh-Hans.json`
with OpenCC's s2hk conversion by `python -m tools.gen_hant` and committed. A test regenerates
every catalogue and fails when a committed one has drifted.
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

from shared.config import REPO_ROOT

LANGUAGES = ("zh-Hans", "zh-Hant", "en")
DEFAULT_LANGUAGE = "zh-Hans"
SHARED_MESSAGES = REPO_ROOT / "shared" / "messages"


def negotiate(header_value: str | None) -> str:
    """Pick a catalogue from `X-Lang` or `Accept-Language`."""
    if not header_value:
        return DEFAULT_LANGUAGE
    for part in header_value.split(","):
        tag = part.split(";")[0].strip().lower()
        if tag in ("zh-hant", "zh-hk", "zh-tw", "zh-mo") or tag.startswith("zh-hant"):
            return "zh-Hant"
        if tag in ("zh-hans", "zh-cn", "zh-sg", "zh") or tag.startswith("zh-hans"):
            return "zh-Hans"
        if tag.startswith("en"):
            return "en"
    return DEFAULT_LANGUAGE


def _load(path: Path) -> dict[str, str]:
    return json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}


class Catalog:
    def __init__(self, directories: list[Path]):
        self.messages: dict[str, dict[str, str]] = {lang: {} for lang in LANGUAGES}
        for directory in [SHARED_MESSAGES, *directories]:
            for lang in LANGUAGES:
                self.messages[lang].update(_load(Path(directory) / f"{lang}.json"))
        # A Traditional catalogue not generated yet falls back to converting at load time.
        for key, text in self.messages["zh-Hans"].items():
            if key not in self.messages["zh-Hant"]:
                self.messages["zh-Hant"][key] = to_traditional(text)

    def translate(self, key: str, lang: str = DEFAULT_LANGUAGE, **params) -> str:
        text = (self.messages.get(lang, {}).get(key)
                or self.messages[DEFAULT_LANGUAGE].get(key) or key)
        try:
            return text.format(**params) if params else text
        except (KeyError, IndexError, ValueError):
            return text

    def knows(self, key: str) -> bool:
        return key in self.messages[DEFAULT_LANGUAGE]


@lru_cache(maxsize=1)
def _converter():
    import opencc

    return opencc.OpenCC("s2hk")


def to_traditional(text: str) -> str:
    return _converter().convert(text)
