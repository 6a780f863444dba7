"""Event handlers: thin, each turns an event into letters (domain/compose.py), renders them in
the recipient's language and records them as queued emails in the consumer's transaction. The
sender delivers them later, so a slow or absent SMTP server never holds up the queue."""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy.orm import Session

from services.notification.adapters import repository
from services.notification.adapters.deadletters import DEAD_LETTER_TYPE
from services.notification.config import NotificationConfig
from services.notification.domain import compose
from services.notification.domain.letters import Letter, render
from shared.events import Event
from shared.i18n import Catalog

Handler = Callable[[Session, Event], None]


def audience_from(config: NotificationConfig) -> compose.Audience:
    return compose.Audience(
        support_mailbox=config.support_mailbox, support_lang=config.support_lang,
        operator_mailbox=config.operator_mailbox, operator_lang=config.operator_lang,
        public_base_url=config.settings.public_base_url,
        audit_url_template=config.audit_url_template)


def queue_letters(session: Session, event: Event, letters: list[Letter],
                  catalog: Catalog) -> int:
    queued = 0
    for letter in letters:
        rendered = render(letter, catalog.translate, catalog.knows)
        queued += repository.enqueue(session, event_id=event.id, event_type=event.type,
                                     letter=letter, rendered=rendered)
    return queued


def make_handlers(config: NotificationConfig, catalog: Catalog) -> dict[str, Handler]:
    audience = audience_from(config)

    def manual_review(session: Session, event: Event) -> None:
        queue_letters(session, event, compose.manual_review_requested(event.body, audience),
                      catalog)

    def support(session: Session, event: Event) -> None:
        queue_letters(session, event, compose.support_requested(event.body, audience), catalog)

    def results(session: Session, event: Event) -> None:
        winners = event.body.get("winners") or []
        contacts = repository.contacts_for(session, sorted({str(w.get("account_id"))
                                                            for w in winners}))
        queue_letters(session, event, compose.results_published(event.body, audience, contacts),
                      catalog)

    def draw_failed(session: Session, event: Event) -> None:
        queue_letters(session, event, compose.draw_failed(event.body, audience), catalog)

    def party_changed(session: Session, event: Event) -> None:
        body = event.body
        repository.save_contact(session, account_id=str(body["account_id"]),
                                email=(body.get("email") or "").strip() or None,
                                lang=compose.user_lang(body.get("lang")),
                                revision=int(body.get("revision") or 0))

    def account_disabled(session: Session, event: Event) -> None:
        body = event.body
        if body.get("email"):
            contact = (str(body["email"]), compose.user_lang(body.get("lang")))
        else:
            contact = repository.contacts_for(session, [str(body["account_id"])]).get(
                str(body["account_id"]))
        queue_letters(session, event, compose.account_disabled(body, contact), catalog)

    return {
        "profile.manual_review.requested": manual_review,
        "identity.support.requested": support,
        "lottery.results.published": results,
        "lottery.draw.failed": draw_failed,
        "profile.party.changed": party_changed,
        "booking.account.disabled": account_disabled,
    }


def make_dead_letter_handlers(config: NotificationConfig, catalog: Catalog) -> dict[str, Handler]:
    audience = audience_from(config)

    def dead_letter(session: Session, event: Event) -> None:
        queue_letters(session, event, compose.dead_lettered(event.body, audience), catalog)

    return {DEAD_LETTER_TYPE: dead_letter}
