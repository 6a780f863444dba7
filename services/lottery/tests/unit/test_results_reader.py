"""The per-replica "did I win?" reader: it caches only while nothing can change, loads the
latest period's applicants in one query after a publication, and a cached row never shows a
result before 20:00 (R9.1, R10.1). The database is replaced by a script."""

from datetime import datetime
from types import SimpleNamespace

from services.lottery.service_layer.queries import (
    GENERATION,
    PRELOAD,
    ResultsReader,
    group_preloaded,
)
from shared.clock import BEIJING

PUBLISHED = datetime(2026, 12, 3, 20, 0, tzinfo=BEIJING)


class ScriptedReader(ResultsReader):
    def __init__(self):
        self.engine = None
        self.check_every = 0.0  # check the state on every request
        self.max_accounts = 10
        self.preload_rows = 0  # off unless a test turns it on
        self._generation, self._checked_at, self._rows = None, 0.0, {}
        import threading

        self._lock = threading.Lock()
        self.state = (PUBLISHED, False)  # (latest publication, any unpublished period)
        self.won = True
        self.queries = 0
        self.preloaded: list = []  # what the PRELOAD query returns
        self.preload_limits: list[int] = []

    def _spawn(self, work):
        work()  # in the foreground, so that a test sees its effect at once

    def _query(self, statement, params=None):
        if statement is GENERATION:
            return [self.state]
        if statement is PRELOAD:
            self.preload_limits.append(params["limit"])
            return self.preloaded[:params["limit"]]
        self.queries += 1
        return [SimpleNamespace(application_number="AB12", period="2026-12-03",
                                date="2026-12-04", party_size=2,
                                published_at=self.state[0], won=self.won)]


def preload_row(account, number, won=False, period="2026-12-03", date="2026-12-05"):
    return SimpleNamespace(account_id=account, application_number=number, period=period,
                           date=date, party_size=1, published_at=PUBLISHED, won=won)


def test_no_open_period_means_repeated_checks_are_served_from_memory():
    reader = ScriptedReader()
    for _ in range(5):
        assert reader.results_of("a1", PUBLISHED)[0]["result"] == "won"
    assert reader.queries == 1


def test_while_a_period_is_open_every_check_reads_the_database():
    reader = ScriptedReader()
    reader.state = (PUBLISHED, True)
    for _ in range(3):
        reader.results_of("a1", PUBLISHED)
    assert reader.queries == 3


def test_a_change_of_state_drops_what_was_kept():
    reader = ScriptedReader()
    reader.results_of("a1", PUBLISHED)
    reader.state = (datetime(2026, 12, 4, 20, 0, tzinfo=BEIJING), False)  # a new publication
    reader.won = False
    assert reader.results_of("a1", PUBLISHED)[0]["result"] == "not_won"
    assert reader.queries == 2


def test_a_kept_row_shows_no_result_before_20_00_R9_1():
    reader = ScriptedReader()
    early = datetime(2026, 12, 3, 19, 59, tzinfo=BEIJING)
    assert reader.results_of("a1", early)[0]["result"] == "pending"
    reader.state = (None, False)
    assert reader.results_of("a1", PUBLISHED)[0]["result"] == "pending"


def test_after_a_publication_a_first_check_of_a_preloaded_account_reads_nothing():
    reader = ScriptedReader()
    reader.preload_rows = 100
    reader.preloaded = [preload_row("a1", "N1", won=True), preload_row("a1", "N2"),
                        preload_row("a2", "N3")]
    first = reader.results_of("a1", PUBLISHED)
    assert [(r["application_number"], r["result"]) for r in first] == [("N1", "won"),
                                                                       ("N2", "not_won")]
    assert reader.results_of("a2", PUBLISHED)[0]["result"] == "not_won"
    assert reader.queries == 0 and reader.preload_limits == [101]
    reader.results_of("someone-else", PUBLISHED)  # not in the latest period: read on demand
    assert reader.queries == 1


def test_nothing_is_preloaded_while_a_period_is_unpublished():
    reader = ScriptedReader()
    reader.preload_rows = 100
    reader.state = (PUBLISHED, True)
    reader.preloaded = [preload_row("a1", "N1")]
    reader.results_of("a1", PUBLISHED)
    assert reader.preload_limits == [] and reader.queries == 1


def test_a_preloaded_row_shows_no_result_before_20_00_R9_1():
    reader = ScriptedReader()
    reader.preload_rows = 100
    reader.preloaded = [preload_row("a1", "N1", won=True)]
    early = datetime(2026, 12, 3, 19, 59, tzinfo=BEIJING)
    assert reader.results_of("a1", early)[0]["result"] == "pending"


def test_the_limit_leaves_out_the_account_it_may_have_cut():
    rows = [preload_row("a1", "N1"), preload_row("a2", "N2"), preload_row("a2", "N3")]
    assert set(group_preloaded(rows, 2)) == {"a1"}  # a2 has more rows than were read
    assert set(group_preloaded(rows[:2], 2)) == {"a1", "a2"}  # all fitted: nothing cut
    assert len(group_preloaded(rows, 3)["a2"]) == 2


def test_a_load_finished_after_a_newer_state_is_thrown_away():
    reader = ScriptedReader()
    reader.results_of("a1", PUBLISHED)  # the state is known
    reader.preload_rows = 100
    reader.preloaded = [preload_row("a9", "N9")]
    reader._generation = ("newer", False)  # the state moved on while loading
    reader._preload((PUBLISHED, False))
    assert "a9" not in reader._rows
