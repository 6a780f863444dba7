"""A lottery scheduler killed with `kill -9` in the middle of a draw (issue 5; R8.1, R8.2, R8.4).

The system runs three lottery schedulers (each under a honcho of its own, tests/e2e/system.py,
so the kill does not stop the rest). A period of six dates and 1,500 applications arrives
over the broker as booking sends it. To kill the replica mid-draw at a known point rather than
at a lucky moment, the test holds date 3's result key in an open transaction of its own: the
replica that took the period's advisory lock commits dates 1 and 2, draws date 3 and waits on
the key with its date-3 transaction open. The test finds that replica through the advisory
lock's holder in pg_locks (its client port mapped to the OS process owning that socket),
kills it with SIGKILL, and lets go of the key. Then each date is drawn exactly once, the
survivors complete the draw, one `lottery.results.published` is recorded, and `verify` says
the published audit bundle matches.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import signal
import subprocess
import sys
from collections import Counter
from datetime import timedelta
from pathlib import Path

import pytest
import requests
from sqlalchemy import create_engine, text

from services.lottery.domain.draw import entries_digest
from services.lottery.domain.schedule import draw_time, publication_time
from services.lottery.service_layer.drawing import lock_key
from shared.config import REPO_ROOT
from shared.events import Event
from tests.e2e.system import processes_below, start_replica
from tests.e2e.test_lottery_e2e import publish, token, wait_for

pytestmark = pytest.mark.e2e

PERIOD = "2031-05-01"
PER_DATE = 250
PLACES = 40
SCHEDULER = b"services.lottery.entrypoints.scheduler"


def _events(dates: list[str]) -> list[Event]:
    submitted = []
    for d_index, day in enumerate(dates):
        for i in range(PER_DATE):
            person = (i + d_index * 97) % 600  # people apply for several dates (R8.2)
            submitted.append(Event("booking.application.submitted", {
                "application_number": hashlib.sha256(f"kill{PERIOD}{day}{i}".encode())
                .hexdigest()[:12].upper(),
                "period": PERIOD, "date": day, "account_id": f"kill-{PERIOD}-{person}",
                "party": [{"document_type": "hk_macao_permit",
                           "document_number": f"K{person:08d}"}],
                "party_size": 1, "submitted_at": f"{PERIOD}T10:00:00+08:00"}, "booking"))
    closed = Event("booking.period.closed", {"period": PERIOD, "dates": {
        day: {"places": PLACES, "count": PER_DATE,
              "digest": entries_digest(e.body["application_number"] for e in submitted
                                       if e.body["date"] == day)} for day in dates}}, "booking")
    opened = Event("booking.period.opened", {"period": PERIOD, "dates": dates}, "booking")
    return [opened, *submitted, closed]


def _owns_local_port(pid: int, port: int) -> bool:
    """Whether process `pid` holds an IPv4 TCP socket bound to local `port`."""
    inodes = set()
    for fd in Path(f"/proc/{pid}/fd").iterdir():
        try:
            target = os.readlink(fd)
        except OSError:
            continue
        if target.startswith("socket:["):
            inodes.add(target[8:-1])
    for line in Path(f"/proc/{pid}/net/tcp").read_text().splitlines()[1:]:
        fields = line.split()
        if int(fields[1].rsplit(":", 1)[1], 16) == port and fields[9] in inodes:
            return True
    return False


def _drawn_log_lines(system, dates: list[str]) -> Counter:
    """How often a scheduler logged "period P date D drawn by …" (logged after its commit)."""
    counts = Counter()
    for log in system.var_dir.glob("lottery-scheduler.*.log"):
        for line in log.read_text(errors="replace").splitlines():
            for day in dates:
                if f"period {PERIOD} date {day} drawn by" in line:
                    counts[day] += 1
    return counts


def test_R8_1_a_scheduler_killed_mid_draw_each_date_drawn_once_and_the_draw_verifies(
        system, system_clock):
    base = system.gateway_url
    dates = [(dt.date.fromisoformat(PERIOD) + timedelta(days=i)).isoformat() for i in range(1, 7)]
    db = create_engine(f"postgresql+psycopg2://postgres@127.0.0.1:5432/"
                       f"hs_lottery{system.env['DATABASE_SUFFIX']}", pool_size=3)
    operator = token(system, "op-kill", ["operator"])

    def sql(statement: str, **params) -> list:
        with db.connect() as conn:
            return conn.execute(text(statement), params).all()

    def states():
        periods = requests.get(f"{base}/api/lottery/operator/periods", headers=operator,
                               timeout=10).json()["periods"]
        mine = next((p for p in periods if p["period"] == PERIOD), None)
        return mine and [d["state"] for d in mine["dates"]]

    system_clock.set(draw_time(PERIOD) - timedelta(hours=10))  # 08:30: booking opens nothing
    publish(system, _events(dates))
    wait_for(lambda: states() == ["ready"] * 6, seconds=180, what="all 1,500 entries")

    blocker = db.connect()
    killed = None
    try:
        blocker.execute(text(
            "INSERT INTO lottery_draw_result (period, date, places, applications, digest, "
            "winners, winners_people, overflow, drawn_by) "
            "VALUES (:p, :d, 0, 0, '', '[]', 0, 0, 'test: holds the key')"),
            {"p": PERIOD, "d": dates[2]})  # uncommitted: date 3's insert waits on it
        blocker_pid = blocker.execute(text("SELECT pg_backend_pid()")).scalar()
        system_clock.set(draw_time(PERIOD))

        # a connection per query: pg_stat_activity is a snapshot held for a transaction
        wait_for(lambda: sql("SELECT count(*) FROM pg_stat_activity "
                             "WHERE :b = ANY(pg_blocking_pids(pid))", b=blocker_pid)[0][0] == 1,
                 seconds=60, what="the draw to reach date 3")
        (holder_port,), = sql(
            "SELECT a.client_port FROM pg_locks l JOIN pg_stat_activity a USING (pid) "
            "WHERE l.locktype = 'advisory' AND l.granted AND l.objid = :k "
            "AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())",
            k=lock_key(PERIOD))
        committed = sql("SELECT date, drawn_by FROM lottery_draw_result WHERE period = :p "
                        "ORDER BY date", p=PERIOD)
        owners = [(name, pid) for name, replica in system.replicas.items()
                  for pid in processes_below(replica.pid, SCHEDULER) if _owns_local_port(pid, holder_port)]
        assert len(owners) == 1, f"the lock holder's process (port {holder_port}): {owners}"
        killed, pid = owners[0]
        # mid-draw: dates 1 and 2 committed by the holder, date 3 drawn but not committed
        assert [(d, by.rsplit(":", 1)[1]) for d, by in committed] == \
            [(dates[0], str(pid)), (dates[1], str(pid))]
        os.kill(pid, signal.SIGKILL)
        system.replicas[killed].wait(timeout=30)
        blocker.rollback()
    finally:
        blocker.close()
        if killed is not None:
            start_replica(system, killed)  # later tests get their three schedulers back
    assert system.process.poll() is None, "the kill must not stop the rest of the system"
    survivors = [p for name, p in system.replicas.items() if name != killed]
    assert all(p.poll() is None for p in survivors)

    wait_for(lambda: states() == ["drawn"] * 6, seconds=90, what="the survivors to finish")
    rows = sql("SELECT date, drawn_by, jsonb_array_length(winners) FROM lottery_draw_result "
               "WHERE period = :p ORDER BY date", p=PERIOD)
    (winner_rows,), = sql("SELECT count(*) FROM lottery_winner WHERE period = :p", p=PERIOD)
    assert [r.date for r in rows] == dates
    assert rows[2].drawn_by.rsplit(":", 1)[1] != str(pid)  # date 3 redrawn by a survivor
    assert winner_rows == sum(r[2] for r in rows)
    wait_for(lambda: set(_drawn_log_lines(system, dates)) == set(dates), what="the logs")
    assert _drawn_log_lines(system, dates) == Counter(dates), "each date drawn exactly once"

    system_clock.set(publication_time(PERIOD))
    audit = f"{base}/public/lottery/{PERIOD}/audit.json"
    wait_for(lambda: requests.get(audit, timeout=10).ok, seconds=60, what="the audit bundle")
    verified = subprocess.run([sys.executable, "-m", "services.lottery.verify", audit],
                              cwd=REPO_ROOT, env=system.env, capture_output=True, text=True,
                              timeout=120)
    assert verified.returncode == 0 and "MATCHES" in verified.stdout, verified.stdout
    events = dict(sql(
        "SELECT event_type, count(*) FROM event_outbox WHERE body->>'period' = :p "
        "AND event_type IN ('lottery.results.published', 'lottery.draw.failed') GROUP BY 1",
        p=PERIOD))
    db.dispose()
    assert events == {"lottery.results.published": 1}
