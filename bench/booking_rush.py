"""The 09:00 rush on the booking service, beside baselines measured in the same run.

    PYTHONPATH=. .venv/bin/python bench/booking_rush.py [--applicants 2000] [--clients 32]
                                                        [--seconds 10] [--workers 2]
                                                        [--slices 4] [--warmup 500]

It builds everything it measures on throw-away resources (a database `hs_booking_bench<id>`,
its own clock file, JWT keys and ports) and removes them at the end:
- booking under gunicorn (the Procfile's configuration) behind a private nginx;
- captcha ids signed as identity signs them (shared/captcha_token.py), one per applicant;
- baseline 1: a minimal Flask + gunicorn endpoint doing one INSERT, behind the same nginx,
  measured before, between and after slices of the submissions (the machine drifts: each slice
  is compared with the baselines on either side of it, the whole with all of them);
- baseline 2: pgbench running the SQL one submission runs (one date, party of two), built from
  the service's own statements and prepared, as the service prepares them;
- baseline 3: nginx serving the six-day view's JSON as a static file.
The population comes from tools/population.py (parties of 1–4, 1–6 dates each). Each applicant
submits once, the first `--warmup` of them before anything is measured (both services start
fresh); every response status other than 201 is an error (a refusal would be one too).
Prints throughput, p50/p99 latency and error count; asserts nothing about time. Client and
servers share the machine, so the figures are for comparison within one run only.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import secrets
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
RUN = secrets.token_hex(3)
TMP = Path(tempfile.mkdtemp(prefix=f"hs-bench-{RUN}-"))
TMP.chmod(0o755)  # nginx's worker user reads the static file
os.environ.update({"HS_MODE": "test", "DATABASE_SUFFIX": f"_bench{RUN}",
                   "CLOCK_FILE": str(TMP / "clock.json"), "JWT_KEY_DIR": str(TMP / "keys"),
                   "HS_VAR_DIR": str(TMP), "BROKER_PREFIX": f"bench{RUN}."})

from shared import captcha_token  # noqa: E402
from shared.clock import BEIJING, Clock  # noqa: E402
from shared.config import load_settings  # noqa: E402
from shared.keys import ensure_keys, hmac_key  # noqa: E402

_SIGNING = {}


def make_token(account_id: str) -> str:
    """An applicant's access token signed like identity signs (the bench's own key pair)."""
    import jwt
    from cryptography.hazmat.primitives.serialization import load_pem_private_key

    settings = load_settings("identity")
    if "key" not in _SIGNING:  # parsing the private key is slow: once per run
        _SIGNING["key"] = load_pem_private_key(settings.jwt_private_key_path.read_bytes(), None)
    now = datetime.now(UTC)
    return jwt.encode({"sub": account_id, "roles": ["applicant"], "iss": settings.jwt_issuer,
                       "aud": settings.jwt_audience, "iat": now, "nbf": now,
                       "exp": now + timedelta(hours=1), "type": "access", "fresh": False,
                       "jti": secrets.token_hex(8)},
                      _SIGNING["key"], algorithm="RS256")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


BASELINE_APP = '''
import os, json
from flask import Flask, request
from sqlalchemy import create_engine, text
# a connection per gunicorn thread, as booking's submission pool has (else backends churn)
engine = create_engine(os.environ["BASELINE_DB"], pool_size=int(os.environ.get("BOOKING_THREADS", "8")),
                       max_overflow=2)
app = Flask("baseline")
@app.post("/baseline/insert")
def insert():
    body = request.get_json()
    with engine.begin() as conn:
        conn.execute(text("INSERT INTO bench_baseline (account_id, body) "
                          "VALUES (:a, CAST(:b AS jsonb))"),
                     {"a": body["account"], "b": json.dumps(body)})
    return {"ok": True}, 201
'''

NGINX_CONF = """
worker_processes 1;
pid {tmp}/nginx.pid;
error_log {tmp}/nginx-error.log warn;
events {{ worker_connections 4096; }}
http {{
  access_log off;
  client_body_temp_path {tmp}/body; proxy_temp_path {tmp}/proxy;
  fastcgi_temp_path {tmp}/fcgi; uwsgi_temp_path {tmp}/uwsgi; scgi_temp_path {tmp}/scgi;
  proxy_cache_path {tmp}/cache levels=1 keys_zone=booking_view:1m max_size=8m inactive=10s
                   use_temp_path=off;
  upstream booking {{ server 127.0.0.1:{booking}; keepalive 64; keepalive_timeout 4s; }}
  upstream baseline {{ server 127.0.0.1:{baseline}; keepalive 64; keepalive_timeout 4s; }}
  server {{
    listen 127.0.0.1:{port};
    location = /api/booking/periods/current {{ proxy_pass http://booking;
      proxy_http_version 1.1; proxy_set_header Connection "";
      proxy_cache booking_view; proxy_cache_valid 200 1s; proxy_cache_lock on;
      proxy_cache_lock_timeout 2s; }}
    location /api/booking/ {{ proxy_pass http://booking; proxy_http_version 1.1;
                             proxy_set_header Connection ""; }}
    location /baseline/ {{ proxy_pass http://baseline; proxy_http_version 1.1;
                          proxy_set_header Connection ""; }}
    location = /static/view.json {{ root {tmp}; default_type application/json; }}
  }}
}}
"""

def pgbench_script(period: date) -> str:
    """The two statements one submission runs (repository.FACTS_SQL, then SUBMIT_SQL) for one
    date and a party of two, with pgbench's variables in place of the service's parameters:
    built from the service's own SQL, so the baseline cannot drift from it."""
    from services.booking.adapters.repository import FACTS_SQL, SUBMIT_SQL, period_lock_key

    def filled(sql: str, values: dict[str, str]) -> str:
        for name, value in values.items():
            sql = sql.replace(f"%({name})s", value)
        assert "%(" not in sql, sql
        return " ".join(sql.split()) + ";"

    party = json.dumps([{"document_type": "t", "document_number": "P"},
                        {"document_type": "t", "document_number": "Q"}])
    facts = filled(FACTS_SQL, {"p": ":period", "a": "'bench-1'", "since": ":period"})
    submit = filled(SUBMIT_SQL, {
        "period": ":period", "lock_key": str(period_lock_key(period)),
        "captcha_id": "gen_random_uuid()::text", "now": "now()", "account": "'pgbench'",
        "party": f"'{party}'", "size": "2",
        "event_id": "gen_random_uuid()::text",
        "event": "json_build_object("
                 "'applications', json_build_array(json_build_object("
                 "'application_number', 'PG' || :n, 'date', CAST(:day AS text))), "
                 "'party', json_build_array("
                 "json_build_object('document_type', 't', 'document_number', 'P' || :n), "
                 "json_build_object('document_type', 't', 'document_number', 'Q' || :n)))::text"})
    return "\n".join(["\\set n random(1, 99999999999999)", facts, submit]) + "\n"


# -- the load generator --------------------------------------------------------------------------

def run_load(port: int, requests_iter, clients: int, seconds: float | None) -> dict:
    """`requests_iter()` yields (method, path, body bytes or None, headers); returns figures."""
    lock = threading.Lock()
    source = requests_iter()
    latencies: list[float] = []
    errors = {"count": 0, "statuses": {}}
    stop_at = time.monotonic() + seconds if seconds else None

    def next_request():
        with lock:
            return next(source, None)

    def worker():
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        while stop_at is None or time.monotonic() < stop_at:
            item = next_request()
            if item is None:
                break
            method, path, body, headers = item
            started = time.perf_counter()
            try:
                conn.request(method, path, body=body, headers=headers)
                response = conn.getresponse()
                response.read()
                status = response.status
            except (OSError, http.client.HTTPException):
                status = "connection"
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            elapsed = time.perf_counter() - started
            with lock:
                latencies.append(elapsed)
                if status not in (200, 201):
                    errors["count"] += 1
                    errors["statuses"][status] = errors["statuses"].get(status, 0) + 1
        conn.close()

    started = time.monotonic()
    threads = [threading.Thread(target=worker) for _ in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    wall = time.monotonic() - started
    return figures(latencies, wall, errors)


def merged(runs: list[dict]) -> dict:
    """Several runs' figures as one: requests over their summed wall time, all latencies."""
    latencies = [x for run in runs for x in run["latencies"]]
    errors = {"count": sum(run["errors"] for run in runs), "statuses": {}}
    for run in runs:
        for status, count in run["statuses"].items():
            errors["statuses"][status] = errors["statuses"].get(status, 0) + count
    return figures(latencies, sum(run["wall"] for run in runs), errors)


def figures(latencies: list[float], wall: float, errors: dict) -> dict:
    if not latencies:
        return {"requests": 0, "rps": 0.0, "p50_ms": 0.0, "p99_ms": 0.0, "latencies": [],
                "wall": wall, "errors": errors["count"], "statuses": errors["statuses"]}
    ordered = sorted(latencies)
    p99 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))]
    return {"requests": len(latencies), "rps": len(latencies) / wall,
            "p50_ms": statistics.median(ordered) * 1000, "p99_ms": p99 * 1000,
            "errors": errors["count"], "statuses": errors["statuses"],
            "latencies": latencies, "wall": wall}


# -- where the machine's CPU went ------------------------------------------------------------------

CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


def _proc_stat(pid: int) -> tuple[int, float, float] | None:
    """(parent pid, CPU seconds so far, of which in the kernel) of a live process, from /proc."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[1]), (int(fields[11]) + int(fields[12])) / CLOCK_TICKS,
            int(fields[12]) / CLOCK_TICKS)


def _process_tree(root: int) -> set[int]:
    parents = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit() and (stat := _proc_stat(int(entry.name))):
            parents[int(entry.name)] = stat[0]
    tree, grew = {root}, True
    while grew:
        more = {pid for pid, parent in parents.items() if parent in tree} - tree
        tree |= more
        grew = bool(more)
    return tree


class CpuMeter:
    """CPU seconds spent by each part of the system during one phase of the bench: the service's
    (or baseline's) gunicorn tree, nginx, PostgreSQL's backends of the bench database plus its
    WAL writer, and this process (the load generator). Parts share the two cores, so the
    figures say where a request's cost lands, not how fast each part could go alone."""

    def __init__(self, engine, db_name: str, service_pid: int, nginx_pid: int):
        self.engine, self.db_name = engine, db_name
        self.service_pid, self.nginx_pid = service_pid, nginx_pid

    def _postgres_pids(self) -> set[int]:
        from sqlalchemy import text
        with self.engine.connect() as conn:
            return set(conn.execute(text(
                "SELECT pid FROM pg_stat_activity WHERE (datname = :d AND pid <> pg_backend_pid())"
                " OR backend_type IN ('walwriter', 'background writer', 'checkpointer')"),
                {"d": self.db_name}).scalars())

    def _read(self) -> dict[int, tuple[float, float]]:
        return {pid: stat[1:] for pid in self._all_pids() if (stat := _proc_stat(pid))}

    def _all_pids(self) -> set[int]:
        self.groups = {"service": _process_tree(self.service_pid),
                       "nginx": _process_tree(self.nginx_pid),
                       "postgres": self._postgres_pids()}
        return set().union(*self.groups.values())

    def __enter__(self):
        self.before, self.client_before = self._read(), os.times()
        return self

    def __exit__(self, *_exc):
        client = os.times()
        after = self._read()
        self.seconds = {}
        for name, pids in self.groups.items():
            spent = [(after[pid][0] - self.before.get(pid, (0.0, 0.0))[0],
                      after[pid][1] - self.before.get(pid, (0.0, 0.0))[1])
                     for pid in pids if pid in after]
            self.seconds[name] = (sum(s for s, _ in spent), sum(k for _, k in spent))
        self.seconds["client"] = (
            client.user + client.system - self.client_before.user - self.client_before.system,
            client.system - self.client_before.system)

    @classmethod
    def combined(cls, meters: list[CpuMeter]) -> CpuMeter:
        """The CPU of several phases summed, part by part."""
        total = cls.__new__(cls)
        total.seconds = {}
        for meter in meters:
            for name, (spent, kernel) in meter.seconds.items():
                before = total.seconds.get(name, (0.0, 0.0))
                total.seconds[name] = (before[0] + spent, before[1] + kernel)
        return total

    def per_request_ms(self, requests: int) -> dict[str, tuple[float, float]]:
        """(all, kernel) milliseconds per request of each part."""
        return {name: (spent * 1000 / max(requests, 1), kernel * 1000 / max(requests, 1))
                for name, (spent, kernel) in self.seconds.items()}


def show_cpu(label: str, meter: CpuMeter, requests: int) -> None:
    parts = meter.per_request_ms(requests)
    print(f"    CPU per request, {label} (of which kernel): " + ", ".join(
        f"{name} {ms:.2f} ({kernel:.2f}) ms" for name, (ms, kernel) in parts.items()) +
        f"; all {sum(ms for ms, _ in parts.values()):.2f} ms", flush=True)


def repeat(item):
    def gen():
        while True:
            yield item
    return gen


def show(label: str, f: dict, baseline: dict | None = None) -> None:
    line = (f"  {label:<46} {f['rps']:9.1f} req/s  p50 {f['p50_ms']:7.1f} ms  "
            f"p99 {f['p99_ms']:7.1f} ms  errors {f.get('errors', 0)}"
            f"{' ' + str(f['statuses']) if f.get('statuses') else ''}")
    if baseline and baseline["rps"]:
        line += (f"   ({f['rps'] / baseline['rps']:.2f}x throughput, "
                 f"p99 {f['p99_ms'] / max(baseline['p99_ms'], 1e-6):.2f}x)")
    print(line, flush=True)


def wait_http(port: int, path: str, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            conn.request("GET", path)
            if conn.getresponse().status < 500:
                return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"nothing answered on port {port}{path}")


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--applicants", type=int, default=2000)
    parser.add_argument("--clients", type=int, default=32)
    parser.add_argument("--seconds", type=float, default=8.0)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--warmup", type=int, default=500,
                        help="applicants submitted before anything is measured")
    parser.add_argument("--slices", type=int, default=4,
                        help="submission slices, with the minimal endpoint between them")
    args = parser.parse_args()

    from sqlalchemy import text

    from services.booking.adapters import repository as repo
    from shared.db import drop_database, make_engine
    from shared.migrate import upgrade
    from tools.population import Population

    ensure_keys(load_settings("identity"))
    settings = load_settings("booking")
    url = settings.database_url
    processes: list[subprocess.Popen] = []
    try:
        upgrade("booking", url)
        engine = make_engine(url)
        period = date(2030, 6, 1)
        dates = [period + timedelta(days=i) for i in range(1, 7)]
        Clock(settings.clock_file, settable=True).set(datetime(2030, 6, 1, 9, 0, tzinfo=BEIJING))
        population = Population(seed=11, today=period)
        applicants = []
        with engine.begin() as conn:
            from sqlalchemy.orm import Session
            session = Session(bind=conn)
            for d in dates:
                repo.set_capacity(session, d, 5000)
            for i in range(args.warmup + args.applicants):
                party = population.party()
                account = f"bench-{i}"
                person = {"document_type": party.applicant.document_type,
                          "document_number": party.applicant.document_number,
                          "name": party.applicant.name, "review_state": "approved",
                          "destination": "深圳"}
                cohabitants = [{"document_type": c.document_type,
                                "document_number": c.document_number, "name": c.name,
                                "relation": c.relation, "review_state": "approved"}
                               for c in party.cohabitants]
                repo.upsert_party(session, {"account_id": account, "revision": 1,
                                            "person": person, "cohabitants": cohabitants,
                                            "eligible": True})
                applicants.append((account, population.chosen_dates(dates)))
            session.flush()
            conn.execute(text("CREATE TABLE bench_baseline (id bigserial PRIMARY KEY, "
                              "account_id text NOT NULL, body jsonb NOT NULL, "
                              "created_at timestamptz NOT NULL DEFAULT now())"))
        # each applicant types the answer of a captcha identity issued (same key, same format)
        captcha_key = hmac_key(settings, "captcha")
        captcha_expiry = datetime(2030, 6, 2, tzinfo=BEIJING)  # the bench clock + 1 day
        captchas = {account: captcha_token.sign(captcha_key, str(uuid.uuid4()), captcha_expiry,
                                                "OK") for account, _ in applicants}

        booking_port, baseline_port, nginx_port = free_port(), free_port(), free_port()
        env = dict(os.environ, PYTHONPATH=str(REPO), BOOKING_PORT=str(booking_port),
                   BOOKING_WORKERS=str(args.workers),
                   BASELINE_DB=url)
        gunicorn = str(Path(sys.executable).parent / "gunicorn")
        processes.append(subprocess.Popen(
            [gunicorn, "-c", "services/booking/gunicorn.conf.py",
             "services.booking.entrypoints.app:create_app()"], cwd=REPO, env=env,
            stdout=subprocess.DEVNULL, stderr=open(TMP / "booking.log", "w")))
        (TMP / "baseline_app.py").write_text(BASELINE_APP)
        processes.append(subprocess.Popen(
            [gunicorn, "-c", str(REPO / "services/booking/gunicorn.conf.py"),
             "--bind", f"127.0.0.1:{baseline_port}", "--chdir", str(TMP), "baseline_app:app"],
            cwd=REPO, env=env, stdout=subprocess.DEVNULL,
            stderr=open(TMP / "baseline.log", "w")))
        (TMP / "nginx.conf").write_text(NGINX_CONF.format(
            tmp=TMP, booking=booking_port, baseline=baseline_port, port=nginx_port))
        nginx = shutil.which("nginx") or "/usr/sbin/nginx"
        processes.append(subprocess.Popen([nginx, "-p", str(TMP), "-c", str(TMP / "nginx.conf"),
                                           "-g", "daemon off;"], stderr=subprocess.DEVNULL))
        wait_http(nginx_port, "/api/booking/ready")
        wait_http(nginx_port, "/baseline/insert")

        tokens = {account: make_token(account) for account, _ in applicants}
        view_path = "/api/booking/periods/current"
        conn = http.client.HTTPConnection("127.0.0.1", nginx_port)
        conn.request("GET", view_path)
        (TMP / "static").mkdir()
        (TMP / "static" / "view.json").write_bytes(conn.getresponse().read())
        print(f"booking rush: {args.applicants} applicants (parties of 1-4, 1-6 dates), "
              f"{args.clients} concurrent clients, {args.workers} gunicorn workers, "
              f"{os.cpu_count()} cores shared by client and servers", flush=True)

        print("six-day view (GET, through nginx):")
        static = run_load(nginx_port, repeat(("GET", "/static/view.json", None, {})),
                          args.clients, args.seconds)
        show("baseline: nginx static file", static)
        view = run_load(nginx_port, repeat(("GET", view_path, None, {})),
                        args.clients, args.seconds)
        show("booking GET /periods/current", view, static)

        print("submission (POST, through nginx):")

        def baseline_requests():
            for i in range(10**9):
                body = json.dumps({"account": f"b{i}", "dates": ["2030-06-02"]}).encode()
                yield ("POST", "/baseline/insert", body,
                       {"Content-Type": "application/json"})

        def submissions(part):
            def requests():
                for account, chosen in part:
                    body = json.dumps({"dates": [d.isoformat() for d in chosen],
                                       "captcha_id": captchas[account],
                                       "captcha_answer": "ok"}).encode()
                    yield ("POST", "/api/booking/applications", body,
                           {"Content-Type": "application/json",
                            "Authorization": f"Bearer {tokens[account]}", "X-Lang": "en"})
            return requests

        # Both services were just started: the first requests of each thread prepare its
        # statements and fill its caches. Neither is measured cold.
        warmup, measured = applicants[:args.warmup], applicants[args.warmup:]
        warmed = run_load(nginx_port, submissions(warmup), args.clients, None)
        run_load(nginx_port, baseline_requests, args.clients, 2)
        print(f"  warm-up, not measured: {warmed['requests']} submissions, "
              f"errors {warmed['errors']}", flush=True)
        db_name = url.rsplit("/", 1)[1]
        with CpuMeter(engine, db_name, processes[1].pid, processes[2].pid) as minimal_cpu:
            minimal = run_load(nginx_port, baseline_requests, args.clients, args.seconds)
        show("baseline: minimal Flask+gunicorn, one INSERT", minimal)
        show_cpu("minimal endpoint", minimal_cpu, minimal["requests"])

        pgbench_file = TMP / "booking_submission.sql"
        pgbench_file.write_text(pgbench_script(period))
        with engine.begin() as c:
            c.execute(text("INSERT INTO period (period, state, opened_at) VALUES "
                           "(:p, 'open', now()) ON CONFLICT DO NOTHING"), {"p": period})
        pg = subprocess.run(
            ["pgbench", "-n", "-M", "prepared", "-h", "127.0.0.1", "-U", "postgres", "-c", str(args.clients),
             "-j", "2", "-T", str(int(args.seconds)), "-r", "-D", f"period='{period}'",
             "-D", f"day='{dates[0]}'", "-f", str(pgbench_file), db_name],
            capture_output=True, text=True)
        tps = next((line for line in pg.stdout.splitlines() if line.startswith("tps")), "")
        lat = next((line for line in pg.stdout.splitlines() if "latency average" in line), "")
        failed = next((line for line in pg.stdout.splitlines() if "failed" in line), "")
        print(f"  {'baseline: pgbench, the submission SQL':<46} {tps.strip()} | {lat.strip()} | "
              f"{failed.strip()} {pg.stderr.strip()[-300:] if pg.returncode else ''}",
              flush=True)


        # The machine drifts within a run (its speed changed by a quarter between two baseline
        # runs a minute apart): the submissions run in slices with the minimal endpoint
        # measured before, between and after them, and each slice is compared with the mean
        # of the baselines on either side of it.
        slices = [measured[i::args.slices] for i in range(args.slices)]
        baselines, parts, meters = [minimal], [], []
        for part in slices:
            with CpuMeter(engine, db_name, processes[0].pid, processes[2].pid) as meter:
                parts.append(run_load(nginx_port, submissions(part), args.clients, None))
            meters.append(meter)
            baselines.append(run_load(nginx_port, baseline_requests, args.clients,
                                      args.seconds / 2))
        slice_ratios = [part["rps"] / ((before["rps"] + after["rps"]) / 2)
                        for part, before, after in zip(parts, baselines[:-1], baselines[1:],
                                                       strict=True)]
        show("baseline between and after the slices", merged(baselines[1:]))
        submit = merged(parts)
        show(f"booking POST /applications ({len(measured)} applicants)", submit,
             merged(baselines))
        print(f"    per slice, against the baselines on either side: "
              f"{', '.join(f'{r:.2f}x' for r in slice_ratios)} "
              f"(median {statistics.median(slice_ratios):.2f}x)", flush=True)
        show_cpu("submission", CpuMeter.combined(meters), submit["requests"])

        with engine.begin() as c:
            stored = c.execute(text("SELECT count(*) FROM application "
                                    "WHERE account_id LIKE 'bench-%'")).scalar()
        expected = sum(len(chosen) for _, chosen in applicants)
        print(f"  applications stored: {stored} of {expected} dates applied for "
              f"({datetime.now(UTC):%H:%M:%S} UTC)")
        engine.dispose()
        return 0
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
        drop_database(url)
        shutil.rmtree(TMP, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
