"""HTTP API of the lottery: public audit, 'did I win?', operator overview and manual trigger."""

from __future__ import annotations

import os
import socket

from flask import current_app
from marshmallow import ValidationError

from services.lottery.domain.drawers import operator_worker
from services.lottery.schemas import (
    DateAuditOut,
    DrawReportSchema,
    EntriesPageArgs,
    MyResultsOut,
    OperatorPeriodsOut,
    PeriodAuditOut,
    PublicPeriodsOut,
    check_day,
)
from services.lottery.service_layer import queries
from services.lottery.service_layer.drawing import draw_period
from shared.app import Blueprint, db_session, service_context
from shared.auth import current_principal, public, requires
from shared.errors import ApiError

public_blp = Blueprint("lottery_public", __name__, url_prefix="/api/lottery/public",
                       description="Seed commitments, audit and verification data (R8.4)")
me_blp = Blueprint("lottery_me", __name__, url_prefix="/api/lottery/me",
                   description="The applicant's own lottery records (R10.1)")
operator_blp = Blueprint("lottery_operator", __name__, url_prefix="/api/lottery/operator",
                         description="Draw monitoring and the manual trigger")


def _day(value: str, field: str) -> str:
    try:
        return check_day(value, f"lottery.{field}.invalid")
    except ValidationError:
        raise ApiError(400, f"lottery.{field}.invalid", field=field) from None


def _now():
    return service_context().clock.now()


@public_blp.route("/periods")
@public_blp.alt_response(200, schema=PublicPeriodsOut)
@public
def list_periods():
    return {"periods": queries.public_periods(db_session(), _now())}


@public_blp.route("/periods/<period>")
@public_blp.alt_response(200, schema=PeriodAuditOut)
@public
def period_audit(period):
    audit = queries.period_audit(db_session(), _day(period, "period"), _now())
    if audit is None:
        raise ApiError(404, "lottery.period.not_found", field="period")
    return audit


@public_blp.route("/periods/<period>/dates/<date>")
@public_blp.alt_response(200, schema=DateAuditOut)
@public_blp.arguments(EntriesPageArgs, location="query")
@public
def date_audit(args, period, date):
    audit = queries.date_audit(db_session(), _day(period, "period"), _day(date, "date"), _now(),
                               args["offset"], args["limit"])
    if audit is None:
        raise ApiError(404, "lottery.date.not_found", field="date")
    return audit


@me_blp.route("/results")
@me_blp.alt_response(200, schema=MyResultsOut)
@requires("applicant")
def my_results():
    account_id = current_principal().account_id  # own data only, never from the URL
    reader = current_app.extensions["lottery_results"]
    return {"results": reader.results_of(account_id, _now())}


@operator_blp.route("/periods")
@operator_blp.alt_response(200, schema=OperatorPeriodsOut)
@requires("operator")
def operator_periods():
    return {"periods": queries.operator_overview(db_session(), _now())}


REFUSALS = {"not_found": (404, "lottery.period.not_found"),
            "not_closed": (409, "lottery.period.not_closed"),
            "too_early": (409, "lottery.draw.too_early"),
            "waiting_for_entries": (409, "lottery.draw.waiting_for_entries")}


@operator_blp.route("/periods/<period>/draw", methods=["POST"])
@operator_blp.response(200, DrawReportSchema)
@requires("operator")
def trigger_draw(period):
    """Draw the period's undrawn dates now. Never draws a date twice: it runs the same
    exactly-once path as the scheduler (advisory lock, unique key per date)."""
    ctx = service_context()
    worker = operator_worker(current_principal().account_id, socket.gethostname(), os.getpid())
    report = draw_period(ctx.engine, ctx.sessions, _day(period, "period"), _now(), worker)
    if report.outcome in REFUSALS:
        status, key = REFUSALS[report.outcome]
        raise ApiError(status, key, field="period", detail=report.detail, **report.params)
    return report
