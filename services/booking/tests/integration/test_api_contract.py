"""Booking's OpenAPI document describes its answers (found by tests/e2e/test_api_contracts.py:
eleven operations documented only the error `default`, so every success was "undocumented")."""

from __future__ import annotations

from datetime import timedelta

import pytest
import schemathesis
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance, status_code_conformance

from .conftest import apply, at, cohabitant, operator_headers
from .test_applying import set_places

pytestmark = pytest.mark.integration

CHECKS = [not_a_server_error, status_code_conformance, response_schema_conformance]


@pytest.fixture
def schema(app):
    return schemathesis.openapi.from_wsgi("/api/booking/openapi.json", app)


def test_every_operation_documents_its_success_answer(app):
    document = app.test_client().get("/api/booking/openapi.json").json
    undocumented = [f"{method.upper()} {path}" for path, operations in document["paths"].items()
                    for method, operation in operations.items()
                    if method in ("get", "post", "put", "patch", "delete")
                    and not any(code.startswith("2") for code in operation["responses"])]
    assert undocumented == []


def test_answers_with_real_data_conform_to_the_document(schema, client, clock, period, make_party):
    party = make_party(cohabitants=[cohabitant("Chan Siu Ming")])
    days = set_places(client, period)
    clock.set(at(period, 10, 0), frozen=True)
    assert apply(client, party, days[:2]).status_code == 201

    def check(path, method, headers, query=None):
        case = schema[path][method].Case(headers=headers, query=query)
        case.call_and_validate(checks=CHECKS)

    check("/api/booking/applications", "GET", party.headers)
    check("/api/booking/applications/confirmation", "GET", party.headers,
          {"dates": days[2].isoformat()})
    check("/api/booking/reservations", "GET", party.headers)
    check("/api/booking/me/status", "GET", party.headers)
    operator = operator_headers()
    check("/api/booking/capacities", "GET", operator,
          {"from": days[0].isoformat(), "to": (days[0] + timedelta(days=5)).isoformat()})
    check("/api/booking/settings/disable-policy", "GET", operator)
    check("/api/booking/accounts/disabled", "GET", operator)
