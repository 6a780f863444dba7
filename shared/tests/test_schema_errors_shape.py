"""A schema error of a flask-smorest route is answered in the shared error shape (400, field
named, localized), not flask-smorest's own 422: create_service_app registers our handlers after
Api() so they are not replaced."""

from flask_smorest import Blueprint
from marshmallow import Schema, fields

from shared.app import create_service_app
from shared.auth import public


class _Body(Schema):
    name = fields.String(required=True)


def test_schema_error_is_a_localized_400_naming_the_field():
    app, api = create_service_app("profile")
    blp = Blueprint("probe", __name__, url_prefix="/api/profile")

    @blp.route("/probe", methods=["POST"])
    @public
    @blp.arguments(_Body)
    def probe(data):
        return data

    api.register_blueprint(blp)
    response = app.test_client().post("/api/profile/probe", json={}, headers={"X-Lang": "en"})
    assert response.status_code == 400
    error = response.get_json()["error"]
    assert error["code"] == "error.validation"
    assert error["fields"]["name"] == {"code": "field.required",
                                       "message": "This field is required"}
    app.extensions["hs"].engine.dispose()
