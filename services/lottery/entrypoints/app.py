"""`create_app()`: the lottery's Flask app (gunicorn -c services/lottery/gunicorn.conf.py)."""

from __future__ import annotations

import os
from pathlib import Path

from services.lottery.entrypoints.api import me_blp, operator_blp, public_blp
from services.lottery.service_layer.queries import ResultsReader
from shared.app import create_service_app

HERE = Path(__file__).resolve().parent.parent


def create_app(settings=None):
    app, api = create_service_app("lottery", settings, messages_dir=HERE / "messages",
                                  title="Health stations: lottery")
    for blueprint in (public_blp, me_blp, operator_blp):
        api.register_blueprint(blueprint)
    ctx = app.extensions["hs"]
    # memory per replica: about 170 bytes a row (LOTTERY_PRELOAD_ROWS=0 turns the preload off)
    app.extensions["lottery_results"] = ResultsReader(
        ctx.settings.database_url,
        preload_rows=int(os.environ.get("LOTTERY_PRELOAD_ROWS", "300000")))
    return app
