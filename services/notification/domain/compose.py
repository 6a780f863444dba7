"""Which emails an event causes, and what they say: plain functions, no SQL, no SMTP.

Decisions (rules.md leaves them to us):
- R6.5 the support email names the case (id, whether it is the user or a cohabitant, the reason)
  and links to it; it carries no name, document number or date of birth: the reviewer reads
  those behind the login of the review page, so a forwarded email leaks nothing.
- R14.1 the support email carries what support needs to answer: the kind of request, the
  user's contact address (also as Reply-To), the masked document and the message as written.
  The user gets an acknowledgement in their language at the address they gave.
- Draw report (R8, R9.1): per date places, applications, winners (people) and overflow exactly
  as the lottery published them, with totals, the seed and a link to the audit page.
- Alerts: a failed draw and every dead-lettered event go to operators; an alert names the
  event (type, id, queue, reason), never its body, which may hold personal data. A failed
  draw's reason (`code: detail`) reads as the code's sentence in the operator's language, as on
  the draw monitor, with the lottery's detail (English) below it.
- Days and times read as the recipient's language writes them (letters.render).
- Staff read their mail in SUPPORT_LANG / OPERATOR_LANG (default zh-Hans); users in the
  language their event carries.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from urllib.parse import urljoin

from services.notification.domain.letters import (
    Detail,
    Fields,
    Letter,
    Link,
    Msg,
    Para,
    Quote,
    Table,
)
from shared.i18n import DEFAULT_LANGUAGE, LANGUAGES


@dataclass(frozen=True)
class Audience:
    support_mailbox: str
    support_lang: str
    operator_mailbox: str
    operator_lang: str
    public_base_url: str
    audit_url_template: str = "{base}/lottery/audit/{period}"

    def absolute(self, url: str) -> str:
        return urljoin(self.public_base_url.rstrip("/") + "/", url or "")

    def audit_url(self, period: str) -> str:
        return self.audit_url_template.format(base=self.public_base_url.rstrip("/"),
                                              period=period)


def user_lang(value: object) -> str:
    return value if value in LANGUAGES else DEFAULT_LANGUAGE


def short_ref(identifier: str) -> str:
    """The first block of a UUID: enough to find a case in a subject line."""
    return str(identifier).split("-")[0][:12]


def manual_review_requested(body: Mapping, audience: Audience) -> list[Letter]:
    case_id = str(body["case_id"])
    subject = str(body.get("subject") or "cohabitant")
    reason = str(body.get("reason") or "")
    return [Letter(
        kind="manual_review", recipient=audience.support_mailbox, lang=audience.support_lang,
        subject_key="mail.manual_review.subject",
        subject_params={"ref": short_ref(case_id), "subject": Msg(f"mail.subject.{subject}",
                                                                 fallback=subject)},
        blocks=(
            Para("mail.manual_review.intro"),
            Fields((("mail.field.case_id", case_id),
                    ("mail.field.subject", Msg(f"mail.subject.{subject}", fallback=subject)),
                    ("mail.field.reason", Msg(f"mail.reason.{reason}", fallback=reason)))),
            Link("mail.manual_review.open_case", audience.absolute(str(body["case_url"]))),
            Para("mail.manual_review.privacy"),
        ))]


def support_requested(body: Mapping, audience: Audience) -> list[Letter]:
    request_id = str(body["request_id"])
    kind = str(body.get("kind") or "problem")
    contact = (body.get("contact_email") or "").strip()
    lang = user_lang(body.get("lang"))
    kind_label = Msg(f"mail.support.kind.{kind}", fallback=kind)
    letters = [Letter(
        kind="support_request", recipient=audience.support_mailbox, lang=audience.support_lang,
        subject_key="mail.support.subject",
        subject_params={"kind": kind_label, "ref": short_ref(request_id)},
        reply_to=contact or None,
        blocks=(
            Para("mail.support.intro"),
            Fields((("mail.field.request_id", request_id),
                    ("mail.field.kind", kind_label),
                    ("mail.field.contact_email", contact or "-"),
                    ("mail.field.document_type", Msg(f"mail.doctype.{doc_type}", fallback=doc_type)
                     if (doc_type := str(body.get("document_type") or "")) else "-"),
                    ("mail.field.document", str(body.get("masked_document") or "-")),
                    ("mail.field.lang", Msg(f"mail.lang.{lang}")))),
            Para("mail.support.message_label"),
            Quote(str(body.get("message") or "")),
            Para("mail.support.reply_hint"),
        ))]
    if contact:
        letters.append(Letter(
            kind="support_ack", recipient=contact, lang=lang,
            subject_key="mail.support_ack.subject", subject_params={"ref": short_ref(request_id)},
            blocks=(Para("mail.support_ack.body", {"kind": kind_label,
                                                   "ref": short_ref(request_id)}),
                    Para("mail.support_ack.no_password"))))
    return letters


def results_published(body: Mapping, audience: Audience,
                      contacts: Mapping[str, tuple[str, str]] | None = None) -> list[Letter]:
    """The operators' draw report, and a notice to each winner whose email address we know
    (`contacts`: account id -> (email, lang), from profile.party.changed)."""
    period = str(body["period"])
    dates: Mapping = body.get("dates") or {}
    rows, totals = [], [0, 0, 0, 0]
    for day in sorted(dates):
        figures = dates[day]
        numbers = [int(figures.get(name) or 0)
                   for name in ("places", "applications", "winners_people", "overflow")]
        totals = [a + b for a, b in zip(totals, numbers, strict=True)]
        rows.append((day, *numbers))
    letters = [Letter(
        kind="draw_report", recipient=audience.operator_mailbox, lang=audience.operator_lang,
        subject_key="mail.draw_report.subject", subject_params={"period": period},
        blocks=(
            Para("mail.draw_report.intro", {"period": period, "count": len(rows)}),
            Table(("mail.col.date", "mail.col.places", "mail.col.applications",
                   "mail.col.winners_people", "mail.col.overflow"),
                  tuple(rows), (Msg("mail.col.total"), *totals)),
            Fields((("mail.field.period", period),
                    ("mail.field.seed", str(body.get("seed") or "-")),
                    ("mail.field.winning_applications", len(body.get("winners") or ())))),
            Link("mail.draw_report.audit", audience.audit_url(period)),
        ))]
    for winner in body.get("winners") or ():
        contact = (contacts or {}).get(str(winner.get("account_id")))
        if not contact or not contact[0]:
            continue
        email, lang = contact
        number = str(winner["application_number"])
        letters.append(Letter(
            kind="lottery_won", recipient=email, lang=user_lang(lang), ref=number,
            subject_key="mail.lottery_won.subject", subject_params={"date": winner["date"]},
            blocks=(Para("mail.lottery_won.body", {"date": winner["date"], "number": number}),
                    Link("mail.lottery_won.open", audience.absolute("/reservations")))))
    return letters


def draw_failed(body: Mapping, audience: Audience) -> list[Letter]:
    code, _, detail = str(body.get("reason") or "-").partition(": ")
    return [Letter(
        kind="draw_failed", recipient=audience.operator_mailbox, lang=audience.operator_lang,
        subject_key="mail.draw_failed.subject",
        subject_params={"period": str(body.get("period")), "date": str(body.get("date"))},
        blocks=(
            Para("mail.draw_failed.intro"),
            Fields((("mail.field.period", str(body.get("period") or "-")),
                    ("mail.field.date", str(body.get("date") or "-")),
                    ("mail.field.reason", Msg(f"mail.draw_failed_reason.{code}",
                                              fallback=code)),
                    ("mail.field.detail", Detail(detail or "-")))),
            Para("mail.draw_failed.action"),
            Link("mail.draw_report.audit", audience.audit_url(str(body.get("period") or ""))),
        ))]


def dead_lettered(body: Mapping, audience: Audience) -> list[Letter]:
    """`body` is what the dead-letter consumer learnt from the message's x-death header."""
    queue = str(body.get("queue") or "-")
    return [Letter(
        kind="dead_letter", recipient=audience.operator_mailbox, lang=audience.operator_lang,
        subject_key="mail.dead_letter.subject",
        subject_params={"event_type": str(body.get("event_type") or "-"), "queue": queue},
        blocks=(
            Para("mail.dead_letter.intro"),
            Fields((("mail.field.event_type", str(body.get("event_type") or "-")),
                    ("mail.field.event_id", str(body.get("event_id") or "-")),
                    ("mail.field.queue", queue),
                    ("mail.field.reason", Msg(f"mail.dead_reason.{body.get('reason')}",
                                              fallback=str(body.get("reason") or "-"))),
                    ("mail.field.deliveries", str(body.get("count") or "-")))),
            Para("mail.dead_letter.action", {"parking": f"{queue}.dead"}),
        ))]


def account_disabled(body: Mapping, contact: tuple[str, str] | None) -> list[Letter]:
    """R12.4: the user is told why, by email too when we know an address."""
    if not contact or not contact[0]:
        return []
    email, known_lang = contact
    reason = str(body.get("reason") or "")
    return [Letter(
        kind="account_disabled", recipient=email, lang=user_lang(body.get("lang") or known_lang),
        ref=str(body.get("account_id")),
        subject_key="mail.account_disabled.subject", subject_params={},
        blocks=(Para("mail.account_disabled.body"),
                Fields((("mail.field.reason", Msg(f"mail.disabled_reason.{reason}",
                                                  fallback=reason)),)),
                Para("mail.account_disabled.contact")))]
