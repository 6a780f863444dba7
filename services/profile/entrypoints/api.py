"""HTTP API under /api/profile: thin routes (schema in, service layer, schema out)."""

from __future__ import annotations

from flask import current_app, request

from services.profile.adapters import repository as repo
from services.profile.adapters.reference_list import ReferenceFileError, parse_reference_csv
from services.profile.domain import cohabitants as rules
from services.profile.domain import documents as docs
from services.profile.domain import places, review
from services.profile.domain.person import CONSENT_TEXT, PersonalInfo
from services.profile.schemas import (
    ApproveIn,
    CaseDetail,
    CaseList,
    CaseQuery,
    CohabitantIn,
    CohabitantOut,
    CohabitantsOut,
    ImportOut,
    MeOut,
    OptionsOut,
    PersonalInfoIn,
    RejectIn,
)
from services.profile.service_layer import handlers
from shared.app import Blueprint, db_session, service_context
from shared.auth import current_principal, public, requires
from shared.errors import ApiError, language
from shared.i18n import LANGUAGES, to_traditional
from shared.logs import mask_document

blp = Blueprint("profile", __name__, url_prefix="/api/profile")


def deps() -> handlers.Deps:
    ctx = service_context()
    return handlers.Deps(now=ctx.clock.now, source_for=current_app.config["PROFILE_SOURCE"],
                         public_base_url=ctx.settings.public_base_url)


def t(key: str, **params) -> str:
    return service_context().catalog.translate(key, language(), **params)


def _rejection(row) -> dict | None:
    if row.review_state != review.REJECTED or not row.rejection_reason:
        return None
    return {"code": row.rejection_reason, "message": t(f"reason.{row.rejection_reason}"),
            "note": row.rejection_note}


def _lock(account_id: str) -> dict:
    periods = [lock.period for lock in repo.active_locks(db_session(), account_id)]
    return {"locked": bool(periods), "periods": periods,
            "message": t("cohabitants.locked", period=periods[0]) if periods else None,
            "restored": _restored(account_id, periods)}


def _restored(account_id: str, periods: list[str]) -> dict | None:
    """R6.3: changes undone because they raced an application (while its lock holds)."""
    row = repo.latest_restoration(db_session(), account_id, periods)
    if row is None:
        return None
    names = "、" if language() != "en" else ", "
    return {"period": row.period, "application_number": row.application_number,
            "restored_at": row.restored_at,
            "changes": [{"name": c["name"], "action": c["action"]} for c in row.changes],
            "message": t("cohabitants.restored", application_number=row.application_number,
                         names=names.join(dict.fromkeys(c["name"] for c in row.changes)))}


def _cohabitant_out(c) -> dict:
    out = {k: getattr(c, k) for k in CohabitantOut().fields if k != "rejection"}
    out["rejection"] = _rejection(c)
    return out


def _cohabitants_of(account_id: str) -> list[dict]:
    return [_cohabitant_out(c) for c in repo.live_cohabitants(db_session(), account_id)]


def labelled(prefix: str, codes) -> list[dict]:
    return [{"code": c, "label": t(f"{prefix}.{c}")} for c in codes]


def _place(p: places.Place) -> dict:
    names = {"zh-Hans": p.zh_hans, "zh-Hant": to_traditional(p.zh_hans), "en": p.en}
    return {"code": p.code, "region": p.region, "name": names[language()], "names": names}


# ------------------------------------------------------------------ public options

@blp.route("/options", methods=["GET"])
@public
@blp.response(200, OptionsOut)
def options():
    """Lists the forms choose from, with their labels in the caller's language."""
    catalog = service_context().catalog
    return {
        "origins": [_place(p) for p in places.ORIGINS],
        "destinations": [_place(p) for p in places.DESTINATIONS],
        "relations": labelled("relation", rules.RELATIONS),
        "categories": labelled("category", rules.CATEGORIES),
        "document_types": labelled("document_type", docs.DOCUMENT_TYPES),
        "types_by_nationality": {k: list(v) for k, v in docs.TYPES_BY_NATIONALITY.items()},
        "foreign_document_types": list(docs.FOREIGN_TYPES),
        "reviewer_reasons": labelled("reason", review.REVIEWER_REASONS),
        "consent_text": {lang: catalog.translate("person.consent_text", lang)
                         for lang in LANGUAGES},
        "consent_text_zh_hans": CONSENT_TEXT,
        "max_cohabitants": rules.MAX_COHABITANTS,
    }


# ------------------------------------------------------------------ the applicant's own data

@blp.route("/me", methods=["GET"])
@requires("applicant")
@blp.response(200, MeOut)
def me():
    """The caller's personal information, cohabitants, review states and lock (R5.1)."""
    return _me(current_principal().account_id)


def _me(account_id: str) -> dict:
    session = db_session()
    account = repo.get_account(session, account_id)
    person = repo.get_person(session, account_id)
    cohabitants = _cohabitants_of(account_id)
    person_out = None
    if person is not None:
        person_out = {k: getattr(person, k) for k in (
            "name", "sex", "date_of_birth", "hk_mobile", "mainland_mobile", "document_expiry",
            "origin", "destination", "consented_at", "review_state")}
        person_out["rejection"] = _rejection(person)
    known = bool(account and account.known_from_identity)
    return {
        "account": {"account_id": account_id, "known": known,
                    "nationality": account.nationality if known else None,
                    "document_type": account.document_type if known else None,
                    "document_number": account.document_number if known else None},
        "person": person_out,
        "cohabitants": cohabitants,
        "lock": _lock(account_id),
        "eligible": bool(person and person.review_state == review.APPROVED
                         and all(c["review_state"] == review.APPROVED for c in cohabitants)),
        "max_cohabitants": rules.MAX_COHABITANTS,
    }


@blp.route("/me/personal-info", methods=["PUT"])
@requires("applicant")
@blp.arguments(PersonalInfoIn)
@blp.response(200, MeOut)
def put_personal_info(data):
    """Submit or correct the personal information (R4.1-R4.3); review follows at once."""
    session = db_session()
    handlers.submit_personal_info(session, deps(), current_principal().account_id,
                                  PersonalInfo(**data))
    session.commit()
    return _me(current_principal().account_id)


@blp.route("/me/cohabitants", methods=["GET"])
@requires("applicant")
@blp.response(200, CohabitantsOut)
def list_cohabitants():
    account_id = current_principal().account_id
    return {"cohabitants": _cohabitants_of(account_id), "lock": _lock(account_id),
            "max_cohabitants": rules.MAX_COHABITANTS}


@blp.route("/me/cohabitants", methods=["POST"])
@requires("applicant")
@blp.arguments(CohabitantIn)
@blp.response(201, CohabitantOut)
def add_cohabitant(data):
    """R6.1-R6.5: add a cohabitant; it is reviewed like the applicant (R6.4)."""
    session = db_session()
    row = handlers.add_cohabitant(session, deps(), current_principal().account_id,
                                  rules.CohabitantInput(**data))
    session.commit()
    return _cohabitant_out(row)


@blp.route("/me/cohabitants/<cohabitant_id>", methods=["PUT"])
@requires("applicant")
@blp.arguments(CohabitantIn)
@blp.response(200, CohabitantOut)
def edit_cohabitant(data, cohabitant_id):
    session = db_session()
    row = handlers.edit_cohabitant(session, deps(), current_principal().account_id,
                                   cohabitant_id, rules.CohabitantInput(**data))
    session.commit()
    return _cohabitant_out(row)


@blp.route("/me/cohabitants/<cohabitant_id>", methods=["DELETE"])
@requires("applicant")
@blp.response(204)
def delete_cohabitant(cohabitant_id):
    session = db_session()
    handlers.delete_cohabitant(session, deps(), current_principal().account_id, cohabitant_id)
    session.commit()
    return ""


# ------------------------------------------------------------------ reviewers

def _subject_name_and_document(case) -> tuple[str | None, str | None, str | None]:
    snap = case.snapshot or {}
    return snap.get("name"), snap.get("document_type"), snap.get("document_number")


def _case_summary(case) -> dict:
    name, document_type, number = _subject_name_and_document(case)
    return {"case_id": case.case_id, "account_id": case.account_id,
            "subject_kind": case.subject_kind, "subject_id": case.subject_id,
            "state": case.state, "case_reason": case.case_reason,
            "case_reason_text": t(f"case.{case.case_reason}") if case.case_reason else None,
            "name": name, "document_type": document_type,
            "masked_document": mask_document(number) if number else None,
            "opened_at": case.opened_at, "closed_at": case.closed_at}


@blp.route("/review/cases", methods=["GET"])
@requires("reviewer")
@blp.arguments(CaseQuery, location="query")
@blp.response(200, CaseList)
def case_queue(query):
    """The reviewers' queue, oldest first."""
    state = None if query["state"] == "all" else query["state"]
    session = db_session()
    rows = repo.cases(session, state, query["limit"], query["offset"])
    return {"cases": [_case_summary(c) for c in rows], "total": repo.count_cases(session, state)}


def _current(case) -> dict | None:
    session = db_session()
    if case.subject_kind == handlers.PERSON:
        person = repo.get_person(session, case.account_id)
        account = repo.get_account(session, case.account_id)
        if person is None:
            return None
        return {"name": person.name, "sex": person.sex,
                "date_of_birth": person.date_of_birth.isoformat(),
                "document_expiry": person.document_expiry.isoformat(),
                "nationality": account.nationality, "document_type": account.document_type,
                "document_number": account.document_number, "review_state": person.review_state}
    c = repo.get_cohabitant(session, case.subject_id)
    if c is None:
        return None
    out = {k: v for k, v in _cohabitant_out(c).items() if k != "rejection"}
    out = {k: (v.isoformat() if hasattr(v, "isoformat") else v) for k, v in out.items()}
    out["deleted"] = c.deleted_at is not None
    return out


def _actor_out(session, actor: str) -> dict:
    """Who, readably: an applicant by the name they gave. Reviewers stay ids: profile never
    learns staff usernames (identity publishes no event for staff accounts)."""
    kind, who = review.actor_parts(actor)
    person = repo.get_person(session, who) if kind == "applicant" else None
    return {"actor_kind": kind, "actor_id": who, "actor_name": person.name if person else None}


def _case_detail(case) -> dict:
    session = db_session()
    out = _case_summary(case)
    # Reviewers compare the full number with the document: shown only here, to staff.
    out.update(finding=case.finding, snapshot=case.snapshot, current=_current(case),
               decided_by=case.decided_by, reason_code=case.reason_code, note=case.note,
               reasons=[{"code": c, "label": t(f"reason.{c}"),
                         "texts": {lang: service_context().catalog.translate(f"reason.{c}", lang)
                                   for lang in LANGUAGES}} for c in review.REVIEWER_REASONS])
    out["history"] = [{
        "at": h.at, "actor": h.actor, **_actor_out(session, h.actor),
        "from_state": h.from_state, "to_state": h.to_state,
        "reason_code": h.reason_code, "note": h.note, "case_id": h.case_id,
        "reason": (t(f"reason.{h.reason_code}") if h.reason_code in review.REASON_CODES
                   else t(f"case.{h.reason_code}") if h.reason_code else None),
    } for h in repo.history(session, case.subject_kind, case.subject_id)]
    return out


@blp.route("/review/cases/<case_id>", methods=["GET"])
@requires("reviewer")
@blp.response(200, CaseDetail)
def case_detail(case_id):
    case = repo.get_case(db_session(), case_id)
    if case is None:
        raise ApiError(404, "review.case_not_found")
    return _case_detail(case)


@blp.route("/review/cases/<case_id>/approve", methods=["POST"])
@requires("reviewer")
@blp.arguments(ApproveIn)
@blp.response(200, CaseDetail)
def approve_case(data, case_id):
    session = db_session()
    case = handlers.decide_case(session, deps(), case_id, current_principal().account_id,
                                approve=True, note=data.get("note"))
    session.commit()
    return _case_detail(case)


@blp.route("/review/cases/<case_id>/reject", methods=["POST"])
@requires("reviewer")
@blp.arguments(RejectIn)
@blp.response(200, CaseDetail)
def reject_case(data, case_id):
    session = db_session()
    case = handlers.decide_case(session, deps(), case_id, current_principal().account_id,
                                approve=False, reason_code=data["reason_code"],
                                note=data.get("note"))
    session.commit()
    return _case_detail(case)


# ------------------------------------------------------------------ operators

@blp.route("/reference-documents", methods=["POST"])
@requires("operator")
@blp.response(200, ImportOut)
def import_reference_documents():
    """Import the reference list (CSV body, see adapters/reference_list.py)."""
    try:
        rows = parse_reference_csv(request.get_data(as_text=True))
    except ReferenceFileError as exc:
        raise ApiError(400, "reference.file_invalid", field="file", problems=str(exc)) from exc
    session = db_session()
    count = handlers.import_references(session, deps(), rows)
    session.commit()
    return {"imported": count, "total": repo.count_references(session)}


@blp.route("/reference-documents", methods=["GET"])
@requires("operator")
@blp.response(200, ImportOut)
def reference_documents_count():
    total = repo.count_references(db_session())
    return {"imported": 0, "total": total}
