"""The notification API: operators see every email's state and resend failed ones; in
development and test mode (never production) a public page shows the dev sink's mailbox.

| method, path | who | what |
|---|---|---|
| GET /api/notification/emails?state=&kind=&limit=&offset= | operator | newest first, counts per state |
| GET /api/notification/emails/<id> | operator | one email with its plain-text body |
| POST /api/notification/emails/<id>/resend | operator | a `failed` email back to `queued` |
| GET /api/notification/dev/mailbox?to= | public, dev/test only | the sink's messages (JSON) |
| GET /api/notification/dev/mailbox.html | public, dev/test only | the same, readable in a browser |
| GET /api/notification/dev/mailbox/<id>.html | public, dev/test only | one message's HTML body |
"""

from __future__ import annotations

from html import escape

from flask import Response
from sqlalchemy import func

from services.notification.adapters import repository
from services.notification.adapters.mailbox import read_message, read_messages
from services.notification.config import mailbox_dir
from services.notification.schemas import (
    USER_KINDS,
    EmailDetail,
    EmailPage,
    EmailQuery,
    EmailSummary,
    MailboxPage,
    MailboxQuery,
)
from shared.app import Blueprint, db_session, service_context
from shared.auth import public, requires
from shared.errors import ApiError

emails = Blueprint("emails", __name__, url_prefix="/api/notification",
                   description="Emails and their delivery state (operators)")
dev_mailbox = Blueprint("dev_mailbox", __name__, url_prefix="/api/notification/dev",
                        description="The development SMTP sink's mailbox (not in production)")


def mask_address(address: str) -> str:
    local, at, domain = address.partition("@")
    if not at:
        return "*" * len(address)
    return (local[:2] + "***" if len(local) > 2 else local[:1] + "***") + "@" + domain


def _shown(email) -> dict:
    data = {column: getattr(email, column) for column in EmailDetail().fields}
    if email.kind in USER_KINDS:
        data["recipient"] = mask_address(email.recipient)
    return data


@emails.route("/emails")
@requires("operator")
@emails.arguments(EmailQuery, location="query")
@emails.response(200, EmailPage)
def list_emails(query):
    session = db_session()
    rows, total = repository.list_emails(session, state=query.get("state"),
                                         kind=query.get("kind"), limit=query["limit"],
                                         offset=query["offset"])
    return {"items": [_shown(r) for r in rows], "total": total,
            "counts": repository.counts_by_state(session)}


@emails.route("/emails/<int:email_id>")
@requires("operator")
@emails.response(200, EmailDetail)
def get_email(email_id: int):
    email = repository.get_email(db_session(), email_id)
    if email is None:
        raise ApiError(404, "email.not_found")
    return _shown(email)


@emails.route("/emails/<int:email_id>/resend", methods=["POST"])
@requires("operator")
@emails.response(200, EmailSummary)
def resend_email(email_id: int):
    """Only a failed email: resending a sent one would be the duplicate this service avoids."""
    session = db_session()
    email = repository.get_email(session, email_id, for_update=True)
    if email is None:
        raise ApiError(404, "email.not_found")
    if email.state != "failed":
        raise ApiError(409, "email.not_resendable", state=email.state)
    email.state, email.next_attempt_at = "queued", func.now()
    email.attempts, email.resent_count = 0, email.resent_count + 1
    session.flush()
    session.refresh(email)  # the row as committed: a sender may claim it the moment we commit
    shown = _shown(email)
    repository.notify_queued(session, email.id)
    session.commit()
    return shown


def _mailbox_dir():
    return mailbox_dir(service_context().settings)


@dev_mailbox.route("/mailbox")
@public
@dev_mailbox.arguments(MailboxQuery, location="query")
@dev_mailbox.response(200, MailboxPage)
def mailbox(query):
    messages = read_messages(_mailbox_dir(), query.get("to"))
    return {"messages": messages, "count": len(messages)}


@dev_mailbox.route("/mailbox.html")
@public
@dev_mailbox.arguments(MailboxQuery, location="query")
def mailbox_html(query):
    messages = list(reversed(read_messages(_mailbox_dir(), query.get("to"))))
    items = "\n".join(
        f'<article><h2>{escape(m.subject)}</h2><p class="meta">{escape(m.sender)} → '
        f'{escape(", ".join(m.envelope_to))} · {escape(m.message_id)} · '
        f'<a href="mailbox/{m.id}.html">HTML</a></p><pre>{escape(m.text)}</pre></article>'
        for m in messages) or "<p>(empty)</p>"
    page = (
        '<!doctype html><html lang="zh-Hans"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        "<title>Dev mailbox · 开发邮箱</title><style>body{font-family:sans-serif;margin:1rem;"
        "max-width:56rem}article{border-bottom:1px solid #ddd;padding:.5rem 0}"
        "h1{font-size:1.4rem}h2{font-size:1.05rem;margin:.2rem 0}.meta{color:#666;font-size:.85rem;"
        "word-break:break-all}pre{white-space:pre-wrap;background:#f7f7f7;padding:.5rem}"
        "</style></head><body>"
        f"<h1>Dev mailbox · 开发邮箱 ({len(messages)})</h1>"
        "<p>Messages received by the development SMTP sink, newest first. "
        "Not available in production.</p>"
        f"{items}</body></html>")
    return Response(page, mimetype="text/html",
                    headers={"Content-Security-Policy": "default-src 'none'; "
                                                        "style-src 'unsafe-inline'"})


@dev_mailbox.route("/mailbox/<message_id>.html")
@public
def mailbox_message_html(message_id: str):
    message = read_message(_mailbox_dir(), message_id)
    if message is None:
        raise ApiError(404, "mailbox.not_found")
    # The email's own HTML, with scripts and remote content blocked.
    return Response(message.html or f"<pre>{escape(message.text)}</pre>", mimetype="text/html",
                    headers={"Content-Security-Policy": "default-src 'none'; "
                                                        "style-src 'unsafe-inline'"})
