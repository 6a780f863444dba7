"""The notification service's own settings, from the environment (defaults fit the dev sink).

| variable | default | meaning |
|---|---|---|
| SMTP_HOST / SMTP_PORT | 127.0.0.1 / 8025 | where mail is delivered (the dev sink by default) |
| SMTP_STARTTLS | false | upgrade the connection with STARTTLS before sending |
| SMTP_USERNAME / SMTP_PASSWORD | (none) | log in when a username is set |
| SMTP_FROM | noreply@localhost | the From address (the system's name is added as display name) |
| SMTP_TIMEOUT_SECONDS | 20 | socket timeout of one SMTP conversation step |
| SMTP_RETRY_BASE_SECONDS / SMTP_RETRY_MAX_SECONDS | 2 / 30 | back-off while the server is down |
| SMTP_MAX_ATTEMPTS | 500 | attempts before an email is `failed` (operators can resend) |
| SENDER_POLL_SECONDS | 1 | how often the sender looks for queued emails when idle |
| SUPPORT_MAILBOX / SUPPORT_LANG | settings.support_mailbox / zh-Hans | support staff (R6.5, R14.1) |
| OPERATOR_MAILBOX / OPERATOR_LANG | operators@localhost / zh-Hans | draw reports and alerts |
| SMTP_SINK_HOST / SMTP_SINK_PORT / SMTP_SINK_DIR | 127.0.0.1 / 8025 / var/mailbox | dev sink |
| LOTTERY_AUDIT_URL | {base}/lottery/audit/{period} | the audit page linked from the draw report |
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from shared.config import Settings, load_settings
from shared.i18n import LANGUAGES

SERVICE = "notification"
SYSTEM_NAME_EN = "Shenzhen Health Station Room Reservation System"


def _env(name: str, default: str) -> str:
    value = os.environ.get(name)
    return default if value in (None, "") else value


def _flag(name: str, default: bool) -> bool:
    return _env(name, "true" if default else "false").strip().lower() in ("1", "true", "yes", "on")


def _lang(name: str) -> str:
    lang = _env(name, "zh-Hans")
    if lang not in LANGUAGES:
        raise ValueError(f"{name} must be one of {LANGUAGES}, not {lang!r}")
    return lang


@dataclass(frozen=True)
class SmtpConfig:
    host: str
    port: int
    starttls: bool
    username: str | None
    password: str | None
    sender: str
    timeout: float


@dataclass(frozen=True)
class NotificationConfig:
    settings: Settings
    smtp: SmtpConfig
    retry_base_seconds: float
    retry_max_seconds: float
    max_attempts: int
    poll_seconds: float
    support_mailbox: str
    support_lang: str
    operator_mailbox: str
    operator_lang: str
    sink_host: str
    sink_port: int
    mailbox_dir: Path
    audit_url_template: str

    @property
    def message_id_domain(self) -> str:
        return self.smtp.sender.rpartition("@")[2] or "localhost"

    def audit_url(self, period: str) -> str:
        return self.audit_url_template.format(base=self.settings.public_base_url.rstrip("/"),
                                              period=period)


def mailbox_dir(settings: Settings) -> Path:
    return Path(_env("SMTP_SINK_DIR", str(settings.var_dir / "mailbox")))


def load_config(settings: Settings | None = None) -> NotificationConfig:
    settings = settings or load_settings(SERVICE)
    return NotificationConfig(
        settings=settings,
        smtp=SmtpConfig(
            host=_env("SMTP_HOST", "127.0.0.1"),
            port=int(_env("SMTP_PORT", "8025")),
            starttls=_flag("SMTP_STARTTLS", False),
            username=os.environ.get("SMTP_USERNAME") or None,
            password=os.environ.get("SMTP_PASSWORD") or None,
            sender=_env("SMTP_FROM", "noreply@localhost"),
            timeout=float(_env("SMTP_TIMEOUT_SECONDS", "20")),
        ),
        retry_base_seconds=float(_env("SMTP_RETRY_BASE_SECONDS", "2")),
        retry_max_seconds=float(_env("SMTP_RETRY_MAX_SECONDS", "30")),
        max_attempts=int(_env("SMTP_MAX_ATTEMPTS", "500")),
        poll_seconds=float(_env("SENDER_POLL_SECONDS", "1")),
        support_mailbox=settings.support_mailbox,
        support_lang=_lang("SUPPORT_LANG"),
        operator_mailbox=_env("OPERATOR_MAILBOX", "operators@localhost"),
        operator_lang=_lang("OPERATOR_LANG"),
        sink_host=_env("SMTP_SINK_HOST", "127.0.0.1"),
        sink_port=int(_env("SMTP_SINK_PORT", "8025")),
        mailbox_dir=mailbox_dir(settings),
        audit_url_template=_env("LOTTERY_AUDIT_URL", "{base}/lottery/audit/{period}"),
    )
