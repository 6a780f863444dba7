"""Booking's HTTP API: thin routes. Schema in, one service-layer call, commit, schema out.
The account id always comes from the token (`current_principal()`), never from the request."""

from __future__ import annotations

import csv
import io
import json

from flask import Response, current_app, jsonify, request
from flask.views import MethodView

from services.booking.adapters import repository as repo
from services.booking.domain import rules
from services.booking.domain.numbers import is_well_formed
from services.booking.domain.rules import Refusal
from services.booking.schemas import (
    ApplicationSchema,
    CancellationStandingOut,
    CancelledOut,
    CapacitiesOut,
    CapacityListSchema,
    CapacityQuerySchema,
    ConfirmationOut,
    DatesQuerySchema,
    DisabledAccountsOut,
    DisablePolicyOut,
    DisablePolicySchema,
    EntryImportOut,
    EntryImportSchema,
    EntryRecordSchema,
    LotteryRecordsOut,
    MyStatusOut,
    PeriodViewSchema,
    ReinstatedOut,
    ReinstateSchema,
    ReservationsOut,
    SlipCheckOut,
    SlipOut,
    SlipVerifySchema,
    SubmittedListSchema,
)
from services.booking.service_layer import handlers
from shared import captcha_token
from shared.app import Blueprint, db_session, service_context
from shared.auth import current_principal, public, requires
from shared.errors import ApiError, flatten_field_errors, language, message_key
from shared.logs import mask_document

blp = Blueprint("booking", __name__, url_prefix="/api/booking")
STAFF = ("reviewer", "operator")


def _booking():
    return current_app.extensions["booking"]


def _now():
    return service_context().clock.now()


def _me() -> str:
    return current_principal().account_id


def _refused(refusal: Refusal) -> ApiError:
    return ApiError(refusal.status, refusal.code, refusal.field, **refusal.params)


def _run(action):
    """Run a use case in the request's session: commit on success, a localized error on a
    refusal (nothing of the attempt is kept)."""
    session = db_session()
    try:
        result = action(session)
        session.commit()
        return result
    except Refusal as refusal:
        session.rollback()
        raise _refused(refusal) from None
    except BaseException:
        session.rollback()
        raise


def _require_well_formed(number: str) -> None:
    if not is_well_formed(number):
        raise ApiError(404, "booking.reservation_not_found")


def _translated(payload: dict) -> dict:
    catalog = service_context().catalog
    if payload.get("reason"):
        payload["message"] = catalog.translate(payload["reason"], language())
    return payload


# the six-day view (R7.2) ---------------------------------------------------------------------

@blp.route("/periods/current")
class CurrentPeriod(MethodView):
    @public
    @blp.response(200, PeriodViewSchema)
    def get(self):
        """Six-day view: available places and applicants per date, cached for a second."""
        now = _now()
        ctx = service_context()

        def load():
            with ctx.sessions() as session:
                return PeriodViewSchema().dump(handlers.six_day_view(session, now))
        body = _booking().view_cache.get(load, now)
        return Response(body, mimetype="application/json",
                        headers={"Cache-Control": "public, max-age=1"})


# capacities (operator) ----------------------------------------------------------------------

@blp.route("/capacities")
class Capacities(MethodView):
    @requires("operator")
    @blp.alt_response(200, schema=CapacitiesOut)
    @blp.arguments(CapacityQuerySchema, location="query")
    def get(self, query):
        if (query["end"] - query["start"]).days > 366 or query["end"] < query["start"]:
            raise ApiError(400, "booking.range_invalid", field="to")
        caps = repo.capacities(db_session(), query["start"], query["end"])
        held = repo.held_places(db_session(), query["start"], query["end"])
        return {"items": [{"date": d.isoformat(), "places": p, "held": int(held.get(d, 0))}
                          for d, p in sorted(caps.items())]}

    @requires("operator")
    @blp.alt_response(200, schema=CapacitiesOut)
    @blp.arguments(CapacityListSchema)
    def put(self, body):
        def action(session):
            for item in body["items"]:
                repo.set_capacity(session, item["date"], item["places"])
            return {"items": [{"date": i["date"].isoformat(), "places": i["places"]}
                              for i in body["items"]]}
        return _run(action)


# applying (R7.3–R7.7) -----------------------------------------------------------------------

@blp.route("/applications/confirmation")
class Confirmation(MethodView):
    @requires("applicant")
    @blp.alt_response(200, schema=ConfirmationOut)
    @blp.arguments(DatesQuerySchema, location="query")
    def get(self, query):
        """R7.4: name, masked document, dates, cohabitants, and whether submission would pass."""
        data = _run(lambda s: handlers.confirmation(s, _me(), query["dates"], _now()))
        verdict = data["eligibility"]
        if not verdict["ok"]:
            verdict["message"] = service_context().catalog.translate(
                verdict["code"], language(), **verdict["params"])
        return data


@blp.route("/applications")
class Applications(MethodView):
    @requires("applicant")
    @blp.alt_response(200, schema=LotteryRecordsOut)
    def get(self):
        """R10.1 lottery records: every application of the caller."""
        return {"items": handlers.lottery_records(db_session(), _me(), _now())}

    @requires("applicant")
    @blp.json_body(ApplicationSchema)
    @blp.response(201, SubmittedListSchema)
    def post(self, body):
        now = _now()
        if not _booking().submission_limiter.allow(_me()):
            raise ApiError(429, "error.rate_limited")

        try:  # the cheap checks first
            period = rules.require_window_open(now)
            rules.validate_chosen_dates(body["dates"], period)
        except Refusal as refusal:
            raise _refused(refusal) from None
        verdict = captcha_token.check(_booking().captcha_key, body["captcha_id"],
                                      body["captcha_answer"], now)
        with _booking().submissions.connect() as conn:
            if verdict.problem:
                if verdict.challenge_id:
                    repo.spend_captcha(conn, verdict.challenge_id, now)
                raise ApiError(400, verdict.problem, field="captcha_answer")
            try:
                submitted = handlers.submit_application(
                    conn, db_session, _me(), body["dates"], now, verdict.challenge_id)
            except Refusal as refusal:
                raise _refused(refusal) from None
        # SubmittedListSchema's fields, serialized here as the six-day view's are: at 09:00
        # the schema's dump and flask-smorest's jsonify cost more than these few strings
        return Response(json.dumps({
            "period": now.date().isoformat(),
            "applications": [{"date": s.date.isoformat(),
                              "application_number": s.application_number}
                             for s in submitted]}), status=201, mimetype="application/json")


# reservations, cancellation, slip (R11, R12) ------------------------------------------------

@blp.route("/reservations")
class Reservations(MethodView):
    @requires("applicant")
    @blp.alt_response(200, schema=ReservationsOut)
    def get(self):
        return {"items": handlers.reservation_list(db_session(), _me(), _now())}


@blp.route("/reservations/<string:number>/cancel")
class CancelReservation(MethodView):
    @requires("applicant")
    @blp.alt_response(200, schema=CancelledOut)
    def post(self, number):
        _require_well_formed(number)
        return _run(lambda s: handlers.cancel_reservation(s, _me(), number, _now()))


@blp.route("/reservations/<string:number>/slip")
class Slip(MethodView):
    @requires("applicant")
    @blp.alt_response(200, schema=SlipOut)
    def get(self, number):
        import segno

        _require_well_formed(number)
        data = _run(lambda s: handlers.slip(s, _me(), number, _now(), _booking().slip_key))
        data["qr_svg"] = segno.make(data["code"], error="m").svg_data_uri(scale=4)
        return data


@blp.route("/staff/slips/verify")
class VerifySlip(MethodView):
    @requires(*STAFF)
    @blp.alt_response(200, schema=SlipCheckOut)
    @blp.arguments(SlipVerifySchema)
    def post(self, body):
        """Border staff: a genuine slip for today answers valid with the holder's details."""
        result = handlers.verify_slip(db_session(), body["code"], _now(), _booking().slip_key)
        return _translated(result)


# entry records, no-shows, disable and reinstate (operator) -----------------------------------

@blp.route("/entry-records")
class EntryRecords(MethodView):
    @requires("operator")
    @blp.alt_response(200, schema=EntryImportOut)
    @blp.arguments(EntryImportSchema)
    def post(self, body):
        return _run(lambda s: handlers.import_entries(s, body["records"]))


CSV_COLUMNS = ("document_type", "document_number", "entry_date")


def _csv_problem(column: str, raw: str, value: str) -> tuple[str, dict]:
    """The catalogue key (and its placeholders) saying why a cell was refused."""
    if value == "":  # an empty cell (or a short row) is a missing value, whatever refused it
        return "field.required", {}
    key, params = message_key(raw)
    if column == "entry_date" and key == "field.invalid_date":
        return "booking.csv_date_format", {}
    return key, params


def _bad_rows(problems: list[dict]):
    """400 naming every refused row (line, the column's label in the reader's language, why);
    nothing of the file was imported."""
    catalog, lang = service_context().catalog, language()
    count = len({problem["line"] for problem in problems})
    message = catalog.translate("booking.csv_rows", lang, count=count)
    for problem in problems:
        problem["column_label"] = catalog.translate(f"booking.csv_column.{problem['column']}", lang)
        problem["message"] = catalog.translate(
            "booking.csv_row", lang, line=problem["line"], column=problem["column_label"],
            problem=catalog.translate(problem["code"], lang, **problem.get("params", {})))
    body = {"code": "booking.csv_rows", "message": message, "field": "file",
            "params": {"count": count},
            "fields": {"file": {"code": "booking.csv_rows", "message": message}},
            "rows": problems}
    return jsonify({"error": body}), 400


@blp.route("/entry-records/csv")
class EntryRecordsCsv(MethodView):
    @requires("operator")
    @blp.alt_response(200, schema=EntryImportOut)
    def post(self):
        """CSV upload (field `file`, UTF-8): header document_type,document_number,entry_date;
        entry_date as YYYY-MM-DD, not after today. All or nothing: when any row is refused the
        answer (400, `booking.csv_rows`) lists every refused row and nothing is imported."""
        upload = request.files.get("file")
        if upload is None:
            raise ApiError(400, "booking.csv_missing", field="file")
        try:
            text = upload.read().decode("utf-8-sig")
        except UnicodeDecodeError:
            raise ApiError(400, "booking.csv_encoding", field="file") from None
        reader = csv.DictReader(io.StringIO(text))
        wanted = set(CSV_COLUMNS)
        if not reader.fieldnames or not wanted <= {f.strip() for f in reader.fieldnames if f}:
            raise ApiError(400, "booking.csv_header", field="file")
        schema = EntryRecordSchema()
        records, problems = [], []
        for row in reader:
            line = reader.line_num  # the file's own line, a quoted line break included
            row = {k.strip(): (v or "").strip() for k, v in row.items()
                   if k and k.strip() in wanted}
            errors = schema.validate(row)
            if errors:
                for column in CSV_COLUMNS:  # in the file's column order
                    if column in errors:
                        raw = flatten_field_errors(errors[column], column)[column]
                        code, params = _csv_problem(column, raw, row.get(column, ""))
                        problems.append({"line": line, "column": column, "code": code,
                                         **({"params": params} if params else {})})
            elif not problems:
                records.append(schema.load(row))
        if problems:
            return _bad_rows(problems)
        if not records:
            raise ApiError(400, "booking.csv_empty", field="file")
        return _run(lambda s: handlers.import_entries(s, records))


@blp.route("/settings/disable-policy")
class DisablePolicy(MethodView):
    @requires("operator")
    @blp.alt_response(200, schema=DisablePolicyOut)
    def get(self):
        policy = repo.disable_policy(db_session())
        return {"threshold": policy.threshold, "window_days": policy.window_days}

    @requires("operator")
    @blp.alt_response(200, schema=DisablePolicyOut)
    @blp.arguments(DisablePolicySchema)
    def put(self, body):
        policy = _run(lambda s: handlers.set_policy(s, body["threshold"], body["window_days"]))
        return {"threshold": policy.threshold, "window_days": policy.window_days}


@blp.route("/accounts/disabled")
class DisabledAccounts(MethodView):
    @requires("reviewer", "operator")
    @blp.alt_response(200, schema=DisabledAccountsOut)
    def get(self):
        """Each account by its holder (name, masked document) as staff recognise them; the
        account id stays for the reinstatement call."""
        catalog = service_context().catalog
        return {"items": [{"account_id": r.account_id, "reason": r.reason,
                           "message": catalog.translate(r.reason or "", language()),
                           "disabled_at": r.disabled_at.isoformat() if r.disabled_at else None,
                           "name": r.name or None, "document_type": r.document_type,
                           "document_number_masked": mask_document(r.document_number)
                           if r.document_number else None}
                          for r in repo.disabled_accounts(db_session())]}


@blp.route("/accounts/<string:account_id>/reinstate")
class Reinstate(MethodView):
    @requires("reviewer", "operator")
    @blp.alt_response(200, schema=ReinstatedOut)
    @blp.arguments(ReinstateSchema)
    def post(self, body, account_id):
        done = _run(lambda s: handlers.reinstate(s, account_id, _now(), body.get("note")))
        if not done:
            raise ApiError(404, "booking.account_not_disabled")
        return {"account_id": account_id, "reinstated": True}


@blp.route("/me/cancellations")
class MyCancellations(MethodView):
    @requires("applicant")
    @blp.alt_response(200, schema=CancellationStandingOut)
    def get(self):
        """R12.4 before cancelling: the frequent-cancellation policy and how many of the
        caller's cancellations already count towards it."""
        return handlers.cancellation_standing(db_session(), _me(), _now().date())


@blp.route("/me/status")
class MyStatus(MethodView):
    @requires("applicant")
    @blp.alt_response(200, schema=MyStatusOut)
    def get(self):
        """Whether the caller may apply now, and if not why (ban end, disable, profile)."""
        session = db_session()
        now = _now()
        try:
            handlers.check_applicant(session, _me(), now.date())
        except Refusal as refusal:
            message = service_context().catalog.translate(refusal.code, language(),
                                                          **refusal.params)
            return {"may_apply": False, "code": refusal.code, "params": refusal.params,
                    "message": message}
        return {"may_apply": True}
