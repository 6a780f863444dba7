"""A request whose database connection dies under it (a PostgreSQL restart) still gets its
answer: closing the request's session then fails, and that must not turn into gunicorn's bare
500 page (seen in tests/e2e/test_faults_database.py)."""

import pytest
from sqlalchemy import text

from shared.app import create_service_app, db_session
from shared.config import load_settings
from shared.db import drop_database, ensure_database, make_engine

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def database_url():
    url = load_settings("sharedtest").database_url
    created = ensure_database(url)
    yield url
    if created:
        drop_database(url)


def test_a_connection_killed_mid_request_does_not_fail_the_teardown(database_url):
    app, _ = create_service_app("sharedtest")
    admin = make_engine(database_url, pool_size=1)

    @app.route("/api/sharedtest/killed")
    def killed():
        pid = db_session().execute(text("SELECT pg_backend_pid()")).scalar()  # a transaction
        with admin.connect() as conn:
            conn.execute(text("SELECT pg_terminate_backend(:p)"), {"p": pid})
        return {"ok": True}

    app.testing = True  # teardown errors propagate to the test client
    try:
        answer = app.test_client().get("/api/sharedtest/killed")
        assert answer.status_code == 200 and answer.get_json() == {"ok": True}
        with app.app_context():  # the pool has no broken connection left for the next request
            assert db_session().execute(text("SELECT 1")).scalar() == 1
    finally:
        admin.dispose()
        app.extensions["hs"].engine.dispose()
