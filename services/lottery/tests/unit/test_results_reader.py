"""The per-replica "did I win?" reader: it caches only while nothing can change, and a cached
row never shows a result before 20:00 (R9.1, R10.1). The database is replaced by a script."""

from datetime import datetime
from types import SimpleNamespace

from services.lottery.service_layer.queries import GENERATION, ResultsReader
from shared.clock import BEIJING

PUBLISHED = datetime(2026, 12, 3, 20, 0, tzinfo=BEIJING)


class ScriptedReader(ResultsReader):
    def __init__(self):
        self.engine = None
        self.check_every = 0.0  # check the state on every request
        self.max_accounts = 10
        self._generation, self._checked_at, self._rows = None, 0.0, {}
        import threading

        self._lock = threading.Lock()
        self.state = (PUBLISHED, False)  # (latest publication, any unpublished period)
        self.won = True
        self.queries = 0

    def _query(self, statement, params=None):
        if statement is GENERATION:
            return [self.state]
        self.queries += 1
        return [SimpleNamespace(application_number="AB12", period="2026-12-03",
                                date="2026-12-04", party_size=2,
                                published_at=self.state[0], won=self.won)]


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
