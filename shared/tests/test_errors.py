"""One error shape, localized, naming the field (the bar: never a 500 for bad input)."""

import marshmallow as ma
import pytest
from flask.views import MethodView
from flask_smorest import Blueprint

from shared.app import create_service_app
from shared.auth import endpoints_without_access_rule, public, requires
from shared.errors import ApiError
from shared.schemas import ItemCount, StrictBoolean, StrictInteger


class EchoSchema(ma.Schema):
    name = ma.fields.String(required=True, validate=ma.validate.Length(min=1, max=5))
    age = ma.fields.Integer(required=True)
    nickname = ma.fields.String(validate=ma.validate.Length(max=3))
    tags = ma.fields.List(ma.fields.String(), validate=ItemCount(min=1, max=2))
    agreed = StrictBoolean()
    places = StrictInteger(validate=ma.validate.Range(min=0, max=10))


@pytest.fixture
def client():
    app, api = create_service_app("sharedtest")
    bp = Blueprint("echo", __name__, url_prefix="/api/sharedtest")

    @bp.route("/echo")
    class Echo(MethodView):
        @public
        @bp.arguments(EchoSchema)
        def post(self, data):
            if data["name"] == "taken":
                raise ApiError(409, "auth.forbidden", field="name")
            return data

    @bp.route("/mine")
    @requires("applicant")
    def mine():
        return {"ok": True}

    @bp.route("/forgotten")
    def forgotten():
        return {}

    api.register_blueprint(bp)
    app.testing = True
    return app, app.test_client()


def test_missing_and_invalid_fields_are_named_and_localized(client):
    _, http = client
    answer = http.post("/api/sharedtest/echo", json={"name": "toolong", "extra": 1},
                       headers={"X-Lang": "zh-Hant"})
    assert answer.status_code == 400
    error = answer.get_json()["error"]
    assert error["code"] == "error.validation"
    assert set(error["fields"]) == {"name", "age", "extra"}
    assert error["fields"]["age"]["code"] == "field.required"
    assert error["fields"]["age"]["message"] == "此項為必填項"
    assert error["fields"]["name"]["code"] == "field.length_between"
    english = http.post("/api/sharedtest/echo", json={}, headers={"Accept-Language": "en"})
    assert english.get_json()["error"]["fields"]["age"]["message"] == "This field is required"


def _field_errors(http, body, lang="en"):
    answer = http.post("/api/sharedtest/echo", json={"name": "ok", "age": 3, **body},
                       headers={"X-Lang": lang})
    assert answer.status_code == 400
    return answer.get_json()["error"]["fields"]


def test_length_errors_name_the_limit(client):
    _, http = client
    fields = _field_errors(http, {"nickname": "abcd", "tags": ["a", "b", "c"]})
    assert fields["nickname"] == {"code": "field.length_max", "params": {"max": 3},
                                  "message": "Must be at most 3 characters"}
    assert fields["tags"]["code"] == "field.count_between"
    assert fields["tags"]["message"] == "Choose 1 to 2"
    chinese = _field_errors(http, {"nickname": "abcd"}, lang="zh-Hans")
    assert chinese["nickname"]["message"] == "长度不能超过3个字符"


def test_a_text_left_empty_is_required_not_too_short(client):
    _, http = client
    fields = _field_errors(http, {"name": ""}, lang="zh-Hant")
    assert fields["name"] == {"code": "field.required", "message": "此項為必填項"}
    # too long is still about the length, with its limits
    assert _field_errors(http, {"name": "toolong"})["name"]["code"] == "field.length_between"


def test_range_errors_name_the_limits(client):
    _, http = client
    fields = _field_errors(http, {"places": 11})
    assert fields["places"]["code"] == "field.range_between"
    assert fields["places"]["message"] == "Must be between 0 and 10"


@pytest.mark.parametrize("loose", ["yes", 1, "true", 0, None, "on"])
def test_strict_boolean_takes_only_json_true_or_false(client, loose):
    _, http = client
    fields = _field_errors(http, {"agreed": loose})
    assert fields["agreed"]["code"] == ("field.required" if loose is None else "field.boolean")


@pytest.mark.parametrize("loose", ["10", 1.5, True, "1.5", 2.0])
def test_strict_integer_takes_only_json_integers(client, loose):
    _, http = client
    assert _field_errors(http, {"places": loose})["places"]["code"] == "field.integer"


def test_strict_fields_accept_proper_json(client):
    _, http = client
    answer = http.post("/api/sharedtest/echo",
                       json={"name": "ok", "age": 3, "agreed": False, "places": 10})
    assert answer.status_code == 200
    assert answer.get_json()["places"] == 10 and answer.get_json()["agreed"] is False


def test_not_json_is_a_400_not_a_500(client):
    _, http = client
    answer = http.post("/api/sharedtest/echo", data="{broken", content_type="application/json")
    assert 400 <= answer.status_code < 500


def test_api_error_names_its_field(client):
    _, http = client
    answer = http.post("/api/sharedtest/echo", json={"name": "taken", "age": 3})
    assert answer.status_code == 409
    assert answer.get_json()["error"]["field"] == "name"


def test_unknown_route_is_json_404(client):
    _, http = client
    answer = http.get("/api/sharedtest/nothing-here")
    assert answer.status_code == 404
    assert answer.get_json()["error"]["code"] == "error.not_found"


def test_access_rules_are_required_and_enforced(client):
    app, http = client
    assert endpoints_without_access_rule(app) == ["/api/sharedtest/forgotten"]
    assert http.get("/api/sharedtest/mine").status_code == 401


def test_openapi_documents_the_error_shape_for_every_operation(client):
    app, http = client
    spec = http.get("/api/sharedtest/openapi.json").get_json()
    operation = spec["paths"]["/api/sharedtest/echo"]["post"]
    assert "400" in operation["responses"] and "default" in operation["responses"]
    error = spec["components"]["schemas"]["Error"]
    assert "error" in error["properties"]
