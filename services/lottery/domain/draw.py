"""The draw (R8.1-R8.4) as pure functions: no database, no clock, no library random stream.

The algorithm is specified in docs/draw-algorithm.md (version `hs-draw-v1`); this module is its
reference implementation and `services.lottery.verify` recomputes published draws with it.

In short, for each date of a period in ascending order: rank the date's entries by
HMAC-SHA256(seed, date "|" application_number) read as a big-endian integer, ascending; walk the
ranking; skip an entry any of whose persons already won (an earlier date, or earlier in this
date); accept it while the people accepted so far are fewer than the places.
"""

from __future__ import annotations

import hashlib
import heapq
import hmac
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import NamedTuple

_PAD_INNER = bytes(x ^ 0x36 for x in range(256))  # RFC 2104's ipad / opad, as in hmac.py
_PAD_OUTER = bytes(x ^ 0x5C for x in range(256))
_SHA256_BLOCK = 64

ALGORITHM = "hs-draw-v1"
MAX_PARTY = 4  # the applicant and at most 3 cohabitants (R6.2)
MAX_OVERFLOW = MAX_PARTY - 1  # R8.3

RankFunction = Callable[[bytes, str, str], bytes]


class InvalidEntry(ValueError):
    pass


class Entry(NamedTuple):
    """One application for one date. `persons` are opaque person keys (see person_key).

    A named tuple rather than a dataclass: a period has up to a million of them."""

    application_number: str
    persons: tuple[str, ...]

    @property
    def people(self) -> int:
        return len(self.persons)


@dataclass(frozen=True, slots=True)
class DateBatch:
    date: str  # YYYY-MM-DD
    places: int
    entries: Sequence[Entry]


@dataclass(slots=True)
class DateResult:
    date: str
    places: int
    applications: int
    winners: list[str] = field(default_factory=list)  # application numbers, in rank order
    winners_people: int = 0
    skipped: list[str] = field(default_factory=list)  # skipped because a person already won

    @property
    def overflow(self) -> int:
        return max(0, self.winners_people - self.places)


def rank_key(seed: bytes, date: str, application_number: str) -> bytes:
    """HMAC-SHA256(key=seed, msg=UTF-8(date + "|" + application_number)).

    Comparing the 32-byte digests as bytes is comparing them as big-endian integers."""
    return hmac.digest(seed, f"{date}|{application_number}".encode(), "sha256")


def rank_keys(seed: bytes, date: str, application_numbers: Iterable[str]) -> list[bytes]:
    """rank_key(seed, date, n) for each n, computed as RFC 2104 spells HMAC out: the padded
    key's two SHA-256 states (and the date prefix) are computed once and copied for each
    number, which costs about 40 % less than a one-shot HMAC per entry (a date may have
    200,000 entries). The unit tests prove the result equals rank_key."""
    key = hashlib.sha256(seed).digest() if len(seed) > _SHA256_BLOCK else seed
    key = key.ljust(_SHA256_BLOCK, b"\0")
    inner = hashlib.sha256(key.translate(_PAD_INNER))
    inner.update(f"{date}|".encode())
    outer = hashlib.sha256(key.translate(_PAD_OUTER))
    digests = []
    append, inner_copy, outer_copy = digests.append, inner.copy, outer.copy
    for number in application_numbers:
        message = inner_copy()
        message.update(number.encode())
        result = outer_copy()
        result.update(message.digest())
        append(result.digest())
    return digests


def person_key(pepper: bytes, document_type: str, document_number: str) -> str:
    """A person's pseudonym within one period: HMAC-SHA256(pepper, type "|" number), 32 hex.

    The pepper is a per-period secret that is never published, so a published key cannot be
    turned back into a document number by trying all numbers, and keys of different periods
    cannot be linked."""
    digest = hmac.digest(pepper, f"{document_type}|{document_number}".encode(), "sha256")
    return digest.hex()[:32]


def seed_hash(seed: bytes) -> str:
    return hashlib.sha256(seed).hexdigest()


def entries_digest(application_numbers: Iterable[str]) -> str:
    """sha256 hex of the sorted application numbers joined by "\\n" (booking.period.closed)."""
    return hashlib.sha256("\n".join(sorted(application_numbers)).encode()).hexdigest()


def validate_entry(entry: Entry) -> None:
    size = len(entry.persons)
    if not entry.application_number:
        raise InvalidEntry("an entry needs an application number")
    if not 1 <= size <= MAX_PARTY:
        raise InvalidEntry(
            f"entry {entry.application_number}: a party has 1 to {MAX_PARTY} people")
    if size > 1 and len(set(entry.persons)) != size:
        raise InvalidEntry(f"entry {entry.application_number}: a person appears twice")


def draw_date(seed: bytes, batch: DateBatch, already_won: set[str],
              rank: RankFunction = rank_key) -> DateResult:
    """Draw one date. Adds the persons of this date's winners to `already_won` (R8.2).

    An entry is accepted while fewer than `places` people are accepted, so the last accepted
    party brings at most MAX_PARTY - 1 = 3 people over the places (R8.3)."""
    result = DateResult(date=batch.date, places=batch.places, applications=len(batch.entries))
    for entry in batch.entries:
        size = len(entry.persons)
        if not entry.application_number or not 1 <= size <= MAX_PARTY or (
                size > 1 and len(set(entry.persons)) != size):
            validate_entry(entry)  # raises with the reason
    if batch.places <= 0 or not batch.entries:
        return result
    if rank is rank_key:  # the same function, batched: a date may have 200,000 entries
        numbers = [entry.application_number for entry in batch.entries]
        ranked = list(zip(rank_keys(seed, batch.date, numbers), numbers, range(len(numbers)),
                          strict=True))
    else:
        ranked = [(rank(seed, batch.date, entry.application_number), entry.application_number,
                   index) for index, entry in enumerate(batch.entries)]
    # the application number breaks a (practically impossible) tie of two digests
    heapq.heapify(ranked)  # O(n); only the top of the ranking is ever taken out
    filled = 0
    while ranked and filled < batch.places:
        _, number, index = heapq.heappop(ranked)
        entry = batch.entries[index]
        if any(person in already_won for person in entry.persons):
            result.skipped.append(number)
            continue
        result.winners.append(number)
        filled += entry.people
        already_won.update(entry.persons)
    result.winners_people = filled
    return result


def draw_period(seed: bytes, batches: Iterable[DateBatch],
                already_won: Iterable[str] = (), rank: RankFunction = rank_key
                ) -> list[DateResult]:
    """Draw every date in ascending date order (R8.1), carrying the winners forward (R8.2).

    `already_won` lets a caller resume after some dates were drawn (their winners' persons)."""
    won = set(already_won)
    ordered = sorted(batches, key=lambda b: b.date)
    dates = [b.date for b in ordered]
    if len(set(dates)) != len(dates):
        raise InvalidEntry("a date appears twice in the period")
    return [draw_date(seed, batch, won, rank) for batch in ordered]
