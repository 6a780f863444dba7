"""Bad input is refused with the field named, in the chosen language (R1.2, R4.1, R4.2, R4.3,
R6.1, R6.2), and nothing already stored is lost."""

import json
from pathlib import Path

import pytest

from services.profile.tests.helpers import years_before
from services.profile.tests.integration import payloads

pytestmark = pytest.mark.integration
LANGS = ("zh-Hans", "zh-Hant", "en")
MESSAGES = Path(__file__).resolve().parents[2] / "messages"


def text(key: str, lang: str, **params) -> str:
    return json.loads((MESSAGES / f"{lang}.json").read_text())[key].format(**params)


@pytest.fixture(scope="module")
def family(request):
    """One applicant with personal information approved and three cohabitants (the maximum)."""
    registered = request.getfixturevalue("registered")
    applicant = registered()
    assert applicant.call("put", "/me/personal-info",
                          json=payloads.personal_info()).status_code == 200
    for body in (payloads.spouse(), payloads.child(), payloads.child(name="陈小华")):
        assert applicant.call("post", "/me/cohabitants", json=body).status_code == 201
    return applicant


@pytest.fixture(scope="module")
def single(request):
    registered = request.getfixturevalue("registered")
    applicant = registered()
    assert applicant.call("put", "/me/personal-info",
                          json=payloads.personal_info()).status_code == 200
    return applicant


@pytest.fixture(scope="module")
def registered(client_module, broker, settings, app):
    import uuid

    from services.profile.tests.integration.conftest import (
        Applicant,
        account_known,
        register,
        wait_for,
    )

    def make():
        account_id = str(uuid.uuid4())
        register(broker, settings, account_id)
        wait_for(account_known(app, account_id))
        return Applicant(client_module, account_id)
    return make


@pytest.fixture(scope="module")
def client_module(app):
    return app.test_client()


@pytest.mark.parametrize("lang", LANGS)
def test_r6_2_a_fourth_cohabitant_is_refused(family, lang):
    response = family.call("post", "/me/cohabitants", lang=lang,
                           json=payloads.child(name="陈小四"))
    assert response.status_code == 409
    error = response.json["error"]
    assert error["field"] == "cohabitants"
    assert error["message"] == text("cohabitants.too_many", lang, limit=3)
    assert len(family.me()["cohabitants"]) == 3  # nothing lost, nothing added


@pytest.mark.parametrize("lang", LANGS)
def test_r6_2_a_cousin_is_refused(single, lang):
    response = single.call("post", "/me/cohabitants", lang=lang, json=payloads.child(
        relation="cousin", category="underlying_illness"))
    assert response.status_code == 400
    field = response.json["error"]["fields"]["relation"]
    assert field["message"] == text("cohabitant.relation_not_allowed", lang)


@pytest.mark.parametrize("lang", LANGS)
def test_r6_1_a_30_year_old_minor_is_refused(single, lang):
    response = single.call("post", "/me/cohabitants", lang=lang, json=payloads.child(
        date_of_birth=years_before(payloads.TODAY, 30).isoformat()))
    assert response.status_code == 400
    field = response.json["error"]["fields"]["category"]
    assert field["message"] == text("cohabitant.category_child_age", lang)


@pytest.mark.parametrize("lang", LANGS)
def test_r4_3_an_expired_document_is_refused(single, lang):
    response = single.call("post", "/me/cohabitants", lang=lang,
                           json=payloads.spouse(document_expiry="2026-12-03"))
    assert response.status_code == 400
    assert response.json["error"]["fields"]["document_expiry"]["message"] == text(
        "document.expired", lang)
    response = single.call("put", "/me/personal-info", lang=lang,
                           json=payloads.personal_info(document_expiry="2026-12-03"))
    assert response.status_code == 400
    assert response.json["error"]["fields"]["document_expiry"]["message"] == text(
        "document.expired", lang)


@pytest.mark.parametrize("lang", LANGS)
def test_r4_1_a_hong_kong_number_with_7_digits_is_refused(single, lang):
    response = single.call("put", "/me/personal-info", lang=lang,
                           json=payloads.personal_info(hk_mobile="9123456"))
    assert response.status_code == 400
    assert response.json["error"]["fields"]["hk_mobile"]["message"] == text(
        "person.hk_mobile_format", lang)


@pytest.mark.parametrize("lang", LANGS)
def test_r4_2_neither_mobile_is_refused(single, lang):
    response = single.call("put", "/me/personal-info", lang=lang,
                           json=payloads.personal_info(hk_mobile="", mainland_mobile=None))
    assert response.status_code == 400
    fields = response.json["error"]["fields"]
    for name in ("hk_mobile", "mainland_mobile"):
        assert fields[name]["message"] == text("person.mobile_one_required", lang)
    # what was stored before is still there
    assert single.me()["person"]["hk_mobile"] == "91234567"


def test_messages_differ_by_language(single):
    seen = {single.call("put", "/me/personal-info", lang=lang,
                        json=payloads.personal_info(hk_mobile="1"))
            .json["error"]["fields"]["hk_mobile"]["message"] for lang in LANGS}
    assert len(seen) == 3


def test_malformed_input_is_a_400_naming_the_field_never_a_500(single):
    for body in ({"name": 5}, {**payloads.personal_info(), "date_of_birth": "1985-13-45"},
                 {**payloads.personal_info(), "nationality": "HK"}):
        response = single.call("put", "/me/personal-info", json=body)
        assert response.status_code == 400, response.json
        assert response.json["error"]["fields"]
    response = single.call("post", "/me/cohabitants", data="not json",
                           content_type="application/json")
    assert response.status_code == 400


@pytest.mark.parametrize("lang", LANGS)
def test_a_cohabitants_nationality_must_be_one_identity_knows(single, lang):
    """Two letters are not enough: "XX" is no nationality anyone could register with."""
    response = single.call("post", "/me/cohabitants", lang=lang,
                           json=payloads.spouse(nationality="XX", document_type="passport",
                                                document_number="K1234567"))
    assert response.status_code == 400
    field = response.json["error"]["fields"]["nationality"]
    assert field["code"] == "cohabitant.nationality_unknown"
    assert field["message"] == text("cohabitant.nationality_unknown", lang)


@pytest.mark.parametrize(("relation", "born", "key"), [
    ("child", "1980-01-01", "cohabitant.descendant_older"),
    ("grandchild_via_son", "1985-03-01", "cohabitant.descendant_older"),
    ("parent", "1990-01-01", "cohabitant.ancestor_younger"),
    ("maternal_grandparent", "1985-03-03", "cohabitant.ancestor_younger"),
])
def test_r6_2_the_relation_must_fit_the_birth_dates(single, relation, born, key):
    """The applicant was born on 1985-03-02: a child born before, or a parent after, cannot be."""
    response = single.call("post", "/me/cohabitants", lang="en", json=payloads.child(
        relation=relation, date_of_birth=born, category="underlying_illness"))
    assert response.status_code == 400
    field = response.json["error"]["fields"]["relation"]
    assert (field["code"], field["message"]) == (key, text(key, "en"))


def test_r6_2_a_parent_older_and_a_child_born_the_same_day_are_accepted(registered):
    applicant = registered()
    assert applicant.call("put", "/me/personal-info",
                          json=payloads.personal_info()).status_code == 200
    for relation, born in (("parent", "1950-01-01"), ("child", "1985-03-02")):
        response = applicant.call("post", "/me/cohabitants", json=payloads.child(
            relation=relation, date_of_birth=born, category="underlying_illness"))
        assert response.status_code == 201, response.json


@pytest.mark.parametrize("lang", LANGS)
def test_r4_1_one_submission_reports_schema_and_rule_errors_together(single, lang):
    """A date that is no date (schema) and four broken rules: all five in one answer."""
    response = single.call("put", "/me/personal-info", lang=lang, json=payloads.personal_info(
        date_of_birth="1985-13-45", hk_mobile="9123456", document_expiry="2026-12-03",
        origin="NOWHERE", consent=False))
    assert response.status_code == 400
    fields = response.json["error"]["fields"]
    assert {name: f["code"] for name, f in fields.items()} == {
        "date_of_birth": "field.invalid_date", "hk_mobile": "person.hk_mobile_format",
        "document_expiry": "document.expired", "origin": "person.origin_unknown",
        "consent": "person.consent_required"}
    assert fields["origin"]["message"] == text("person.origin_unknown", lang)
    assert single.me()["person"]["origin"] == "HK-YTM"  # nothing stored


@pytest.mark.parametrize("loose", ["yes", 1, "true"])
def test_r4_1_consent_must_be_a_json_true(single, loose):
    response = single.call("put", "/me/personal-info", lang="en",
                           json=payloads.personal_info(consent=loose))
    assert response.status_code == 400
    assert response.json["error"]["fields"]["consent"]["code"] == "field.boolean"


def test_no_mainland_id_must_be_a_json_boolean(single):
    response = single.call("post", "/me/cohabitants",
                           json=payloads.permit_child_without_id_card(no_mainland_id="yes"))
    assert response.status_code == 400
    assert response.json["error"]["fields"]["no_mainland_id"]["code"] == "field.boolean"
