"""Real parts for the notification tests: the run's PostgreSQL database, the run's broker
objects, and the real processes: the SMTP sink, the consumer and the sender, each started as a
subprocess (so a test can stop, freeze or SIGKILL them)."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pika
import pytest
from sqlalchemy import text

from services.notification.adapters.mailbox import read_messages
from services.notification.config import load_config
from shared.config import REPO_ROOT, load_settings
from shared.db import make_engine, make_session_factory
from shared.events import Event
from shared.events.broker import connect
from shared.testing import migrate_service

SUPPORT = "support-staff@hs.test"
OPERATORS = "operators@hs.test"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(predicate, timeout: float = 30.0, interval: float = 0.05, what: str = "condition"):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(interval)
    raise AssertionError(f"timed out after {timeout}s waiting for {what}")


class Process:
    """A service process of ours, stopped by its own pid only."""

    def __init__(self, module: str, env: dict, log_path: Path):
        self.module, self.env, self.log_path = module, env, log_path
        self.proc: subprocess.Popen | None = None

    def start(self) -> Process:
        log = open(self.log_path, "ab")
        self.proc = subprocess.Popen([sys.executable, "-m", self.module], cwd=REPO_ROOT,
                                     env=self.env, stdout=log, stderr=subprocess.STDOUT)
        log.close()
        return self

    def signal(self, sig) -> None:
        assert self.proc is not None and self.proc.poll() is None, f"{self.module} not running"
        self.proc.send_signal(sig)

    def kill(self) -> None:
        """SIGKILL: no clean-up runs, as when a host dies."""
        self.signal(signal.SIGKILL)
        self.proc.wait(timeout=10)

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGCONT)  # in case a test froze it
            self.proc.terminate()
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=10)
        self.proc = None

    def log_tail(self, lines: int = 30) -> str:
        try:
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return ""


class Sink(Process):
    """The real SMTP sink (aiosmtpd) on a free port, keeping messages in its own directory."""

    def __init__(self, env: dict, log_path: Path, directory: Path, port: int):
        super().__init__("services.notification.smtp_sink",
                         {**env, "SMTP_SINK_PORT": str(port), "SMTP_SINK_DIR": str(directory)},
                         log_path)
        self.directory, self.port = directory, port

    def start(self) -> Sink:
        super().start()
        wait_for(self._accepting, timeout=15, what="the SMTP sink to listen")
        return self

    def _accepting(self) -> bool:
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=0.5):
                return True
        except OSError:
            return False

    def freeze(self) -> None:
        """SIGSTOP: the port still accepts TCP connections but the server never answers."""
        self.signal(signal.SIGSTOP)

    def thaw(self) -> None:
        self.signal(signal.SIGCONT)

    def messages(self, to: str | None = None):
        return read_messages(self.directory, to)


@pytest.fixture(scope="session")
def database_url() -> str:
    return migrate_service("notification")


@pytest.fixture(scope="session")
def engine(database_url):
    engine = make_engine(database_url)
    yield engine
    engine.dispose()


@pytest.fixture(scope="session")
def sessions(engine):
    return make_session_factory(engine)


@pytest.fixture(scope="session")
def base_env(database_url) -> dict:
    env = dict(os.environ)
    env.update({"PYTHONPATH": str(REPO_ROOT), "SUPPORT_MAILBOX": SUPPORT,
                "OPERATOR_MAILBOX": OPERATORS, "SMTP_HOST": "127.0.0.1",
                "SMTP_RETRY_BASE_SECONDS": "0.2", "SMTP_RETRY_MAX_SECONDS": "1",
                "SENDER_POLL_SECONDS": "0.2", "SMTP_TIMEOUT_SECONDS": "5",
                "PUBLIC_BASE_URL": "http://hs.test"})
    for name in ("SMTP_USERNAME", "SMTP_PASSWORD", "SMTP_STARTTLS", "SMTP_SINK_REFUSE"):
        env.pop(name, None)
    return env


@pytest.fixture(scope="session")
def logs_dir(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("notification-logs")


@pytest.fixture(scope="session")
def consumer(base_env, logs_dir):
    """One consumer process for the session (it never talks SMTP); its queues are declared
    before any test publishes, so nothing published is unroutable."""
    from services.notification.entrypoints.consumer import build_consumers

    main, dead = build_consumers(load_config(), None)
    main.declare()
    dead.declare()
    process = Process("services.notification.entrypoints.consumer", base_env,
                      logs_dir / "consumer.log").start()
    yield process
    process.stop()


@pytest.fixture
def clean_emails(engine):
    with engine.begin() as conn:
        conn.execute(text("TRUNCATE email RESTART IDENTITY"))


@pytest.fixture
def sink(base_env, logs_dir, tmp_path):
    sink = Sink(base_env, logs_dir / f"sink-{uuid.uuid4().hex[:6]}.log", tmp_path / "mailbox",
                free_port()).start()
    yield sink
    sink.stop()


@pytest.fixture
def start_sender(base_env, logs_dir, sink, clean_emails):
    """Start a sender aimed at the test's sink; `start_sender(SMTP_TIMEOUT_SECONDS="30")`."""
    started: list[Process] = []

    def start(**env) -> Process:
        process = Process("services.notification.entrypoints.sender",
                          {**base_env, "SMTP_PORT": str(sink.port), **env},
                          logs_dir / f"sender-{uuid.uuid4().hex[:6]}.log").start()
        started.append(process)
        return process

    yield start
    for process in started:
        process.stop()


@pytest.fixture(scope="session")
def publish():
    """Publish an event to the run's exchange as a relay would (persistent, confirmed)."""
    settings = load_settings("notification")
    connection = connect(settings.amqp_url)
    channel = connection.channel()
    channel.confirm_delivery()

    def send(event: Event) -> Event:
        channel.basic_publish(settings.exchange, event.type, event.to_json(),
                              properties=pika.BasicProperties(
                                  content_type="application/json", delivery_mode=2,
                                  message_id=event.id, type=event.type),
                              mandatory=True)
        return event

    yield send
    if connection.is_open:  # a broker restart by another test may have closed it already
        try:
            connection.close()
        except pika.exceptions.AMQPError:
            pass


def email_rows(engine, event_ids=None):
    query = "SELECT * FROM email"
    params = {}
    if event_ids is not None:
        query += " WHERE event_id = ANY(:ids)"
        params["ids"] = list(event_ids)
    with engine.connect() as conn:
        return conn.execute(text(query + " ORDER BY id"), params).mappings().all()
