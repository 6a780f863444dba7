"""A draw worker run as a child process by the kill -9 test: it draws the period and, before
committing the date given, tells the test it is mid-draw and waits to be killed."""

import sys
import time
from pathlib import Path

from services.lottery.domain.schedule import draw_time
from services.lottery.service_layer.drawing import draw_period
from shared.config import load_settings
from shared.db import make_engine, make_session_factory


def main(period: str, pause_date: str, marker: str) -> None:
    engine = make_engine(load_settings("lottery").database_url)

    def before_commit(date):
        if date == pause_date:
            Path(marker).write_text("mid-draw")
            time.sleep(120)  # killed here, inside the date's uncommitted transaction

    draw_period(engine, make_session_factory(engine), period, draw_time(period), "child",
                before_commit=before_commit)


if __name__ == "__main__":
    main(*sys.argv[1:4])
