"""The lottery's OpenAPI document describes its answers (found by tests/e2e/test_api_contracts.py:
five read endpoints documented only the error `default`, so every success was "undocumented")."""

from __future__ import annotations

import pytest

from services.lottery.entrypoints.app import create_app

pytestmark = pytest.mark.integration


def test_every_operation_documents_its_success_answer(settings):
    document = create_app(settings).test_client().get("/api/lottery/openapi.json").json
    undocumented = [f"{method.upper()} {path}" for path, operations in document["paths"].items()
                    for method, operation in operations.items()
                    if method in ("get", "post", "put", "patch", "delete")
                    and not any(code.startswith("2") for code in operation["responses"])]
    assert undocumented == []
