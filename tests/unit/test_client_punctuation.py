"""The browser client writes no punctuation of its own beside translated text (R1.2).

Chinese takes full-width ：（）、 and English ASCII, so a colon, a bracket or a list separator
written into a template ("{{ t('x') }}: {{ value }}", "({{ n }})", `.join(', ')`) is wrong in
one of the languages. Templates use the helpers of gateway/web/src/format.js instead
(`labelled`, `aside`, `formatList`, `listSeparator`, `punctuation`), or keep the mark inside
the catalogue's message. This test reads the sources; the e2e browser tests see the result.
"""

from __future__ import annotations

import re

import pytest

from shared.config import REPO_ROOT

WEB = REPO_ROOT / "gateway" / "web" / "src"
SOURCES = sorted(p for p in WEB.rglob("*") if p.suffix in (".vue", ".js"))

# A mark written next to an interpolation or an element in a template's text:
# "}}: ", "}} (", "({{", ": {{", "</time>: <strong>".
TEMPLATE_MARKS = re.compile(r"\}\}[ \t]*[:;,()]|[(:][ \t]*\{\{|>[ \t]*[:;,(][ \t]*[<{]")
# Punctuation put between texts in code: .join(', ') (not the ',' of a URL parameter), a ', '
# separator chosen inline, `${label}: …`, `${a} (${b})`, `(${x})`.
CODE_MARKS = re.compile(
    r"""join\(\s*(['"`])(?:, |、|，|; )\1\s*\)"""
    r"""|\?\s*(['"`])(?:, |、|，)\2"""
    r"""|\$\{[^}]*\}(?::|\s\()"""
    r"""|\(\$\{"""
)
FULL_WIDTH = re.compile("[：（），、；]")
COMMENT = re.compile(r"<!--.*?-->|/\*.*?\*/|(?<![:'\"])//[^\n]*", re.S)


def template_of(text: str) -> str:
    match = re.search(r"<template>(.*)</template>", text, re.S)
    return match.group(1) if match else ""


def script_of(path, text: str) -> str:
    if path.suffix == ".js":
        return text
    return "\n".join(re.findall(r"<script[^>]*>(.*?)</script>", text, re.S))


def marks_in(path) -> list[str]:
    if path.name == "format.js":  # the one place that knows each language's punctuation
        return []
    text = path.read_text(encoding="utf-8")
    template = COMMENT.sub("", template_of(text))
    code = COMMENT.sub("", script_of(path, text)) + "\n" + template
    return ([f"template: {m.group()!r}" for m in TEMPLATE_MARKS.finditer(template)]
            + [f"code: {m.group()!r}" for m in CODE_MARKS.finditer(code)]
            + [f"full-width mark in code: {m.group()!r}" for m in FULL_WIDTH.finditer(code)])


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: str(p.relative_to(WEB)))
def test_no_punctuation_is_written_beside_translated_text(path):
    assert marks_in(path) == [], (
        f"{path.relative_to(REPO_ROOT)} writes punctuation of its own: use labelled / aside / "
        "formatList / listSeparator / punctuation from format.js, or the catalogue's message")


MISTAKES = [
    # each a mistake the client once made, then the same written with the helpers
    ("<template><p>{{ t('booking.fields.number') }}: {{ r.application_number }}</p></template>",
     "<template><p>{{ labelled(t('booking.fields.number'), r.application_number) }}</p></template>"),
    ("<template><td>{{ n }} <span>({{ t('booking.apply.applications', { n }) }})</span></td>"
     "</template>",
     "<template><td>{{ n }}<span>{{ aside(t('booking.apply.applications', { n })) }}</span></td>"
     "</template>"),
    ('<template><template v-for="(d, i) in ds">{{ i ? \', \' : \'\' }}<time>{{ d }}</time>'
     "</template></template>",
     '<template><template v-for="(d, i) in ds">{{ i ? sep : \'\' }}<time>{{ d }}</time>'
     "</template></template>"),
    ("<template><li><time>{{ d }}</time>: <strong>{{ x }}</strong></li></template>",
     "<template><li><time>{{ d }}</time>{{ punctuation().colon }}<strong>{{ x }}</strong></li>"
     "</template>"),
    ("<template><p>{{ roles.join('、') }}</p></template>",
     "<template><p>{{ formatList(roles) }}</p></template>"),
    ("<script setup>\nconst a = dates.map(formatDate).join(', ')\n</script>",
     "<script setup>\nconst a = formatList(dates.map(formatDate))\n</script>"),
    ("<script setup>\nconst b = `${f.reason}: ${f.detail}`\n</script>",
     "<script setup>\nconst b = labelled(f.reason, f.detail)\n</script>"),
    ("<script setup>\nconst c = `${f.detail} (${when})`\n</script>",
     "<script setup>\nconst c = f.detail + aside(when)\n</script>"),
]


@pytest.mark.parametrize(("wrong", "right"), MISTAKES)
def test_the_check_finds_each_mistake_and_accepts_the_helpers(tmp_path, wrong, right):
    page = tmp_path / "Page.vue"
    page.write_text(wrong, encoding="utf-8")
    assert marks_in(page) != [], wrong
    page.write_text(right, encoding="utf-8")
    assert marks_in(page) == [], right
