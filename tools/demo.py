"""Fill a RUNNING system with a realistic population and live through a few days, so that a
newcomer opening the browser sees a system in use (issue 7, section 2).

    bin/demo [--url http://localhost:8080] [--applicants 20000] [--days 3] [--seed 1]

What it does, in order (every step through the gateway's public API, except two operator CLIs):

1. Staff accounts `demo-reviewer`, `demo-operator`, `demo-admin` (identity's `create-staff`).
2. The population of tools/population.py (parties of 1–4, valid numbers of every document type)
   imported into identity with its CSV import (`import-legacy`), every row carrying ONE argon2
   hash of the shared demo password, computed once by identity's own code: registering 20,000
   accounts through the API would cost 20,000 hashes. The documents conform to today's rules,
   so the accounts are ordinary applicants (not legacy-update ones, R3.1), and identity
   publishes `identity.account.registered` for each, so profile learns them.
3. Account ids read from identity's database in one query (development and test mode; the
   reviewer's lookup API, one call per account, is far too slow for 20,000); personal
   information and cohabitants sent to profile, which approves what passes its automatic checks (R4.3).
4. Capacities of 1,000–2,000 places per date (the operator API).
5. Each day P, with the system clock moved (shared.clock: development and test mode only):
   08:00 entries recorded for most holders of a reservation for P (the operator API), a few
   cancellations (R12.2); 09:00–17:00 applications from a share of the population, in hourly
   batches; 18:00 the close, 18:30 the draw, 20:00 the publication (once the lottery service
   is there); the next morning booking decides used / no-show (R12.3).
6. After the last day: the next morning's window opened with a third of a day's applications,
   and the clock left running, so the six-day view shows live counts.

Acting as a user: the demo does not log 20,000 people in (each login verifies an argon2 hash).
It signs access tokens itself with the development private key (`var/keys/jwt_private.pem`,
the key identity signs with), with the claims identity gives (sub, roles, sid, iss, aud, 30 min
of real time). It refuses to do that, or to move the clock, in production mode. The accounts it
prints log in normally (checked before they are printed).

Run it twice and it skips what exists (accounts, personal information, cohabitants) and goes on
from the clock's current day.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import random
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections import Counter
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

import requests

from shared.clock import BEIJING, Clock
from shared.config import REPO_ROOT, load_settings
from tools.population import CN_ID_CARD, MAINLAND_TRAVEL_PERMIT, Party, Population

STAFF = (("demo-reviewer", "reviewer"), ("demo-operator", "operator"), ("demo-admin", "admin"))
CATEGORY_OF_RELATION = {"spouse": "married_couple", "child": "child_14_under",
                        "parent": "elderly_70_plus"}
ORIGINS_BY_NATIONALITY = {"HK": ("HK-CW", "HK-WC", "HK-EA", "HK-YTM", "HK-SSP", "HK-KT",
                                 "HK-TM", "HK-YL", "HK-ST", "HK-TP"),
                          "MO": ("MO-NSF", "MO-SA", "MO-SE", "MO-COT")}
DESTINATIONS = ("SZ-FT", "SZ-LH", "SZ-NS", "SZ-YT", "SZ-BA", "SZ-LG", "SZ-LHU", "SZ-PS",
                "SZ-GM", "SZ-DP")
# booking's refusals while profile's approval has not reached it (the rest are decisions)
UNAPPROVED = ("booking.profile_missing", "booking.person_not_approved",
              "booking.cohabitant_not_approved", "booking.profile_not_eligible", "http 401",
              "http 404")
ENTRY_SHARE = 0.92        # of the holders of a reservation for the day: the rest are no-shows
CANCEL_SHARE = 0.03       # of the reservations still cancellable, each morning


class DemoError(RuntimeError):
    pass


def at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=BEIJING)


# --- HTTP ---------------------------------------------------------------------------------

class Gateway:
    """The system's gateway, one requests session per thread; retries what a busy machine
    answers with a refused connection or a 502/503/504 (never a 4xx)."""

    def __init__(self, url: str):
        self.url = url.rstrip("/")
        self._local = threading.local()

    def _session(self) -> requests.Session:
        session = getattr(self._local, "session", None)
        if session is None:
            session = self._local.session = requests.Session()
            session.headers["X-Lang"] = "en"
        return session

    def call(self, method: str, path: str, token: str | None = None, **kwargs):
        headers = dict(kwargs.pop("headers", {}))
        if token:
            headers["Authorization"] = f"Bearer {token}"
        for attempt in range(5):
            try:
                answer = self._session().request(method, self.url + path, headers=headers,
                                                 timeout=60, **kwargs)
            except requests.ConnectionError:
                if attempt == 4:
                    raise
            else:
                if answer.status_code not in (502, 503, 504) or attempt == 4:
                    return answer
            time.sleep(0.5 * 2 ** attempt)
        raise AssertionError("unreachable")

    def captcha(self) -> dict:
        return self.call("POST", "/api/identity/captchas").json()


def error_code(answer) -> str:
    try:
        return answer.json()["error"]["code"]
    except (ValueError, KeyError, TypeError):
        return f"http {answer.status_code}"


class Progress:
    def __init__(self, label: str, total: int):
        self.label, self.total, self.done = label, total, 0
        self.started = self._shown = time.monotonic()
        self._lock = threading.Lock()

    def step(self) -> None:
        with self._lock:
            self.done += 1
            now = time.monotonic()
            if now - self._shown >= 2 or self.done == self.total:
                self._shown = now
                rate = self.done / max(now - self.started, 1e-6)
                print(f"    {self.label}: {self.done}/{self.total} ({rate:.0f}/s)", flush=True)


def run_all(label: str, items: list, work, workers: int) -> Counter:
    """Run `work(item) -> outcome` for every item on a thread pool; count the outcomes."""
    outcomes: Counter = Counter()
    if not items:
        return outcomes
    progress = Progress(label, len(items))
    with ThreadPoolExecutor(max_workers=workers) as pool:
        for future in as_completed([pool.submit(work, item) for item in items]):
            try:
                outcomes[future.result()] += 1
            except Exception as exc:  # noqa: BLE001 - counted and shown, the demo goes on
                outcomes[f"failed: {type(exc).__name__}: {exc}"[:160]] += 1
            progress.step()
    return outcomes


def show(outcomes: Counter) -> str:
    return ", ".join(f"{name} {count}" for name, count in outcomes.most_common())


# --- tokens -------------------------------------------------------------------------------

class TokenMinter:
    """Access tokens as identity issues them, signed with the development private key."""

    def __init__(self, settings):
        import jwt
        from cryptography.hazmat.primitives.serialization import load_pem_private_key

        self._jwt = jwt
        # parsed once: PyJWT given the PEM text parses (and checks) the key on every call,
        # about 0.35 s each on this machine
        self._key = load_pem_private_key(settings.jwt_private_key_path.read_bytes(), None)
        self._issuer, self._audience = settings.jwt_issuer, settings.jwt_audience

    def token(self, account_id: str, roles: list[str], hours: float = 4) -> str:
        now = int(time.time())  # token expiry is real time, not the settable clock
        return self._jwt.encode({
            "sub": account_id, "iat": now, "nbf": now, "exp": now + int(hours * 3600),
            "jti": str(uuid.uuid4()), "type": "access", "fresh": False,
            "iss": self._issuer, "aud": self._audience,
            "roles": roles, "sid": str(uuid.uuid4())}, self._key, algorithm="RS256")


# --- the people -----------------------------------------------------------------------------

@dataclass
class Member:
    index: int
    party: Party
    account_id: str | None = None
    token: str | None = None
    eligible: bool = False
    entered: bool = False
    cancelled_once: bool = False
    applications: list[str] = field(default_factory=list)


@dataclass
class Reservation:
    number: str
    date: date
    member: Member
    state: str = "active"  # active / cancelled / entered


@dataclass
class Demo:
    args: argparse.Namespace
    gateway: Gateway
    clock: Clock
    minter: TokenMinter
    env: dict
    rng: random.Random
    members: list[Member] = field(default_factory=list)
    staff_tokens: dict[str, str] = field(default_factory=dict)
    applications: dict[str, tuple[Member, date]] = field(default_factory=dict)
    reservations: dict[str, Reservation] = field(default_factory=dict)
    lottery: bool = False
    log: list[str] = field(default_factory=list)
    published: list[str] = field(default_factory=list)

    # -- output --------------------------------------------------------------------------------
    def say(self, text: str) -> None:
        print(text, flush=True)

    def did(self, text: str) -> None:
        self.log.append(text)
        print(f"  {text}", flush=True)

    # -- clock -----------------------------------------------------------------------------------
    def move_to(self, instant: datetime) -> None:
        """Only forward: the system's records must never see time go back."""
        if instant > self.clock.now():
            self.clock.set(instant)

    def wait(self, what: str, check, timeout: float = 180) -> bool:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                if check():
                    return True
            except requests.RequestException:
                pass
            time.sleep(0.5)
        self.did(f"WARNING: gave up waiting for {what} after {timeout:.0f}s")
        return False

    # -- setup ------------------------------------------------------------------------------------
    def preflight(self) -> None:
        answer = self.gateway.call("GET", "/api/identity/catalogue")
        if answer.status_code != 200:
            raise DemoError(f"no system at {self.gateway.url} (identity answered "
                            f"{answer.status_code}); start it with bin/up")
        if "answer" not in self.gateway.captcha():
            raise DemoError("the running system is in production mode (its captchas carry no "
                            "answer): the demo only fills development or test systems")
        lottery = self.gateway.call("GET", "/api/lottery/public/periods")
        self.lottery = lottery.status_code == 200
        if not self.lottery:
            self.did("the lottery service is not running: no draw, publication or reservations")

    def cli(self, *args: str) -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, "-m", "services.identity.entrypoints.cli", *args],
                              env=self.env, cwd=REPO_ROOT, capture_output=True, text=True,
                              timeout=1800)

    def create_staff(self) -> None:
        for username, role in STAFF:
            done = self.cli("create-staff", "--role", role, "--username", username,
                            "--password", self.args.staff_password)
            if done.returncode != 0:
                raise DemoError(f"create-staff {username}: {done.stderr or done.stdout}")
            login = self.gateway.call("POST", "/api/identity/sessions", json={
                "document_type": "staff", "document_number": username,
                "password": self.args.staff_password})
            if login.status_code != 200:
                raise DemoError(f"staff {username} cannot log in: {login.text}")
            account = login.json()["account"]
            self.staff_tokens[role] = self.minter.token(account["id"], account["roles"])
        self.did(f"staff accounts: {', '.join(u for u, _ in STAFF)}")

    def generate(self, today: date) -> None:
        population = Population(seed=self.args.seed, today=today)
        self.population = population
        self.members = [Member(i, population.party()) for i in range(self.args.applicants)]
        sizes = Counter(m.party.size for m in self.members)
        kinds = Counter(m.party.applicant.document_type for m in self.members)
        people = sum(sizes[s] * s for s in sizes)
        self.did(f"population (seed {self.args.seed}): {len(self.members)} applicants, "
                 f"{people} people; parties by size {dict(sorted(sizes.items()))}; "
                 f"documents {dict(kinds.most_common())}")

    def import_accounts(self, today: date) -> None:
        from services.identity.domain.passwords import hash_password

        shared_hash = hash_password(self.args.password)  # once, for every demo account
        with tempfile.NamedTemporaryFile("w", suffix=".csv", delete=False, newline="",
                                         encoding="utf-8") as handle:
            writer = csv.writer(handle)
            writer.writerow(["nationality", "document_type", "document_number",
                             "password_hash_or_password", "registered_at"])
            for member in self.members:
                person = member.party.applicant
                registered = at(today, 9) - timedelta(minutes=self.rng.randrange(60 * 24 * 30))
                writer.writerow([person.nationality, person.document_type,
                                 person.document_number, shared_hash, registered.isoformat()])
            path = handle.name
        started = time.monotonic()
        try:
            self.say(f"    importing {len(self.members)} accounts (identity's import-legacy)…")
            done = self.cli("import-legacy", path)
        finally:
            os.unlink(path)
        summary = (done.stdout.strip().splitlines() or [""])[-1]
        if done.returncode != 0 or not summary.startswith("imported"):
            raise DemoError(f"import-legacy failed: {done.stderr[-2000:] or summary}")
        self.did(f"identity import: {summary} ({time.monotonic() - started:.0f}s)")

    def find_accounts(self) -> None:
        """The imported accounts' ids, read from identity's database in one query (the import
        CLI works on that database too). Asking identity's reviewer lookup once per account
        ran at about 7 a second on this machine: 20,000 lookups would take most of an hour."""
        from sqlalchemy import text

        from shared.db import make_engine

        engine = make_engine(load_settings("identity").database_url, pool_size=1)
        try:
            with engine.connect() as conn:
                ids = {(row.document_type, row.document_number): row.id for row in conn.execute(
                    text("SELECT id, document_type, document_number FROM account "
                         "WHERE document_type <> 'staff'"))}
        finally:
            engine.dispose()
        outcomes: Counter = Counter()
        for member in self.members:
            account_id = ids.get(member.party.applicant.key)
            if account_id is None:
                outcomes["missing"] += 1
                continue
            member.account_id = str(account_id)
            member.token = self.minter.token(member.account_id, ["applicant"])
            outcomes["found"] += 1
        self.did(f"account ids (identity's database): {show(outcomes)}")

    def fill_profiles(self, today: date) -> None:
        expiry = (today + timedelta(days=365 * 5)).isoformat()

        def fill(member: Member) -> str:
            if member.token is None:
                return "no account"
            me = self.gateway.call("GET", "/api/profile/me", member.token)
            if me.status_code != 200:
                return f"me: {error_code(me)}"
            me = me.json()
            person = member.party.applicant
            rng = random.Random(f"{self.args.seed}-{member.index}")  # threads share no RNG
            if me.get("person"):
                return "existing"  # filled by an earlier run: left as it is
            origins = ORIGINS_BY_NATIONALITY.get(person.nationality,
                                                 ORIGINS_BY_NATIONALITY["HK"])
            hk = person.nationality in ("HK", "MO") or rng.random() < 0.5
            answer = self.gateway.call("PUT", "/api/profile/me/personal-info", member.token,
                                       json={
                "name": person.name, "sex": person.sex,
                "date_of_birth": person.date_of_birth.isoformat(),
                "hk_mobile": f"{rng.choice('5679')}{rng.randrange(10**7):07d}"
                if hk else None,
                "mainland_mobile": None if hk else f"13{rng.randrange(10**9):09d}",
                "document_expiry": expiry, "origin": rng.choice(origins),
                "destination": rng.choice(DESTINATIONS), "consent": True})
            if answer.status_code not in (200, 201):
                return f"personal info: {error_code(answer)}"
            for cohabitant in member.party.cohabitants:
                body = {"name": cohabitant.name, "sex": cohabitant.sex,
                        "nationality": cohabitant.nationality,
                        "document_type": cohabitant.document_type,
                        "document_number": cohabitant.document_number,
                        "document_expiry": expiry,
                        "date_of_birth": cohabitant.date_of_birth.isoformat(),
                        "relation": cohabitant.relation,
                        "category": CATEGORY_OF_RELATION[cohabitant.relation]}
                if cohabitant.document_type == MAINLAND_TRAVEL_PERMIT:
                    body["mainland_id_number"] = cohabitant.id_card_number
                answer = self.gateway.call("POST", "/api/profile/me/cohabitants", member.token,
                                           json=body)
                if answer.status_code not in (200, 201):
                    return f"cohabitant: {error_code(answer)}"
            return "sent"

        outcomes = run_all("personal information and cohabitants", self.members, fill,
                           self.args.workers)
        self.did(f"profiles: {show(outcomes)}")
        cohabitants = Counter(c.document_type for m in self.members for c in m.party.cohabitants)
        self.did(f"cohabitants: {sum(cohabitants.values())} ({dict(cohabitants.most_common())}; "
                 f"{cohabitants.get(CN_ID_CARD, 0)} on an identity card)")

    def await_approvals(self) -> None:
        """Profile approves asynchronously (after identity's event) and booking learns it from
        profile's event: wait until the last parties are seen eligible, then count them all."""
        tail = [m for m in self.members if m.token][-20:]

        def tail_ready() -> bool:
            return all(self._status(m) not in UNAPPROVED for m in tail)

        self.wait("booking to see the parties approved", tail_ready, timeout=300)

        def check(member: Member) -> str:
            if member.token is None:
                return "no account"
            status = self._status(member)
            member.eligible = status == "may apply"
            return status

        outcomes = run_all("eligibility", self.members, check, self.args.workers)
        self.did(f"approved by profile and seen by booking: {show(outcomes)}")

    def _status(self, member: Member) -> str:
        """"may apply", else booking's reason (a ban, a recent entry, not approved …)."""
        answer = self.gateway.call("GET", "/api/booking/me/status", member.token)
        if answer.status_code != 200:
            return error_code(answer)
        body = answer.json()
        return "may apply" if body.get("may_apply") else body.get("code", "may not apply")

    def set_capacities(self, first: date, last: date) -> None:
        low, high = self.args.capacity
        items, day = [], first
        while day <= last:
            items.append({"date": day.isoformat(), "places": self.rng.randint(low, high)})
            day += timedelta(days=1)
        answer = self.gateway.call("PUT", "/api/booking/capacities",
                                   self.staff_tokens["operator"], json={"items": items})
        if answer.status_code != 200:
            raise DemoError(f"capacities refused: {answer.text}")
        self.did(f"capacities {first}..{last}: {low}–{high} places a date")

    # -- a day --------------------------------------------------------------------------------------
    def morning(self, day: date) -> None:
        self.move_to(at(day, 8, 0))
        due = [r for r in self.reservations.values() if r.date == day and r.state == "active"]
        entering = [r for r in due if self.rng.random() < ENTRY_SHARE]
        if entering:
            records = [{"document_type": p.document_type, "document_number": p.document_number,
                        "entry_date": day.isoformat()}
                       for r in entering for p in r.member.party.people]
            answer = self.gateway.call("POST", "/api/booking/entry-records",
                                       self.staff_tokens["operator"], json={"records": records})
            if answer.status_code not in (200, 201):
                self.did(f"WARNING: entry records refused: {answer.text[:300]}")
            else:
                for reservation in entering:
                    reservation.state = "entered"
                    reservation.member.entered = True
        self.did(f"{day} 08:00 entries recorded for {len(entering)} of {len(due)} reservations "
                 f"for today ({len(due) - len(entering)} will be no-shows)")
        cancellable = [r for r in self.reservations.values() if r.state == "active"
                       and r.date >= day + timedelta(days=2) and not r.member.cancelled_once]
        cancelling = [r for r in cancellable if self.rng.random() < CANCEL_SHARE]

        def cancel(reservation: Reservation) -> str:
            answer = self.gateway.call("POST", f"/api/booking/reservations/"
                                       f"{reservation.number}/cancel", reservation.member.token)
            if answer.status_code == 200:
                reservation.state = "cancelled"
                reservation.member.cancelled_once = True
                return "cancelled"
            return error_code(answer)

        outcomes = run_all("cancellations", cancelling, cancel, self.args.workers)
        if cancelling:
            self.did(f"{day} cancellations: {show(outcomes)}")

    def applying(self, day: date, share: float, last_hour: int = 17) -> Counter:
        self.move_to(at(day, 9, 0))
        self.wait(f"the window of {day} to open", lambda: self._window_open(day), timeout=60)
        holding = {r.member.index for r in self.reservations.values() if r.state == "active"}
        pool = [m for m in self.members
                if m.eligible and not m.entered and m.index not in holding]
        applicants = [m for m in pool if self.rng.random() < share]
        self.rng.shuffle(applicants)
        dates = [day + timedelta(days=i) for i in range(1, 7)]
        choices = {m.index: self.population.chosen_dates(dates) for m in applicants}
        hours = list(range(9, last_hour + 1))
        outcomes: Counter = Counter()

        def apply(member: Member) -> str:
            captcha = self.gateway.captcha()
            answer = self.gateway.call("POST", "/api/booking/applications", member.token, json={
                "dates": [d.isoformat() for d in choices[member.index]],
                "captcha_id": captcha["captcha_id"], "captcha_answer": captcha["answer"]})
            if answer.status_code != 201:
                return error_code(answer)
            for application in answer.json()["applications"]:
                number = application["application_number"]
                member.applications.append(number)
                self.applications[number] = (member, date.fromisoformat(application["date"]))
            return "accepted"

        for position, hour in enumerate(hours):
            batch = applicants[position::len(hours)]
            self.move_to(at(day, hour, self.rng.randrange(5, 50)))
            outcomes.update(run_all(f"applications {day} {hour:02d}:00", batch, apply,
                                    self.args.workers))
        asked = sum(len(choices[m.index]) for m in applicants)
        self.did(f"{day} 09:00–{last_hour}:59 {len(applicants)} of {len(pool)} who may apply "
                 f"did, for {asked} dates in all: {show(outcomes)}")
        return outcomes

    def _window_open(self, day: date) -> bool:
        view = self.gateway.call("GET", "/api/booking/periods/current").json()
        return view["period"] == day.isoformat() and view["window"]["open"]

    def evening(self, day: date) -> None:
        period = day.isoformat()
        self.move_to(at(day, 18, 0))
        if not self.lottery:
            time.sleep(3)  # the close is the booking scheduler's next tick
            self.did(f"{day} 18:00 closed (no lottery service: no draw)")
            return

        def public():
            answer = self.gateway.call("GET", f"/api/lottery/public/periods/{period}")
            return answer.json() if answer.status_code == 200 else None

        self.wait(f"the close of {period} to reach the lottery",
                  lambda: (public() or {}).get("closed"), timeout=120)
        self.move_to(at(day, 18, 30))
        self.wait(f"the draw of {period}",
                  lambda: all(d["drawn"] for d in (public() or {"dates": [{"drawn": 0}]})["dates"]),
                  timeout=300)
        self.move_to(at(day, 20, 0))
        if not self.wait(f"the publication of {period}",
                         lambda: (public() or {}).get("published"), timeout=300):
            return
        self.published.append(period)
        audit = public()
        figures = ", ".join(f"{d['date'][5:]} {d['winners_people']} people won "
                            f"({d['applications']} applications)" for d in audit["dates"])
        winners = self._winning_numbers(period)
        new = 0
        for number in winners:
            if number in self.applications and number not in self.reservations:
                member, reserved = self.applications[number]
                self.reservations[number] = Reservation(number, reserved, member)
                new += 1
        self.did(f"{day} 18:30 drawn, 20:00 published: {figures}; {new} reservations")
        mine = [r for r in self.reservations.values() if r.number in winners]
        if mine:
            sample = mine[-1]
            self.wait("booking to record the reservations",
                      lambda: any(i["application_number"] == sample.number for i in self.gateway.call(
                          "GET", "/api/booking/reservations", sample.member.token
                      ).json().get("items", [])), timeout=120)

    def _winning_numbers(self, period: str) -> set[str]:
        # the public files are written just after the publication commits (by whichever
        # scheduler replica gets there): the API can say "published" a moment before they exist
        path = f"/public/lottery/{period}/winners.json"
        self.wait(f"{path} to be written",
                  lambda: self.gateway.call("GET", path).status_code == 200, timeout=60)
        answer = self.gateway.call("GET", path)
        if answer.status_code != 200:
            self.did(f"WARNING: /public/lottery/{period}/winners.json answered "
                     f"{answer.status_code}")
            return set()
        found: set[str] = set()

        def collect(node, under_winners=False):
            if isinstance(node, dict):
                for key, value in node.items():
                    collect(value, under_winners or key == "winners")
            elif isinstance(node, list):
                for value in node:
                    collect(value, under_winners)
            elif under_winners and isinstance(node, str):
                found.add(node)

        collect(answer.json())
        return found

    # -- the whole run --------------------------------------------------------------------------------
    def first_day(self) -> date:
        if self.args.start:
            return self.args.start
        now = self.clock.now()
        today = now.date()
        if now < at(today, 9, 0):
            return today
        return today + timedelta(days=1)

    def run(self) -> dict:
        started = time.monotonic()
        self.preflight()
        first = self.first_day()
        now = self.clock.now()
        if not self.args.start and now >= at(now.date(), 9, 0) and self.lottery:
            # a window already opened today (a previous run, or the real day): finish it first
            self.say(f"finishing today's period {now.date()} first")
            self.evening(now.date())
        days = [first + timedelta(days=i) for i in range(self.args.days)]
        final = first + timedelta(days=self.args.days)
        self.say(f"demo: {self.args.applicants} applicants, days {days[0]}..{days[-1]}, "
                 f"then the morning of {final}; system {self.gateway.url}")
        self.move_to(at(first, 7, 0))
        self.create_staff()
        self.generate(first)
        self.import_accounts(first)
        self.find_accounts()
        self.fill_profiles(first)
        self.await_approvals()
        self.set_capacities(first + timedelta(days=1), final + timedelta(days=6))
        for day in days:
            self.say(f"day {day}")
            self.morning(day)
            self.applying(day, self.args.share)
            self.evening(day)
        self.say(f"day {final} (left open)")
        self.morning(final)
        before = len(self.applications)
        self.applying(final, self.args.share / 3, last_hour=10)
        final_applications = len(self.applications) - before
        self.move_to(at(final, 11, 0))
        accounts = self.accounts_to_show(final)
        self.did(f"done in {time.monotonic() - started:.0f}s; the clock is at "
                 f"{self.clock.now():%Y-%m-%d %H:%M} Beijing time and keeps running")
        return {"days": [d.isoformat() for d in days], "final_day": final.isoformat(),
                "published": self.published, "applications": len(self.applications),
                "final_applications": final_applications,
                "reservations": len(self.reservations), "accounts": accounts,
                "staff": [{"username": u, "role": r, "password": self.args.staff_password}
                          for u, r in STAFF],
                "seconds": round(time.monotonic() - started)}

    def accounts_to_show(self, today: date) -> list[dict]:
        """A few accounts worth looking at, each checked by a real login (and so that it is an
        ordinary applicant, not a legacy-update one) and known to profile."""
        picks: list[tuple[str, Member]] = []
        by_state = [("reservation for today (slip)", lambda r: r.date == today),
                    ("reservation, still cancellable", lambda r: r.state == "active"
                     and r.date >= today + timedelta(days=2)),
                    ("cancelled a reservation", lambda r: r.state == "cancelled"),
                    ("entered (used reservation)", lambda r: r.state == "entered"
                     and r.date < today)]
        for label, wanted in by_state:
            found = next((r.member for r in self.reservations.values() if wanted(r)), None)
            if found:
                picks.append((label, found))
        losers = [m for m in self.members if m.applications and m.party.cohabitants
                  and all(n not in self.reservations for n in m.applications)]
        if losers:
            picks.append(("applied with cohabitants, not drawn yet / not won", losers[0]))
        seen_types = {m.party.applicant.document_type for _, m in picks}
        for member in self.members:
            kind = member.party.applicant.document_type
            if member.eligible and kind not in seen_types:
                picks.append((f"approved, document {kind}", member))
                seen_types.add(kind)
        accounts = []
        for label, member in picks:
            person = member.party.applicant
            login = self.gateway.call("POST", "/api/identity/sessions", json={
                "document_type": person.document_type,
                "document_number": person.document_number, "password": self.args.password})
            body = login.json() if login.status_code == 200 else {}
            if login.status_code != 200 or body.get("update_required"):
                self.did(f"WARNING: {person.document_number} cannot log in normally: "
                         f"{login.status_code} {login.text[:200]}")
                continue
            known = self.gateway.call("GET", "/api/profile/me", body["access_token"]).json()
            accounts.append({"label": label, "nationality": person.nationality,
                             "document_type": person.document_type,
                             "document_number": person.document_number,
                             "password": self.args.password, "name": person.name,
                             "party_size": member.party.size,
                             "account_id": member.account_id,
                             "profile_knows": bool(known.get("account", {}).get("known"))})
        return accounts


def print_summary(demo: Demo, result: dict) -> None:
    url = demo.gateway.url
    print("\nWhat the demo did:")
    for line in demo.log:
        print(f"  - {line}")
    print(f"\nOpen {url} and log in (the password of every demo applicant is "
          f"{demo.args.password!r}):")
    for a in result["accounts"]:
        print(f"  {a['document_type']:<26} {a['document_number']:<12} {a['password']:<10} "
              f"{a['name']} ({a['nationality']}, party of {a['party_size']}): {a['label']}")
    print("Staff (the 工作人员登录 link under the login form, /login?staff=1):")
    for s in result["staff"]:
        print(f"  {s['username']:<16} {s['password']:<10} {s['role']}")
    print(f"\nWorth a look: {url}/booking (six-day view), {url}/lottery/records and "
          f"{url}/booking/reservations (an applicant), {url}/booking/slip (today's slip), "
          f"{url}/review (reviewer), {url}/booking/operator and {url}/lottery/operator "
          f"(operator), {url}/operator/emails (admin), {url}/lottery/audit (public), "
          f"{url}/api/notification/dev/mailbox.html (development mailbox)")
    for period in result["published"]:
        print(f"  draw of {period}: {url}/lottery/audit/{period}, "
              f"{url}/public/lottery/{period}/winners.json")


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="bin/demo", description=__doc__.split("\n\n")[0])
    parser.add_argument("--url", default=os.environ.get("DEMO_URL", "http://localhost:8080"))
    parser.add_argument("--applicants", type=int, default=20000)
    parser.add_argument("--days", type=int, default=3)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--share", type=float, default=0.3,
                        help="share of those who may apply that do, each day (default 0.3)")
    parser.add_argument("--capacity", default="1000-2000",
                        help="places per date, LOW-HIGH (default 1000-2000)")
    parser.add_argument("--workers", type=int, default=16, help="concurrent requests")
    parser.add_argument("--start", type=date.fromisoformat,
                        help="first day (default: today if before 09:00 on the clock, else "
                             "tomorrow)")
    parser.add_argument("--password", default="demo1234", help="every applicant's password")
    parser.add_argument("--staff-password", default="staff1234")
    parser.add_argument("--summary-json", help="also write what was done to this file")
    args = parser.parse_args(argv)
    low, _, high = args.capacity.partition("-")
    args.capacity = (int(low), int(high or low))
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    settings = load_settings("identity")
    if settings.is_production:
        print("refused: HS_MODE=production (the demo moves the clock and signs tokens with the "
              "development key; only development and test mode allow that)", file=sys.stderr)
        return 2
    if not settings.jwt_private_key_path.exists():
        print(f"refused: no development key at {settings.jwt_private_key_path} (run bin/setup)",
              file=sys.stderr)
        return 2
    demo = Demo(args=args, gateway=Gateway(args.url),
                clock=Clock(settings.clock_file, settable=True), minter=TokenMinter(settings),
                env=dict(os.environ, PYTHONPATH=str(REPO_ROOT)), rng=random.Random(args.seed))
    try:
        result = demo.run()
    except DemoError as exc:
        print(f"demo stopped: {exc}", file=sys.stderr)
        return 1
    print_summary(demo, result)
    if args.summary_json:
        with open(args.summary_json, "w", encoding="utf-8") as handle:
            json.dump(result, handle, ensure_ascii=False, indent=2)
    return 0


if __name__ == "__main__":
    sys.exit(main())
