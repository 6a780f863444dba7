"""An email's content as a few typed blocks, rendered to a subject, plain text and HTML.

One description gives both bodies, so the plain-text and HTML versions can never say different
things. Every sentence is a catalogue key (`messages/zh-Hans.json`, `en.json`; zh-Hant is
generated from zh-Hans), so the recipient's language picks the words. Days and times that come
from events (in sentences, fields and tables alike) are written as the recipient's language
writes them, in Beijing time (shared.i18n.readable_day): 2026年12月4日, 4 December 2026; links
keep their ISO form, a person's own words (Quote) stay as written. Values that come from events
are escaped in HTML; the catalogue's own text is trusted.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from html import escape

from services.notification.config import SYSTEM_NAME_EN
from shared.i18n import readable_dates_in, readable_day


@dataclass(frozen=True)
class Msg:
    """A value that is itself translated (e.g. a reason code); `fallback` when it is unknown."""
    key: str
    params: dict = field(default_factory=dict)
    fallback: str | None = None


@dataclass(frozen=True)
class Detail:
    """A service's technical detail, kept in the words it was written in (English), its days and
    times written for the reader (e.g. a refused draw's counts and dates)."""
    text: str


Value = str | int | Msg | Detail


@dataclass(frozen=True)
class Para:
    key: str
    params: dict = field(default_factory=dict)


@dataclass(frozen=True)
class Quote:
    """Free text written by a person (a support request): kept as written, escaped in HTML."""
    text: str


@dataclass(frozen=True)
class Fields:
    rows: tuple[tuple[str, Value], ...]


@dataclass(frozen=True)
class Link:
    label_key: str
    url: str


@dataclass(frozen=True)
class Table:
    header_keys: tuple[str, ...]
    rows: tuple[tuple[Value, ...], ...]
    footer: tuple[Value, ...] | None = None


Block = Para | Quote | Fields | Link | Table


@dataclass(frozen=True)
class Letter:
    """One email to one recipient, before rendering. `ref` tells apart two letters of the same
    kind from one event to the same address (e.g. two winners sharing a family mailbox)."""
    kind: str
    recipient: str
    lang: str
    subject_key: str
    subject_params: dict
    blocks: tuple[Block, ...]
    ref: str = ""
    reply_to: str | None = None


@dataclass(frozen=True)
class Rendered:
    subject: str
    text: str
    html: str


Translate = Callable[..., str]  # translate(key, lang, **params) -> str
Knows = Callable[[str], bool]


def render(letter: Letter, translate: Translate, knows: Knows) -> Rendered:
    lang = letter.lang

    def value_text(value: Value) -> str:
        if isinstance(value, Msg):
            if value.fallback is not None and not knows(value.key):
                return readable_day(value.fallback, lang)
            return translate(value.key, lang, **value.params)
        if isinstance(value, Detail):
            return readable_dates_in(value.text, lang)
        return readable_day(value, lang) if isinstance(value, str) else str(value)

    def t(key: str, params: dict, html: bool) -> str:
        # counts stay numbers: they choose the form of a count message (shared.i18n.plural_form)
        counts = {k: v for k, v in params.items() if isinstance(v, int) and not isinstance(v, bool)}
        resolved = {k: value_text(v) for k, v in params.items()}
        if not html:
            return translate(key, lang, **(resolved | counts))
        # unformatted but for the counts (a text of counts only comes back whole, and
        # formatting it again changes nothing)
        template = escape(translate(key, lang, **counts), quote=False)
        try:
            return template.format(**{k: escape(v) for k, v in resolved.items()})
        except (KeyError, IndexError, ValueError):
            return template

    subject = t(letter.subject_key, letter.subject_params, html=False)
    text_parts: list[str] = [translate("mail.greeting", lang)]
    html_parts: list[str] = [f"<p>{escape(translate('mail.greeting', lang))}</p>"]
    for block in letter.blocks:
        if isinstance(block, Para):
            text_parts.append(t(block.key, block.params, html=False))
            html_parts.append(f"<p>{t(block.key, block.params, html=True)}</p>")
        elif isinstance(block, Quote):
            text_parts.append("\n".join(f"> {line}" for line in block.text.splitlines() or [""]))
            quoted = escape(block.text).replace("\n", "<br>\n")
            html_parts.append(f'<blockquote style="border-left:3px solid #ccc;margin:0;'
                              f'padding:4px 12px;color:#333">{quoted}</blockquote>')
        elif isinstance(block, Fields):
            labels = [translate(key, lang) for key, _ in block.rows]
            values = [value_text(v) for _, v in block.rows]
            colon = translate("mail.colon", lang)
            text_parts.append("\n".join(f"{label}{colon}{value}" for label, value in
                                        zip(labels, values, strict=True)))
            rows = "".join(f'<tr><th style="text-align:left;padding:2px 12px 2px 0">'
                           f"{escape(label)}</th><td>{escape(value)}</td></tr>"
                           for label, value in zip(labels, values, strict=True))
            html_parts.append(f"<table>{rows}</table>")
        elif isinstance(block, Link):
            label = translate(block.label_key, lang)
            text_parts.append(f"{label}{translate('mail.colon', lang)}{block.url}")
            html_parts.append(f'<p><a href="{escape(block.url, quote=True)}">{escape(label)}</a>'
                              f"<br><small>{escape(block.url)}</small></p>")
        elif isinstance(block, Table):
            headers = [translate(key, lang) for key in block.header_keys]
            rows = [[value_text(v) for v in row] for row in block.rows]
            footer = [value_text(v) for v in block.footer] if block.footer else None
            text_parts.append(_text_table(headers, rows, footer))
            html_parts.append(_html_table(headers, rows, footer))
    footer_text = translate("mail.footer", lang, system_en=SYSTEM_NAME_EN)
    text_parts.append("--\n" + footer_text)
    html_parts.append(f'<hr><p style="color:#666;font-size:12px">{escape(footer_text)}</p>')
    html = ('<!doctype html>\n<html lang="{lang}"><head><meta charset="utf-8">'
            "<title>{title}</title></head>\n"
            '<body style="font-family:sans-serif;line-height:1.5;max-width:640px">\n'
            "{body}\n</body></html>\n").format(lang=escape(lang), title=escape(subject),
                                               body="\n".join(html_parts))
    return Rendered(subject=subject, text="\n\n".join(text_parts) + "\n", html=html)


def _text_table(headers: list[str], rows: list[list[str]], footer: list[str] | None) -> str:
    lines = [" | ".join(headers)]
    lines += [" | ".join(row) for row in rows]
    if footer:
        lines.append(" | ".join(footer))
    return "\n".join(lines)


def _html_table(headers: list[str], rows: list[list[str]], footer: list[str] | None) -> str:
    cell = 'style="border:1px solid #ccc;padding:4px 8px"'
    head = "".join(f"<th {cell}>{escape(h)}</th>" for h in headers)
    body = "".join("<tr>" + "".join(f"<td {cell}>{escape(v)}</td>" for v in row) + "</tr>"
                   for row in rows)
    foot = ("<tfoot><tr>" + "".join(f"<th {cell}>{escape(v)}</th>" for v in footer)
            + "</tr></tfoot>") if footer else ""
    return (f'<table style="border-collapse:collapse"><thead><tr>{head}</tr></thead>'
            f"<tbody>{body}</tbody>{foot}</table>")
