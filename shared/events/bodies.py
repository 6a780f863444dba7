"""Readers of event bodies whose shape changed between versions, for every consumer of them.
Events of the old shape may still be in the outbox or the queues when a new producer starts."""

from __future__ import annotations


def submitted_applications(body: dict) -> list[dict]:
    """booking.application.submitted: `[{application_number, date}]`, one per date applied for.
    Version 2 lists them in `applications` (one event per submission); version 1 was one event
    per date with `application_number` and `date` in the body."""
    if "applications" in body:
        return list(body["applications"])
    return [{"application_number": body["application_number"], "date": body["date"]}]
