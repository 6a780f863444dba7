"""Schema errors from flask-smorest get the one localized error shape (shared/errors.py), not
flask-smorest's own 422 body: the error handlers are registered after the Api."""

from flask.views import MethodView
from flask_smorest import Blueprint
from marshmallow import Schema, fields

from shared.app import create_service_app
from shared.auth import public


class _In(Schema):
    name = fields.String(required=True)


def test_schema_errors_use_the_shared_shape_and_language():
    app, api = create_service_app("shapetest")
    blp = Blueprint("shape", __name__, url_prefix="/api/shapetest")

    @blp.route("/things")
    class Things(MethodView):
        @public
        @blp.arguments(_In)
        def post(self, data):
            return data

    api.register_blueprint(blp)
    response = app.test_client().post("/api/shapetest/things", json={},
                                      headers={"X-Lang": "en"})
    assert response.status_code == 400
    error = response.get_json()["error"]
    assert error["code"] == "error.validation"
    assert error["fields"]["name"] == {"code": "field.required",
                                       "message": "This field is required"}
