"""Booking rules as plain functions: the window, the six-day view, eligibility, cancellation,
the slip's day, no-show bans and the cancellation-based disable. No Flask, no SQL.

Decisions written down here (rules.md leaves them to us):
- R7.1 the window of period P is [P 09:00, P 18:00) Beijing time; 18:00 itself is closed.
- R7.5 a person with an entry record dated within the 14 days before the application day, or on
  the application day itself, is refused (they are in or just out of quarantine).
- R12.3 the ban from two no-shows in a row lasts 14 days counting the day of the second no-show
  as day 1: with the second no-show on day N, days N..N+13 are barred and day N+14 (day 15) is
  the first day an application is accepted. "In a row" is among the user's successful
  reservations in date order; cancelled reservations are skipped (they neither break nor extend
  a streak), a used one (an entry on the day) breaks it.
- R12.4 an account is disabled when its cancellations within the last `window_days` days
  (cancellation day included, counted since its last reinstatement) reach `threshold`.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from shared.clock import BEIJING

WINDOW_OPENS = time(9, 0)
WINDOW_CLOSES = time(18, 0)
PUBLICATION_TIME = time(20, 0)
VIEW_DAYS = 6
ENTRY_LOOKBACK_DAYS = 14
NO_SHOW_BAN_DAYS = 14
CANCEL_DAYS_BEFORE = 2


class Refusal(Exception):
    """A rule refuses the request; `code` is a catalogue key, `params` fill its message."""

    def __init__(self, code: str, field: str | None = None, status: int = 409, **params):
        super().__init__(code)
        self.code = code
        self.field = field
        self.status = status
        self.params = params


def _beijing(now: datetime) -> datetime:
    return now.astimezone(BEIJING) if now.tzinfo else now.replace(tzinfo=BEIJING)


# R7.1 ----------------------------------------------------------------------------------------

def period_dates(period: date) -> list[date]:
    """A period is named by its application day P and covers P+1 .. P+6 (docs/events.md)."""
    return [period + timedelta(days=i) for i in range(1, VIEW_DAYS + 1)]


def window_bounds(period: date) -> tuple[datetime, datetime]:
    return (datetime.combine(period, WINDOW_OPENS, BEIJING),
            datetime.combine(period, WINDOW_CLOSES, BEIJING))


def window_is_open(now: datetime) -> bool:
    now = _beijing(now)
    opens, closes = window_bounds(now.date())
    return opens <= now < closes


def next_window_opening(now: datetime) -> datetime:
    """When applications open next: today 09:00 if before it, else tomorrow 09:00."""
    now = _beijing(now)
    opens, _ = window_bounds(now.date())
    if now < opens:
        return opens
    return window_bounds(now.date() + timedelta(days=1))[0]


def require_window_open(now: datetime) -> date:
    """R7.1: the period (today) if the window is open, else a refusal saying when it opens."""
    now = _beijing(now)
    if not window_is_open(now):
        opens = next_window_opening(now)
        raise Refusal("booking.window_closed", opens_at=opens.strftime("%Y-%m-%d %H:%M"))
    return now.date()


def period_closes_due(period: date, now: datetime) -> bool:
    return _beijing(now) >= window_bounds(period)[1]


def results_visible(period: date, now: datetime) -> bool:
    """R9.1: nothing about a draw's result is shown before 20:00 of the period's day."""
    return _beijing(now) >= datetime.combine(period, PUBLICATION_TIME, BEIJING)


def validate_chosen_dates(chosen: Sequence[date], period: date) -> list[date]:
    """R7.3: one or several of the period's six dates, each once."""
    allowed = set(period_dates(period))
    if not chosen:
        raise Refusal("booking.dates_required", field="dates", status=400)
    if len(set(chosen)) != len(chosen):
        raise Refusal("booking.dates_duplicate", field="dates", status=400)
    for day in chosen:
        if day not in allowed:
            raise Refusal("booking.date_not_in_period", field="dates", status=400,
                          date=day.isoformat())
    return sorted(chosen)


def repeated_positions(values: Sequence) -> list[int]:
    """Where a value already given earlier in the list appears again."""
    seen: set = set()
    repeats = []
    for position, value in enumerate(values):
        if value in seen:
            repeats.append(position)
        seen.add(value)
    return repeats


def capacity_date_problem(day: date, today: date) -> str | None:
    """Operators set capacities for today and later; a past date's draw is long over."""
    return "field.date_past" if day < today else None


def entry_date_problem(day: date, today: date) -> str | None:
    """An entry record says someone entered: it cannot be dated after today."""
    return "booking.entry_date_future" if day > today else None


# R7.2 ----------------------------------------------------------------------------------------

@dataclass(frozen=True)
class DayView:
    date: date
    capacity: int
    held: int
    applications: int
    applicants: int

    @property
    def available(self) -> int:
        return max(self.capacity - self.held, 0)


def six_day_view(period: date, capacities: dict[date, int], held: dict[date, int],
                 applications: dict[date, int], applicants: dict[date, int]) -> list[DayView]:
    """R7.2: available = capacity − places held by active reservations; applicants so far."""
    return [DayView(day, capacities.get(day, 0), held.get(day, 0), applications.get(day, 0),
                    applicants.get(day, 0)) for day in period_dates(period)]


# R7.5 / R12.3 / R12.4 eligibility --------------------------------------------------------------

@dataclass(frozen=True)
class Person:
    document_type: str
    document_number: str
    name: str = ""
    review_state: str = ""
    relation: str | None = None
    date_of_birth: str | None = None

    @property
    def key(self) -> tuple[str, str]:
        return (self.document_type, self.document_number)


@dataclass(frozen=True)
class Party:
    account_id: str
    person: Person
    cohabitants: tuple[Person, ...] = ()
    destination: str | None = None

    @property
    def people(self) -> list[Person]:
        return [self.person, *self.cohabitants]

    @property
    def size(self) -> int:
        return 1 + len(self.cohabitants)


def check_party_approved(party: Party | None) -> None:
    """R7.1/R7.5/R6.4: the user and every cohabitant must be approved."""
    if party is None:
        raise Refusal("booking.profile_missing", status=403)
    if party.person.review_state != "approved":
        raise Refusal("booking.person_not_approved", status=403)
    for cohabitant in party.cohabitants:
        if cohabitant.review_state != "approved":
            raise Refusal("booking.cohabitant_not_approved", status=403,
                          name=cohabitant.name)
    keys = [p.key for p in party.people]
    if len(set(keys)) != len(keys):
        raise Refusal("booking.party_duplicate_person", status=409)


def check_not_reserved(party: Party, chosen: Iterable[date],
                       reserved: Iterable[tuple[date, str]]) -> None:
    """R7.7 across periods (decided): each period draws a date afresh, so a person who lost date
    D may apply for D again in a later period; a person already holding an active reservation
    for D may not."""
    held = {day: number for day, number in reserved}
    for day in sorted(chosen):
        if day in held:
            name = next((p.name for p in party.people if p.document_number == held[day]), "")
            raise Refusal("booking.already_reserved", field="dates", name=name,
                          date=day.isoformat())


def check_party_as_first_applied(party: Party, first_applied: Iterable[dict] | None) -> None:
    """R6.3: from the period's first successful application until its results the cohabitants
    are locked, so a later application of the same period is for the same people. A change
    that slipped in before profile locked is put back by profile; until then this refuses."""
    if first_applied is None:
        return
    locked = {(p["document_type"], p["document_number"]) for p in first_applied}
    if locked != {person.key for person in party.people}:
        raise Refusal("booking.party_changed_since_applying", status=409)


def entry_blocks(entry_day: date, today: date) -> bool:
    """R7.5: an entry within the 14 days before the application (or today) refuses."""
    return today - timedelta(days=ENTRY_LOOKBACK_DAYS) <= entry_day <= today


def check_recent_entries(party: Party, entries: dict[tuple[str, str], Iterable[date]],
                         today: date) -> None:
    for person in party.people:
        recent = [d for d in entries.get(person.key, ()) if entry_blocks(d, today)]
        if recent:
            raise Refusal("booking.recent_entry", status=403, name=person.name,
                          entry_date=max(recent).isoformat())


@dataclass(frozen=True)
class PastReservation:
    date: date
    state: str  # active / cancelled / used / no_show


def no_show_ban_ends(reservations: Iterable[PastReservation]) -> date | None:
    """R12.3: the first day an application is accepted again, or None when there is no ban.

    Every pair of consecutive no-shows (cancelled ones skipped) bars days N..N+13 where N is the
    second no-show's date; the latest such pair decides."""
    decided = sorted((r for r in reservations if r.state in ("used", "no_show")),
                     key=lambda r: r.date)
    ends = None
    for earlier, later in zip(decided, decided[1:], strict=False):
        if earlier.state == "no_show" and later.state == "no_show":
            end = later.date + timedelta(days=NO_SHOW_BAN_DAYS)
            ends = end if ends is None or end > ends else ends
    return ends


def check_no_show_ban(reservations: Iterable[PastReservation], today: date) -> None:
    ends = no_show_ban_ends(reservations)
    if ends is not None and today < ends:
        raise Refusal("booking.no_show_ban", status=403, until=ends.isoformat())


@dataclass(frozen=True)
class DisablePolicy:
    threshold: int = 3
    window_days: int = 30


def should_disable(cancellation_days: Iterable[date], today: date,
                   policy: DisablePolicy, since: date | None = None) -> bool:
    """R12.4: cancellations within the last `window_days` days (since reinstatement) reach the
    threshold."""
    return recent_cancellations(cancellation_days, today, policy, since) >= policy.threshold


def recent_cancellations(cancellation_days: Iterable[date], today: date,
                         policy: DisablePolicy, since: date | None = None) -> int:
    """R12.4: how many of the cancellations count towards the threshold today: those of the
    last `window_days` days, today included, and none before a reinstatement."""
    start = today - timedelta(days=policy.window_days - 1)
    if since is not None and since > start:
        start = since
    return len([d for d in cancellation_days if start <= d <= today])


# R12.2 / R12.1 --------------------------------------------------------------------------------

def last_cancellation_day(reserved_day: date) -> date:
    return reserved_day - timedelta(days=CANCEL_DAYS_BEFORE)


def check_cancellable(reserved_day: date, state: str, today: date) -> None:
    """R12.2: an active reservation for day D may be cancelled until the end of day D−2."""
    if state != "active":
        raise Refusal("booking.reservation_not_active", status=409)
    if today > last_cancellation_day(reserved_day):
        raise Refusal("booking.cancel_too_late", status=409,
                      last_day=last_cancellation_day(reserved_day).isoformat())


def check_slip_day(reserved_day: date, state: str, today: date) -> None:
    """R12.1: the slip opens on the reserved day only, for a reservation still valid."""
    if state not in ("active", "used"):
        raise Refusal("booking.reservation_not_active", status=409)
    if today != reserved_day:
        raise Refusal("booking.slip_not_today", status=403, date=reserved_day.isoformat())


@dataclass
class Eligibility:
    """What the eligibility check needs, gathered by the service layer."""
    party: Party | None
    disabled_reason: str | None = None
    past_reservations: list[PastReservation] = field(default_factory=list)
    entries: dict[tuple[str, str], list[date]] = field(default_factory=dict)


def check_eligibility(facts: Eligibility, today: date) -> Party:
    """R7.5 in a fixed order: account disabled (R12.4), profile and cohabitants approved,
    no-show ban (R12.3), recent entries of every person (R7.5)."""
    if facts.disabled_reason is not None:
        raise Refusal("booking.account_disabled", status=403)
    check_party_approved(facts.party)
    assert facts.party is not None
    check_no_show_ban(facts.past_reservations, today)
    check_recent_entries(facts.party, facts.entries, today)
    return facts.party
