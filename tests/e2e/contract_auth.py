"""Schemathesis hooks module (SCHEMATHESIS_HOOKS=tests.e2e.contract_auth) for test_api_contracts.

With HS_FUZZ_LOGIN set to '{"url": ..., "document_type": ..., "document_number": ..., "password": ...}'
every generated request carries a bearer token got by logging in through the gateway. The token is
fetched again after a 401, since the fuzzer itself may log the session out
(DELETE /api/identity/sessions/current). Without HS_FUZZ_LOGIN the requests go unauthenticated.
"""

from __future__ import annotations

import json
import os

import requests
import schemathesis

LOGIN = json.loads(os.environ["HS_FUZZ_LOGIN"]) if os.environ.get("HS_FUZZ_LOGIN") else None


if LOGIN:

    @schemathesis.auth(refresh_interval=120, retry_on=[401])
    class GatewayLogin:
        def get(self, case, context):
            answer = requests.post(LOGIN["url"], timeout=10, json={
                "document_type": LOGIN["document_type"],
                "document_number": LOGIN["document_number"],
                "password": LOGIN["password"]})
            answer.raise_for_status()
            return answer.json()["access_token"]

        def set(self, case, data, context):
            case.headers = {**(case.headers or {}), "Authorization": f"Bearer {data}"}
