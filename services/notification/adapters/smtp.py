"""Delivery over SMTP (smtplib): build the MIME message, send it, and say what a failure means.

Failures fall in two kinds:
- `Transient`: the server is down, unreachable, slow, answers 4xx, or refuses our login; the
  email goes back to the queue with a back-off (the server, not the email, is the problem).
- `Permanent`: the server answers 5xx about this email (recipient or content refused); retrying
  the same email cannot help, so it is `failed` at once and operators see it.
"""

from __future__ import annotations

import smtplib
import ssl
from email.message import EmailMessage
from email.utils import formataddr, formatdate
from pathlib import Path

from services.notification.adapters.outgoing import ClaimedEmail
from services.notification.config import SmtpConfig
from shared.i18n import Catalog

# the sender's display name is in the recipient's language, as the email itself is
_NAMES = Catalog([Path(__file__).resolve().parent.parent / "messages"])


def sender_name(lang: str) -> str:
    """深圳健康驿站预约系统 · 深圳健康驛站預約系統 · Shenzhen Health Stations"""
    return _NAMES.translate("mail.sender_name", lang)


class Transient(Exception):
    pass


class Permanent(Exception):
    pass


def build_message(email: ClaimedEmail, sender: str, message_id: str) -> EmailMessage:
    msg = EmailMessage()
    msg["From"] = formataddr((sender_name(email.lang), sender))
    msg["To"] = email.recipient
    if email.reply_to:
        msg["Reply-To"] = email.reply_to
    msg["Subject"] = email.subject
    msg["Date"] = formatdate(localtime=False)
    msg["Message-ID"] = message_id
    msg["X-HS-Kind"] = email.kind
    msg["X-HS-Event-Id"] = email.event_id
    msg.set_content(email.body_text)
    msg.add_alternative(email.body_html, subtype="html")
    # After add_alternative, which moves Content-* headers into the first part.
    msg["Content-Language"] = email.lang
    return msg


class SmtpTransport:
    """One SMTP connection, reused while it answers; opened again when it does not."""

    def __init__(self, config: SmtpConfig):
        self.config = config
        self._smtp: smtplib.SMTP | None = None

    def _open(self) -> smtplib.SMTP:
        cfg = self.config
        smtp = smtplib.SMTP(cfg.host, cfg.port, timeout=cfg.timeout)
        try:
            smtp.ehlo()
            if cfg.starttls:
                smtp.starttls(context=ssl.create_default_context())
                smtp.ehlo()
            if cfg.username:
                smtp.login(cfg.username, cfg.password or "")
        except BaseException:
            _quietly_close(smtp)
            raise
        return smtp

    def _ready(self) -> smtplib.SMTP:
        if self._smtp is not None:
            try:
                if self._smtp.noop()[0] == 250:
                    return self._smtp
            except (smtplib.SMTPException, OSError):
                pass
            self.close()
        self._smtp = self._open()
        return self._smtp

    def send(self, message: EmailMessage, recipient: str) -> None:
        try:
            smtp = self._ready()
            refused = smtp.send_message(message, from_addr=self.config.sender,
                                        to_addrs=[recipient])
        except smtplib.SMTPRecipientsRefused as exc:
            self.close()
            answers = list(exc.recipients.values())
            kind = Permanent if all(code >= 500 for code, _ in answers) else Transient
            # The server's answer, not the address: operators' lists mask users' addresses.
            raise kind("recipient refused: " + "; ".join(
                f"{code} {_text(reply)}" for code, reply in answers)) from exc
        except smtplib.SMTPAuthenticationError as exc:
            self.close()
            raise Transient(f"SMTP login refused ({exc.smtp_code})") from exc
        except smtplib.SMTPResponseException as exc:
            self.close()
            kind = Permanent if 500 <= exc.smtp_code < 600 else Transient
            raise kind(f"SMTP {exc.smtp_code}: {_text(exc.smtp_error)}") from exc
        except (smtplib.SMTPException, OSError) as exc:
            self.close()
            raise Transient(f"{type(exc).__name__}: {exc}") from exc
        if refused:
            raise Permanent("recipient refused: " + "; ".join(
                f"{code} {_text(reply)}" for code, reply in refused.values()))

    def close(self) -> None:
        if self._smtp is not None:
            _quietly_close(self._smtp)
        self._smtp = None


def _text(value) -> str:
    return value.decode(errors="replace") if isinstance(value, bytes) else str(value)


def _quietly_close(smtp: smtplib.SMTP) -> None:
    try:
        smtp.quit()
    except (smtplib.SMTPException, OSError):
        try:
            smtp.close()
        except OSError:
            pass
