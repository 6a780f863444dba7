"""The public audit bundle of a period and its verification (R8.4).

The bundle is what anyone needs to recompute a draw, and nothing more: the seed (after
publication), its hash (committed before the window closed), and per date the places, the entries
(application number + the period-scoped person keys of its party) with their count and digest,
and the published winners. Format: docs/draw-algorithm.md, "Audit bundle".
"""

from __future__ import annotations

from services.lottery.domain.draw import (
    ALGORITHM,
    DateBatch,
    DateResult,
    Entry,
    InvalidEntry,
    draw_period,
    entries_digest,
    seed_hash,
)


def build_bundle(period: str, seed: bytes, batches: list[DateBatch],
                 results: list[DateResult]) -> dict:
    by_date = {r.date: r for r in results}
    dates = []
    for batch in sorted(batches, key=lambda b: b.date):
        result = by_date[batch.date]
        dates.append({
            "date": batch.date,
            "places": batch.places,
            "applications": len(batch.entries),
            "digest": entries_digest(e.application_number for e in batch.entries),
            "entries": [{"application_number": e.application_number, "persons": list(e.persons)}
                        for e in sorted(batch.entries, key=lambda e: e.application_number)],
            "winners": list(result.winners),
            "winners_people": result.winners_people,
            "overflow": result.overflow,
        })
    return {"algorithm": ALGORITHM, "period": period, "seed": seed.hex(),
            "seed_hash": seed_hash(seed), "dates": dates}


def verify_bundle(bundle: dict) -> list[str]:
    """Recompute the draw from the bundle alone. Returns the problems found (none = it matches)."""
    problems: list[str] = []
    if bundle.get("algorithm") != ALGORITHM:
        return [f"unknown algorithm {bundle.get('algorithm')!r}, expected {ALGORITHM}"]
    try:
        seed = bytes.fromhex(bundle["seed"])
    except (KeyError, TypeError, ValueError):
        return ["the bundle has no valid seed (is the draw published yet?)"]
    if seed_hash(seed) != bundle.get("seed_hash"):
        problems.append("sha256(seed) differs from the committed seed hash")
    batches = []
    for day in bundle.get("dates", []):
        entries = [Entry(e["application_number"], tuple(e["persons"])) for e in day["entries"]]
        if len(entries) != day.get("applications"):
            problems.append(f"{day['date']}: {len(entries)} entries, "
                            f"published count {day.get('applications')}")
        digest = entries_digest(e.application_number for e in entries)
        if digest != day.get("digest"):
            problems.append(f"{day['date']}: the entries' digest differs from the published one")
        batches.append(DateBatch(day["date"], int(day["places"]), entries))
    try:
        results = draw_period(seed, batches)
    except InvalidEntry as exc:
        return [*problems, f"invalid entry: {exc}"]
    published = {day["date"]: day for day in bundle.get("dates", [])}
    for result in results:
        day = published[result.date]
        if list(day.get("winners", [])) != result.winners:
            missing = sorted(set(result.winners) - set(day.get("winners", [])))
            extra = sorted(set(day.get("winners", [])) - set(result.winners))
            problems.append(f"{result.date}: published winners differ from the recomputed ones "
                            f"(missing {missing[:5]}, unexpected {extra[:5]})")
        if day.get("winners_people") not in (None, result.winners_people):
            problems.append(f"{result.date}: published {day['winners_people']} winning people, "
                            f"recomputed {result.winners_people}")
    return problems
