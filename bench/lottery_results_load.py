"""Benchmark of "did I win?" at 20:00 through the gateway (issue 5).

Starts the whole system as the end-to-end suite does (nginx, the Procfile's processes, ports,
databases and broker names of its own), feeds booking's events for one period, moves the clock
to 18:30 and 20:00 so it is drawn and published, then loads, for the same time each and with
the same client:
- `GET /api/lottery/me/results` with the tokens of many different applicants;
- the baseline: `GET /api/lottery/health`, a minimal Flask endpoint returning a constant, on the
  same gunicorn behind the same nginx;
- the static public list `/public/lottery/<period>/winners.json` served by nginx itself.
It prints requests per second, errors and latency percentiles (target: results >= half the
baseline's throughput, zero errors). It asserts nothing about time.

    PYTHONPATH=. .venv/bin/python bench/lottery_results_load.py [--seconds 10] [--clients 32]
"""

from __future__ import annotations

import argparse
import http.client
import multiprocessing
import random
import secrets
import statistics
import sys
import threading
import time
from datetime import timedelta
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from services.lottery.domain.draw import entries_digest  # noqa: E402
from services.lottery.domain.schedule import draw_time, publication_time  # noqa: E402
from shared.events import Event  # noqa: E402
from tests.e2e.system import (  # noqa: E402
    drop_system_databases,
    prepare_system,
    start_system,
    stop_system,
)
from tests.e2e.test_lottery_e2e import publish, token  # noqa: E402

PERIOD = "2031-06-01"


def feed(system, applications: int, accounts: int) -> list[str]:
    from datetime import date

    dates = [(date.fromisoformat(PERIOD) + timedelta(days=i)).isoformat() for i in range(1, 7)]
    events = [Event("booking.period.opened", {"period": PERIOD, "dates": dates}, "booking")]
    numbers: dict[str, list[str]] = {d: [] for d in dates}
    for i in range(applications):
        day = dates[i % 6]
        account = (i // 6) % accounts  # an account applies for up to six dates, once each
        number = secrets.token_hex(6).upper()
        numbers[day].append(number)
        events.append(Event("booking.application.submitted", {
            "application_number": number, "period": PERIOD, "date": day,
            "account_id": f"bench-{account}",
            "party": [{"document_type": "hk_macao_permit", "document_number": f"H{account:08d}"}],
            "party_size": 1, "submitted_at": f"{PERIOD}T10:00:00+08:00"}, "booking"))
    events.append(Event("booking.period.closed", {"period": PERIOD, "dates": {
        d: {"places": max(1, len(n) // 5), "count": len(n), "digest": entries_digest(n)}
        for d, n in numbers.items()}}, "booking"))
    publish(system, events)
    return [f"bench-{a}" for a in range(min(accounts, applications // 6 or 1))]


def wait_until(check, seconds: float, what: str) -> None:
    deadline = time.monotonic() + seconds
    while not check():
        if time.monotonic() > deadline:
            raise SystemExit(f"timed out waiting for {what}")
        time.sleep(0.5)


def worker(port: int, paths_and_headers, seconds: float, threads: int, queue) -> None:
    stop_at = time.monotonic() + seconds
    latencies, errors, lock = [], [0], threading.Lock()

    def run():
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        mine, wrong = [], 0
        while time.monotonic() < stop_at:
            path, headers = random.choice(paths_and_headers)
            started = time.perf_counter()
            try:
                connection.request("GET", path, headers=headers)
                response = connection.getresponse()
                response.read()
                if response.status != 200:
                    wrong += 1
                mine.append(time.perf_counter() - started)
            except (OSError, http.client.HTTPException):
                wrong += 1
                connection.close()
                connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        with lock:
            latencies.extend(mine)
            errors[0] += wrong

    pool = [threading.Thread(target=run) for _ in range(threads)]
    for t in pool:
        t.start()
    for t in pool:
        t.join()
    queue.put((latencies, errors[0]))


def load(port: int, paths_and_headers, seconds: float, clients: int) -> dict:
    processes = 2
    queue = multiprocessing.Queue()
    procs = [multiprocessing.Process(target=worker, args=(
        port, paths_and_headers, seconds, max(1, clients // processes), queue))
        for _ in range(processes)]
    for p in procs:
        p.start()
    latencies, errors = [], 0
    for _ in procs:
        got, wrong = queue.get()
        latencies.extend(got)
        errors += wrong
    for p in procs:
        p.join()
    latencies.sort()

    def pick(q: float) -> float:
        return latencies[min(len(latencies) - 1, int(q * len(latencies)))] * 1000

    return {"rps": len(latencies) / seconds, "errors": errors, "n": len(latencies),
            "p50": pick(0.5) if latencies else 0, "p99": pick(0.99) if latencies else 0,
            "mean": statistics.fmean(latencies) * 1000 if latencies else 0}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--clients", type=int, default=32)
    parser.add_argument("--applications", type=int, default=3000)
    parser.add_argument("--accounts", type=int, default=2000)
    args = parser.parse_args()
    import requests

    system = prepare_system(f"b{secrets.token_hex(2)}")
    try:
        start_system(system)  # inside the try: a system that fails to start is still stopped
        base = system.gateway_url
        port = int(system.env["GATEWAY_PORT"])
        clock = system.clock
        clock.set(draw_time(PERIOD) - timedelta(hours=9))
        accounts = feed(system, args.applications, args.accounts)
        operator = token(system, "bench-operator", ["operator"])

        def states():
            periods = requests.get(f"{base}/api/lottery/operator/periods", headers=operator,
                                   timeout=5).json()["periods"]
            mine = next((p for p in periods if p["period"] == PERIOD), None)
            return mine and {d["state"] for d in mine["dates"]}

        wait_until(lambda: states() == {"ready"}, 300, "the entries")
        clock.set(draw_time(PERIOD))
        wait_until(lambda: states() == {"drawn"}, 120, "the draw")
        clock.set(publication_time(PERIOD))
        wait_until(lambda: requests.get(f"{base}/public/lottery/{PERIOD}/winners.json",
                                        timeout=5).ok, 120, "the publication")
        results = [("/api/lottery/me/results", token(system, a)) for a in accounts]
        baseline = [("/api/lottery/health", {})]
        static = [(f"/public/lottery/{PERIOD}/winners.json", {})]
        figures = {}
        for name, paths in (("baseline: minimal Flask endpoint (constant)", baseline),
                            ("did I win? GET /api/lottery/me/results", results),
                            ("public list (static file from nginx)", static)):
            load(port, paths[:1], 1, args.clients)  # warm up
            figures[name] = load(port, paths, args.seconds, args.clients)
    finally:
        stop_system(system)
        drop_system_databases(system)
    print(f"{args.applications:,} applications, {len(accounts):,} applicants checking, "
          f"{args.clients} concurrent clients, {args.seconds:.0f} s each, through nginx")
    for name, f in figures.items():
        print(f"{name:<45} {f['rps']:8.0f} req/s  errors {f['errors']:<4} "
              f"p50 {f['p50']:6.1f} ms  p99 {f['p99']:6.1f} ms")
    names = list(figures)
    ratio = figures[names[1]]["rps"] / max(figures[names[0]]["rps"], 1e-9)
    print(f"did I win? / baseline throughput: {ratio:.2f} (target >= 0.5, zero errors)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
