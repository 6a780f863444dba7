"""`python -m services.notification.smtp_sink [--host H] [--port P]`: the SMTP server for
development and tests.

Listens on SMTP_SINK_HOST:SMTP_SINK_PORT (127.0.0.1:8025), accepts every message and keeps it
as an `.eml` file in SMTP_SINK_DIR (var/mailbox), where the dev mailbox page
(`/api/notification/dev/mailbox.html`) and the tests read it. It delivers nothing onwards and
asks for no login: leave SMTP_USERNAME empty when sending to it. Files survive restarts.
It answers 250 only after the file is on disk, as a real server does after queueing.
SMTP_SINK_REFUSE (a regular expression) makes it refuse matching recipients with 550, to see
how a bounced address looks (the email ends `failed`, operators resend it).
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import re
import signal
import sys

from aiosmtpd.smtp import SMTP

from services.notification.adapters.mailbox import store_message
from services.notification.config import load_config
from shared.logs import configure_logging

log = logging.getLogger("hs.notification.smtp_sink")


class MailboxHandler:
    def __init__(self, directory, refuse: str | None = None):
        self.directory = directory
        self.refuse = re.compile(refuse) if refuse else None

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):  # noqa: N802
        if self.refuse is not None and self.refuse.search(address):
            return "550 5.1.1 Mailbox unavailable (refused by SMTP_SINK_REFUSE)"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's name
        path = store_message(self.directory, envelope.original_content or envelope.content,
                             envelope.mail_from or "", list(envelope.rcpt_tos))
        log.info("kept message for %s as %s", ",".join(envelope.rcpt_tos), path.name)
        return "250 Message accepted for delivery"


async def serve(host: str, port: int, directory, refuse: str | None = None) -> None:
    loop = asyncio.get_running_loop()
    handler = MailboxHandler(directory, refuse)
    server = await loop.create_server(
        lambda: SMTP(handler, hostname="hs-smtp-sink", ident="hs-smtp-sink"),
        host=host, port=port)
    stopped = asyncio.Event()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stopped.set)
    log.info("SMTP sink listening on %s:%s, keeping messages in %s", host, port, directory)
    print(f"smtp sink ready on {host}:{port}", flush=True)
    async with server:
        await stopped.wait()


def main(argv: list[str]) -> int:
    config = load_config()
    parser = argparse.ArgumentParser(prog="python -m services.notification.smtp_sink")
    parser.add_argument("--host", default=config.sink_host, help="default SMTP_SINK_HOST")
    parser.add_argument("--port", type=int, default=config.sink_port, help="default SMTP_SINK_PORT")
    args = parser.parse_args(argv)
    configure_logging("smtp-sink")
    logging.getLogger("mail.log").setLevel(logging.WARNING)  # it logs every SMTP line
    config.mailbox_dir.mkdir(parents=True, exist_ok=True)
    asyncio.run(serve(args.host, args.port, config.mailbox_dir,
                      os.environ.get("SMTP_SINK_REFUSE") or None))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
