"""Helpers of the fault tests: restart the real broker or database, drive a stream of requests
through the gateway while it happens, and read what the services stored.

The restarts hit the machine's one RabbitMQ and PostgreSQL, shared by every test run on it, so
the modules using them are marked `faults` (run them where nothing else runs, e.g. CI).
"""

from __future__ import annotations

import subprocess
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field

import requests
from sqlalchemy import create_engine, text

POSTGRES_CLUSTER = ("15", "main")


def wait_until(probe: Callable[[], object], timeout: float, interval: float = 0.2,
               what: str = "the condition"):
    """Poll `probe` until it returns something truthy; fail after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while True:
        value = probe()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout:.0f}s waiting for {what}")
        time.sleep(interval)


def restart_broker(down_seconds: float = 3.0) -> None:
    """Stop RabbitMQ's application (every connection drops), keep it down, start it again.
    The durable quorum queues and their messages survive."""
    subprocess.run(["rabbitmqctl", "-q", "stop_app"], check=True, timeout=60,
                   capture_output=True)
    try:
        time.sleep(down_seconds)
    finally:
        subprocess.run(["rabbitmqctl", "-q", "start_app"], check=True, timeout=120,
                       capture_output=True)
    subprocess.run(["rabbitmqctl", "-q", "await_startup"], check=True, timeout=120,
                   capture_output=True)


def restart_postgres() -> None:
    """Restart the PostgreSQL cluster: every connection is terminated (fast shutdown), and new
    ones are refused until it is up again."""
    version, cluster = POSTGRES_CLUSTER
    subprocess.run(["pg_ctlcluster", "--skip-systemctl-redirect", version, cluster, "restart"],
                   check=True, timeout=120, capture_output=True)


def database_url(system, service: str) -> str:
    return f"postgresql+psycopg2://postgres@127.0.0.1:5432/hs_{service}{system.env['DATABASE_SUFFIX']}"


def query(system, service: str, sql: str, **params) -> list:
    engine = create_engine(database_url(system, service), pool_size=1)
    try:
        with engine.connect() as conn:
            return conn.execute(text(sql), params).all()
    finally:
        engine.dispose()


@dataclass
class Answer:
    name: str
    started: float
    seconds: float
    status: int | None  # None: no answer (connection error or timeout)
    body: object = None
    error: str | None = None


@dataclass
class RequestStream:
    """Runs `make_request` in `workers` threads until stopped, recording every answer.

    `make_request(session)` returns (name, response) or raises requests.RequestException."""

    make_request: Callable[[requests.Session], tuple[str, requests.Response]]
    workers: int = 2
    pause: float = 0.02
    answers: list[Answer] = field(default_factory=list)

    def __post_init__(self):
        self._stop = threading.Event()
        self._lock = threading.Lock()
        self._threads = [threading.Thread(target=self._work, daemon=True) for _ in range(self.workers)]

    def _work(self):
        session = requests.Session()
        while not self._stop.is_set():
            started = time.monotonic()
            try:
                name, response = self.make_request(session)
                try:
                    body = response.json()
                except ValueError:
                    body = response.text[:500]
                answer = Answer(name, started, time.monotonic() - started, response.status_code, body)
            except requests.RequestException as exc:
                answer = Answer("?", started, time.monotonic() - started, None,
                                error=f"{type(exc).__name__}: {exc}")
            with self._lock:
                self.answers.append(answer)
            time.sleep(self.pause)

    def start(self) -> RequestStream:
        for thread in self._threads:
            thread.start()
        return self

    def stop(self) -> list[Answer]:
        self._stop.set()
        for thread in self._threads:
            thread.join(timeout=60)
        return list(self.answers)

    def count(self, predicate: Callable[[Answer], bool] = lambda a: True) -> int:
        with self._lock:
            return sum(1 for answer in self.answers if predicate(answer))
