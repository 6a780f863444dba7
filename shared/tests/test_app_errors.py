"""shared.app: schema errors of flask-smorest views use the one localized error shape."""

from flask.views import MethodView
from flask_smorest import Blueprint
from marshmallow import Schema, fields

from shared.app import create_service_app
from shared.auth import public


class _Body(Schema):
    when = fields.Date(required=True)


def test_schema_errors_are_400_in_the_shared_shape_not_smorests_422():
    app, api = create_service_app("errtest")
    blp = Blueprint("errtest", __name__, url_prefix="/api/errtest")

    @blp.route("/thing")
    class Thing(MethodView):
        @public
        @blp.arguments(_Body)
        def post(self, body):
            return {"ok": True}

    api.register_blueprint(blp)
    response = app.test_client().post("/api/errtest/thing", json={"when": "nope"},
                                      headers={"X-Lang": "en"})
    assert response.status_code == 400
    error = response.json["error"]
    assert error["code"] == "error.validation"
    assert error["fields"]["when"]["code"] == "field.invalid_date"
    assert error["fields"]["when"]["message"] == "Invalid date"
