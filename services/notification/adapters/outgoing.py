"""The sender's side of the email table: claim one email, then mark it sent, retried or failed.

The protocol that keeps an email from going out twice:
1. Claim, in a short transaction: pick due `queued` rows (and `sending` rows, see 3) with
   FOR UPDATE SKIP LOCKED, take a session-level advisory lock on the row on the sender's own
   database connection, set `sending` (attempts + 1, claimed_at) and commit. The `sending`
   state is visible to operators before any byte goes to the SMTP server.
2. Send over SMTP, then mark `sent` (or back to `queued` with a back-off, or `failed`) and
   release the advisory lock.
3. A row left in `sending` belongs to a sender that is still at work as long as its advisory
   lock is held. PostgreSQL drops the lock the moment that sender's connection dies (SIGKILL,
   crash, lost host), so a `sending` row whose lock can be taken is an abandoned send: it is
   claimed again, at once, without waiting for a timeout.

The window that remains (at least once, not exactly once): the SMTP server has answered 250 to
the end of DATA and the sender dies (or loses its database) before step 2 commits. Nothing on
our side can know whether the server kept the message, and SMTP has no idempotency key, so the
email is sent again. The window is one UPDATE long; the resent copy carries the same
Message-ID (derived from the row id), which lets mail clients and our own sink show it as the
same message. We prefer a possible duplicate to a possibly lost email.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from sqlalchemy import text
from sqlalchemy.engine import Connection, Engine

log = logging.getLogger("hs.notification.outgoing")

# Two-key advisory locks: (this class, email id). The two-key space does not overlap the
# one-key space that shared.migrate uses.
LOCK_CLASS = 0x4E4F5446  # "NOTF"
CANDIDATES = 20


@dataclass(frozen=True)
class ClaimedEmail:
    id: int
    event_id: str
    kind: str
    recipient: str
    reply_to: str | None
    lang: str
    subject: str
    body_text: str
    body_html: str
    attempts: int
    recovered: bool


def message_id_for(email_id: int, domain: str) -> str:
    """Stable across attempts and restarts: the same email always has the same Message-ID."""
    return f"<hs-notification-{email_id}@{domain}>"


class OutgoingStore:
    def __init__(self, engine: Engine):
        self.engine = engine
        self._conn: Connection | None = None

    def _connection(self) -> Connection:
        if self._conn is None or self._conn.closed or self._conn.invalidated:
            self._conn = self.engine.connect()
        return self._conn

    def drop_connection(self) -> None:
        """After a database error: a new connection, which also gives up every lock we held."""
        if self._conn is not None:
            try:
                self._conn.invalidate()
                self._conn.close()
            except Exception:  # noqa: BLE001 - the connection is already broken
                pass
        self._conn = None

    def claim_next(self) -> ClaimedEmail | None:
        conn = self._connection()
        with conn.begin():
            candidates = conn.execute(text(
                "SELECT id, state FROM email "
                "WHERE (state = 'queued' AND next_attempt_at <= now()) OR state = 'sending' "
                "ORDER BY next_attempt_at, id LIMIT :n FOR UPDATE SKIP LOCKED"),
                {"n": CANDIDATES}).all()
            for candidate in candidates:
                locked = conn.execute(text(
                    "SELECT pg_try_advisory_lock(:cls, CAST(:id % 2147483647 AS integer))"),
                    {"cls": LOCK_CLASS, "id": candidate.id}).scalar()
                if not locked:
                    continue  # a live sender is at work on it
                recovered = candidate.state == "sending"
                if recovered:
                    log.warning("email %s was left in sending by a sender that stopped; "
                                "sending it again", candidate.id)
                row = conn.execute(text(
                    "UPDATE email SET state = 'sending', attempts = attempts + 1, "
                    "claimed_at = now(), last_error = CASE WHEN :recovered THEN "
                    "concat_ws('; ', 'previous sender stopped mid-send', last_error) "
                    "ELSE last_error END WHERE id = :id "
                    "RETURNING id, event_id, kind, recipient, reply_to, lang, subject, "
                    "body_text, body_html, attempts"),
                    {"id": candidate.id, "recovered": recovered}).one()
                return ClaimedEmail(**row._asdict(), recovered=recovered)
        return None

    def _finish(self, email_id: int, sql: str, params: dict) -> None:
        conn = self._connection()
        with conn.begin():
            conn.execute(text(sql + " WHERE id = :id AND state = 'sending'"),
                         {"id": email_id, **params})
        conn.execute(text("SELECT pg_advisory_unlock(:cls, CAST(:id % 2147483647 AS integer))"),
                     {"cls": LOCK_CLASS, "id": email_id})
        conn.commit()

    def mark_sent(self, email_id: int, message_id: str) -> None:
        self._finish(email_id, "UPDATE email SET state = 'sent', sent_at = now(), "
                     "message_id = :mid", {"mid": message_id})

    def mark_retry(self, email_id: int, error: str, delay_seconds: float) -> None:
        self._finish(email_id, "UPDATE email SET state = 'queued', last_error = :err, "
                     "next_attempt_at = now() + make_interval(secs => :delay)",
                     {"err": error[:2000], "delay": delay_seconds})

    def mark_failed(self, email_id: int, error: str) -> None:
        self._finish(email_id, "UPDATE email SET state = 'failed', last_error = :err",
                     {"err": error[:2000]})

    def make_waiting_due(self) -> int:
        """The server is back: every email waiting out a back-off may go now."""
        conn = self._connection()
        with conn.begin():
            return conn.execute(text(
                "UPDATE email SET next_attempt_at = now() "
                "WHERE state = 'queued' AND next_attempt_at > now()")).rowcount

    def close(self) -> None:
        if self._conn is not None and not self._conn.closed:
            self._conn.close()
        self._conn = None
