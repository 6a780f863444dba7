"""Message catalogues in Simplified Chinese, Traditional Chinese (Hong Kong) and English.

Authors write `zh-Hans.json` and `en.json`; `zh-Hant.json` is generated from `zh-Hans.json`
by `to_traditional` (OpenCC's s2hk, then Hong Kong wording) with `python -m tools.gen_hant` and
committed. A test regenerates every catalogue and fails when a committed one has drifted.
Chinese text takes full-width punctuation (，：；？！（）), see `ascii_punctuation_in_chinese`.
"""

from __future__ import annotations

import json
import re
from datetime import date, datetime
from functools import lru_cache
from pathlib import Path

from shared.clock import BEIJING
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
        text = plural_form(self.messages.get(lang, {}).get(key)
                           or self.messages[DEFAULT_LANGUAGE].get(key) or key, params)
        try:
            return text.format(**readable_params(params, lang)) if params else text
        except (KeyError, IndexError, ValueError):
            return text

    def knows(self, key: str) -> bool:
        return key in self.messages[DEFAULT_LANGUAGE]


_FIRST_PLACEHOLDER = re.compile(r"\{([A-Za-z_][A-Za-z0-9_]*)\}")


def plural_form(text: str, params: dict) -> str:
    """A count message written as vue-i18n writes one (the client's catalogues do too): forms
    separated by " | ", "one | many" or "none | one | many" ("in {s} second | in {s} seconds").
    The count is the first placeholder whose value is an integer; Chinese has one form only.
    The same choice is made in gateway/web/src/serverMessages.js."""
    forms = text.split(" | ")
    if len(forms) == 1:
        return text
    count = next((params[name] for name in _FIRST_PLACEHOLDER.findall(text)
                  if isinstance(params.get(name), int) and not isinstance(params[name], bool)),
                 None)
    if count is None:
        return forms[-1]
    if len(forms) == 2:
        return forms[0] if count == 1 else forms[1]
    return forms[min(count, 2)] if count >= 0 else forms[2]


# A day, or a day and a time as services write it: "2026-12-06", "2026-12-06 09:00" (Beijing
# time), "2026-12-06T01:00:00.5+00:00" (an instant with its offset, as isoformat() writes it).
_ISO_DAY = re.compile(r"(\d{4})-(\d{2})-(\d{2})"
                      r"(?:[ T](\d{2}:\d{2})(?::\d{2}(?:\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?")
_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
           "September", "October", "November", "December")


def readable_day(value: str | date | datetime, lang: str) -> str:
    """A day or a time as a reader of `lang` writes it, always in Beijing time (rules.md):
    "2026-12-06" as 2026年12月6日 or 6 December 2026; "2026-12-06 09:00" as
    2026年12月6日 09:00; an instant with an offset ("2026-12-06T01:00:00+00:00", an aware
    datetime) as the same 2026年12月6日 09:00. Anything else is left as it is."""
    if isinstance(value, date):
        value = value.isoformat(sep=" ") if isinstance(value, datetime) else value.isoformat()
    match = _ISO_DAY.fullmatch(value)
    if not match:
        return value
    year, month, day, clock, offset = match.groups()
    try:
        if offset:
            instant = datetime.fromisoformat(value.replace("Z", "+00:00")).astimezone(BEIJING)
            when, clock = instant.date(), instant.strftime("%H:%M")
        else:
            when = date(int(year), int(month), int(day))
            if clock:
                datetime.strptime(clock, "%H:%M")
    except ValueError:  # shaped like a date, but none (2026-13-45, 25:00)
        return value
    if lang == "en":
        text = f"{when.day} {_MONTHS[when.month - 1]} {when.year}"
    else:
        text = f"{when.year}年{when.month}月{when.day}日"
    return f"{text} {clock}" if clock else text


def readable_params(params: dict, lang: str) -> dict:
    """Dates in a message read as dates in the reader's language, not as ISO codes."""
    return {k: readable_day(v, lang) if isinstance(v, str | date) else v
            for k, v in params.items()}


_ISO_IN_TEXT = re.compile(rf"(?<![\d-]){_ISO_DAY.pattern}(?![\d:])")


def readable_dates_in(text: str, lang: str) -> str:
    """Free text (a service's technical detail) with each ISO day or instant in it written as
    `readable_day` writes it; the rest of the text is kept as it is."""
    return _ISO_IN_TEXT.sub(lambda match: readable_day(match.group(), lang), text)


@lru_cache(maxsize=1)
def _converter():
    import opencc

    return opencc.OpenCC("s2hk")


# OpenCC's s2hk converts characters and Hong Kong glyph forms (用户, 閲), not vocabulary: it
# leaves mainland terms such as 登錄 and 信息. These are the ones our texts use, with the word a
# Hong Kong reader expects. Keys are spelled as s2hk writes them; the longest key wins (退出登錄
# is 登出, not 退出登入). 戶 in its Hong Kong standard form (用戶, 帳戶), where s2hk writes 户;
# quotation marks as Hong Kong writes them, 「」.
HK_PHRASES = {
    "退出登錄": "登出",
    "登錄": "登入",
    "賬號": "帳戶",
    "賬户": "帳戶",
    "户": "戶",
    "個字符": "個字",
    "字段": "欄位",
    "\u201c": "「",
    "\u201d": "」",
    "信息": "資料",
    "消息": "訊息",
    "郵箱": "電郵",
    "郵件": "電郵",
    "聯繫": "聯絡",
    "支持": "支援",
    "文件": "檔案",
    "設置": "設定",
    "保存": "儲存",
    "創建": "建立",
    "加載": "載入",
    "導入": "匯入",
    # computing words: data as our pages mean it (what is shown, checked, downloaded) is 資料;
    # source code, hash value, algorithm, online, operations as Hong Kong writes them; to
    # access a page or an address is to browse it. 程序 is a program only in 核驗程序 (the
    # verification program): the draw's 搖號程序 is a procedure and stays.
    "數據": "資料",
    "源代碼": "原始碼",
    "核驗程序": "核驗程式",
    "哈希值": "雜湊值",
    "搖號算法": "搖號演算法",
    "在線": "網上",
    "在線查看": "在網上查看",
    "訪問": "瀏覽",
    "運營": "營運",
    # place names as Hong Kong writes them (shared/nationalities.py goes through here too)
    "澳大利亞": "澳洲",
    "印度尼西亞": "印尼",
    "孟加拉國": "孟加拉",
    # s2hk mistakes: 并 here is 並 (and), not 併 (merge); to reply is 回覆, not 回複.
    "併產生": "並產生",
    "回複": "回覆",
}
_HK_PHRASE = re.compile("|".join(map(re.escape, sorted(HK_PHRASES, key=len, reverse=True))))


def to_traditional(text: str) -> str:
    """Simplified to Hong Kong Traditional Chinese: every zh-Hant text (catalogues, document
    and place names) goes through here."""
    return _HK_PHRASE.sub(lambda match: HK_PHRASES[match.group()], _converter().convert(text))


_CHINESE = "\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uff00-\uffef\u201c\u201d"
_PLACEHOLDER = re.compile(r"\{[^{}]*\}")
_MARK_BY_CHINESE = re.compile(f"(?<=[{_CHINESE}])[,:;?!]|[,:;?!](?=[{_CHINESE}])")
_PARENTHESES = re.compile(r"\(([^()]*)\)")
_HAS_CHINESE = re.compile(f"[{_CHINESE}]")
_ISO_DATE = re.compile(r"\d{4}-\d{2}(?:-\d{2})?")
_RANGE_HYPHEN = re.compile(r"(?<=\d) ?- ?(?=\d)")


def ascii_punctuation_in_chinese(text: str) -> list[str]:
    """The ASCII marks in `text` that belong to a Chinese sentence and should be full-width: a
    ,:;?! next to a Chinese character, a pair of () next to or around one, a hyphen between
    numbers or times in a Chinese text (9:00-18:00; ISO dates excepted). Placeholders
    ({name}) count as neither, so codes, times (09:00) and URLs stay as they are."""
    masked = _PLACEHOLDER.sub(lambda m: "x" * len(m.group()), text)  # keeps the positions
    found = [text[max(0, m.start() - 3):m.end() + 3] for m in _MARK_BY_CHINESE.finditer(masked)]
    for m in _PARENTHESES.finditer(masked):
        before, after = masked[max(0, m.start() - 1):m.start()], masked[m.end():m.end() + 1]
        if _HAS_CHINESE.search(before + m.group(1) + after):
            found.append(text[max(0, m.start() - 1):m.end() + 1])
    if _HAS_CHINESE.search(masked):
        # a range of numbers or times (9:00-18:00) reads 9:00至18:00 in Chinese; an ISO date
        # (2026-12-04, a format example) is a code and stays
        undated = _ISO_DATE.sub(lambda m: "x" * len(m.group()), masked)
        found += [text[max(0, m.start() - 3):m.end() + 3] for m in _RANGE_HYPHEN.finditer(undated)]
    return found
