"""The sender's loop: claim one queued email, send it, record the outcome; back off while the
SMTP server is down. See adapters/outgoing.py for why an email is not sent twice."""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass

from sqlalchemy.exc import DBAPIError

from services.notification.adapters.outgoing import OutgoingStore, message_id_for
from services.notification.adapters.smtp import Permanent, SmtpTransport, Transient, build_message

log = logging.getLogger("hs.notification.sender")


def retry_delay(attempts: int, base: float, cap: float) -> float:
    """Exponential back-off: base, 2·base, 4·base, ... never more than cap."""
    return min(cap, base * (2 ** max(0, attempts - 1)))


@dataclass
class Outcome:
    email_id: int
    state: str  # sent / queued / failed
    error: str | None = None


class Sender:
    def __init__(self, store: OutgoingStore, transport: SmtpTransport, *, sender_address: str,
                 message_id_domain: str, retry_base: float, retry_max: float, max_attempts: int):
        self.store = store
        self.transport = transport
        self.sender_address = sender_address
        self.message_id_domain = message_id_domain
        self.retry_base = retry_base
        self.retry_max = retry_max
        self.max_attempts = max_attempts
        self.server_failures = 0  # consecutive: drives the pause between attempts
        self.pause_until = 0.0

    def server_paused(self) -> bool:
        return time.monotonic() < self.pause_until

    def send_one(self) -> Outcome | None:
        """Claim and send one due email; None when there is nothing to do (or we are pausing
        because the server is down)."""
        if self.server_paused():
            return None
        email = self.store.claim_next()
        if email is None:
            return None
        message_id = message_id_for(email.id, self.message_id_domain)
        try:
            self.transport.send(build_message(email, self.sender_address, message_id),
                                email.recipient)
        except Permanent as exc:
            log.error("email %s refused by the SMTP server: %s", email.id, exc)
            self.store.mark_failed(email.id, str(exc))
            return Outcome(email.id, "failed", str(exc))
        except Transient as exc:
            self.server_failures += 1
            pause = retry_delay(self.server_failures, self.retry_base, self.retry_max)
            self.pause_until = time.monotonic() + pause
            if email.attempts >= self.max_attempts:
                log.error("email %s failed after %s attempts: %s", email.id, email.attempts, exc)
                self.store.mark_failed(email.id, f"gave up after {email.attempts} attempts: {exc}")
                return Outcome(email.id, "failed", str(exc))
            delay = retry_delay(email.attempts, self.retry_base, self.retry_max)
            log.warning("SMTP unavailable for email %s (attempt %s), retrying in %.1fs: %s",
                        email.id, email.attempts, delay, exc)
            self.store.mark_retry(email.id, str(exc), delay)
            return Outcome(email.id, "queued", str(exc))
        self._mark_sent(email.id, message_id)
        if self.server_failures:
            # The server is back: the others need not wait out their back-off.
            self.server_failures, self.pause_until = 0, 0.0
            self.store.make_waiting_due()
        return Outcome(email.id, "sent")

    def _mark_sent(self, email_id: int, message_id: str) -> None:
        """The server has the message: recording that must not be given up on."""
        wait = 0.2
        while True:
            try:
                self.store.mark_sent(email_id, message_id)
                return
            except DBAPIError as exc:
                log.warning("could not record email %s as sent yet: %s", email_id, exc)
                self.store.drop_connection()
                time.sleep(wait)
                wait = min(wait * 2, 5)
