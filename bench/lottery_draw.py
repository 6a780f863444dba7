"""Benchmark of the lottery draw (issue 5): a period of 1,000,000 applications over 6 dates,
parties of 1-4 people, 1,000-2,000 places a date.

    PYTHONPATH=. .venv/bin/python bench/lottery_draw.py                  # 1,000,000 applications
    PYTHONPATH=. .venv/bin/python bench/lottery_draw.py --applications 60000   # a quick run

It loads the period into a throw-away PostgreSQL database (dropped at the end), then measures,
each in a fresh child process so that peak memory is the measured step's own:
- the baseline: reading the period's entries out of PostgreSQL with COPY into Python tuples;
- the draw: the service's own draw of the whole period (`draw_period`, exactly the path the
  scheduler runs: lock, per-date completeness check, ranking, result and winner rows).
It prints time and peak resident memory of both and the ratio (target: draw <= 3x baseline
and < 1 GiB). It asserts nothing about time.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import random
import resource
import secrets
import subprocess
import sys
import time
from datetime import date, timedelta
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from services.lottery.domain.draw import entries_digest, seed_hash  # noqa: E402
from services.lottery.domain.schedule import draw_time  # noqa: E402
from shared.db import drop_database, make_engine, make_session_factory  # noqa: E402
from shared.migrate import upgrade  # noqa: E402

PERIOD = "2031-01-01"


def peak_rss_mib() -> float:
    """Peak resident memory of this process image. VmHWM, not getrusage's ru_maxrss: Linux keeps
    ru_maxrss across fork and exec, so a child would report the parent's peak."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def generate(url: str, applications: int, seed: int) -> dict:
    """Write the period, its entries (COPY) and booking's close statement; return the close."""
    rng = random.Random(seed)
    day = date.fromisoformat(PERIOD)
    dates = [(day + timedelta(days=i)).isoformat() for i in range(1, 7)]
    people = int(applications * 1.6)  # many people apply for several dates (R8.2 matters)
    closing, buffer = {}, io.StringIO()
    per_date = [applications // 6 + (1 if i < applications % 6 else 0) for i in range(6)]
    for d, count in zip(dates, per_date, strict=True):
        start, numbers = rng.randrange(people), []
        for i in range(count):
            size = rng.choice((1, 1, 2, 2, 3, 4))
            persons = ",".join(f"{(start + i * 4 + k) % people:032x}" for k in range(size))
            number = os.urandom(7).hex().upper()
            numbers.append(number)
            buffer.write(f"{number}\t{PERIOD}\t{d}\tacct{(start + i * 4) % people}\t"
                         f"{{{persons}}}\t{size}\n")
        closing[d] = {"places": rng.randint(1000, 2000), "count": count,
                      "digest": entries_digest(numbers)}
    engine = make_engine(url)
    raw = engine.raw_connection()
    try:
        cursor = raw.cursor()
        seed_bytes = secrets.token_bytes(32)
        cursor.execute(
            "INSERT INTO lottery_period (period, dates, seed, seed_hash, pepper, closing, "
            "closed_at) VALUES (%s, %s, %s, %s, %s, %s, now())",
            (PERIOD, json.dumps(dates), seed_bytes, seed_hash(seed_bytes),
             secrets.token_bytes(32), json.dumps(closing)))
        buffer.seek(0)
        cursor.copy_expert("COPY lottery_entry (application_number, period, date, account_id, "
                           "persons, party_size) FROM STDIN", buffer)
        raw.commit()
        cursor.execute("ANALYZE lottery_entry")
        raw.commit()
    finally:
        raw.close()
        engine.dispose()
    return closing


def child_baseline(url: str) -> dict:
    engine = make_engine(url)
    started = time.perf_counter()
    raw = engine.raw_connection()
    out = io.StringIO()
    raw.cursor().copy_expert(
        f"COPY (SELECT application_number, date, persons FROM lottery_entry "
        f"WHERE period = '{PERIOD}') TO STDOUT", out)
    rows = []
    for line in out.getvalue().splitlines():
        number, day, persons = line.split("\t")
        rows.append((number, day, tuple(persons[1:-1].split(","))))
    elapsed = time.perf_counter() - started
    raw.close()
    return {"seconds": elapsed, "peak_mib": peak_rss_mib(), "rows": len(rows)}


def child_draw(url: str) -> dict:
    from services.lottery.service_layer.drawing import draw_period

    engine = make_engine(url)
    sessions = make_session_factory(engine)
    started = time.perf_counter()
    report = draw_period(engine, sessions, PERIOD, draw_time(PERIOD), "bench")
    elapsed = time.perf_counter() - started
    with engine.connect() as conn:
        from sqlalchemy import text

        rows = conn.execute(text(
            "SELECT date, places, applications, winners_people, overflow, "
            "jsonb_array_length(winners) FROM lottery_draw_result WHERE period = :p "
            "ORDER BY date"), {"p": PERIOD}).all()
    return {"seconds": elapsed, "peak_mib": peak_rss_mib(), "outcome": report.outcome,
            "dates": [list(r) for r in rows]}


def run_child(step: str, url: str) -> dict:
    output = subprocess.run([sys.executable, __file__, "--child", step, "--url", url],
                            check=True, capture_output=True, text=True, cwd=REPO,
                            env={**os.environ, "PYTHONPATH": str(REPO)}).stdout
    return json.loads(output.strip().splitlines()[-1])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--applications", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--keep", action="store_true", help="keep the benchmark database")
    parser.add_argument("--child", choices=["baseline", "draw"], help=argparse.SUPPRESS)
    parser.add_argument("--url", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        result = child_baseline(args.url) if args.child == "baseline" else child_draw(args.url)
        print(json.dumps(result))
        return 0

    server = os.environ.get("DATABASE_SERVER_URL", "postgresql+psycopg2://postgres@127.0.0.1:5432")
    url = f"{server}/hs_lottery_bench_{secrets.token_hex(3)}"
    os.environ.setdefault("HS_MODE", "development")
    try:
        started = time.perf_counter()
        upgrade("lottery", url)
        closing = generate(url, args.applications, args.seed)
        print(f"generated {args.applications:,} applications over {len(closing)} dates "
              f"in {time.perf_counter() - started:.1f} s")
        baseline = run_child("baseline", url)
        draw = run_child("draw", url)
    finally:
        if not args.keep:
            drop_database(url)
    print(f"{'date':<12}{'applications':>14}{'places':>8}{'winners':>9}{'people':>8}"
          f"{'over':>6}")
    for day, places, applications, people, overflow, winners in draw["dates"]:
        print(f"{day:<12}{applications:>14,}{places:>8}{winners:>9}{people:>8}{overflow:>6}")
    print(f"baseline (COPY out of PostgreSQL, {baseline['rows']:,} rows): "
          f"{baseline['seconds']:.2f} s, peak {baseline['peak_mib']:.0f} MiB")
    print(f"draw (the service's draw_period, outcome {draw['outcome']}): "
          f"{draw['seconds']:.2f} s, peak {draw['peak_mib']:.0f} MiB")
    print(f"draw / baseline time: {draw['seconds'] / baseline['seconds']:.2f}x (target <= 3x); "
          f"draw peak memory {draw['peak_mib']:.0f} MiB (target < 1024 MiB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
