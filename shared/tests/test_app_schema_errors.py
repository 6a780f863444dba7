"""Schema errors of flask-smorest views come out in the shared error shape: 400, localized,
naming the field (flask-smorest's own handler would answer 422 in its own shape)."""

from flask_smorest import Blueprint
from marshmallow import Schema, fields, validate

from shared.app import create_service_app
from shared.auth import public


class Args(Schema):
    limit = fields.Integer(load_default=10, validate=validate.Range(min=1, max=100))


def test_query_schema_errors_use_the_shared_error_shape():
    app, api = create_service_app("schemacheck")
    blp = Blueprint("things", __name__, url_prefix="/api/schemacheck")

    @blp.route("/things")
    @blp.arguments(Args, location="query")
    @public
    def things(args):
        return {"limit": args["limit"]}

    api.register_blueprint(blp)
    client = app.test_client()
    assert client.get("/api/schemacheck/things?limit=5").get_json() == {"limit": 5}
    response = client.get("/api/schemacheck/things?limit=500", headers={"X-Lang": "en"})
    assert response.status_code == 400
    error = response.get_json()["error"]
    assert error["code"] == "error.validation"
    assert error["fields"]["limit"] == {"code": "field.range", "message": "Out of range"}
    assert client.get("/api/schemacheck/nothing").get_json()["error"]["code"] == "error.not_found"
