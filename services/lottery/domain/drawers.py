"""Who drew a date: the text stored with each result (`lottery_draw_result.drawn_by`), and what
the operators' monitor shows of it.

The stored text names the process, for the logs and for tests that kill one replica:
`scheduler <host>:<pid>` for the 18:30 job of a scheduler replica, `operator <account id> on
<host>:<pid>` for the manual trigger. The monitor shows a readable kind (the scheduled draw, an
operator's manual draw) with the host and the operator's account id only as secondary detail.
"""

from __future__ import annotations

import re

SCHEDULER, OPERATOR, OTHER = "scheduler", "operator", "other"

_SCHEDULER = re.compile(r"^scheduler (?P<host>\S+)$")
_OPERATOR = re.compile(r"^operator (?P<account>\S+) on (?P<host>\S+)$")


def scheduler_worker(host: str, pid: int) -> str:
    return f"scheduler {host}:{pid}"


def operator_worker(account_id: str, host: str, pid: int) -> str:
    return f"operator {account_id} on {host}:{pid}"


def describe(drawn_by: str | None) -> dict | None:
    """`{"kind", "host", "account_id"}` of a stored `drawn_by`; None when nothing was drawn.
    Text of another shape (e.g. a test's worker name) is kind `other`, with the text as host."""
    if not drawn_by:
        return None
    if match := _SCHEDULER.match(drawn_by):
        return {"kind": SCHEDULER, "host": match["host"], "account_id": None}
    if match := _OPERATOR.match(drawn_by):
        return {"kind": OPERATOR, "host": match["host"], "account_id": match["account"]}
    return {"kind": OTHER, "host": drawn_by, "account_id": None}
