"""API contract fuzzing: schemathesis over every service's OpenAPI document, through the gateway.

For each service (discovered as tests/e2e/system.py does) and each caller (nobody, an applicant
registered through identity, an admin, who holds the reviewer and operator roles), schemathesis
generates requests from the document (its examples, the coverage phase's boundary and invalid
values, then random fuzzing) and checks every answer:
- not_a_server_error: never a 5xx (the bar: "bad input gets a clear 4xx, never a 500");
- status_code_conformance: the status code is documented;
- response_schema_conformance: the body conforms to the documented schema (every operation
  documents shared.schemas.ErrorSchema as `default`, so each error must be in our one shape).
Every request also has a timeout, so a hung request is a failure too.

Bounded: a few examples per operation, no shrinking, a fixed seed (HS_FUZZ_SEED overrides it,
HS_FUZZ_EXAMPLES the examples per operation); on failure the test prints schemathesis' report
with a curl command reproducing each failure.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
import requests

from shared.config import REPO_ROOT
from tests.e2e.accounts import Login, create_staff, register_applicant

pytestmark = pytest.mark.e2e

SERVICES = sorted(p.parent.parent.name for p in (REPO_ROOT / "services").glob("*/entrypoints/app.py"))
CALLERS = ["anonymous", "applicant", "admin"]
CHECKS = "not_a_server_error,status_code_conformance,response_schema_conformance"
SEED = os.environ.get("HS_FUZZ_SEED", "20261204")
EXAMPLES = os.environ.get("HS_FUZZ_EXAMPLES", "8")
RUN_TIMEOUT = 240


@pytest.fixture(scope="module")
def callers(system) -> dict[str, Login | None]:
    applicant = register_applicant(system.gateway_url)
    admin = create_staff(system, "admin")
    for login in (applicant, admin):  # the tokens really open the handlers
        me = requests.get(f"{system.gateway_url}/api/identity/accounts/me", timeout=10,
                          headers={"Authorization": f"Bearer {login.access_token}"})
        assert me.status_code == 200, me.text
    return {"anonymous": None, "applicant": applicant, "admin": admin}


def run_schemathesis(system, service: str, login: Login | None, report_dir: Path):
    document_url = f"{system.gateway_url}/api/{service}/openapi.json"
    env = dict(system.env, SCHEMATHESIS_HOOKS="tests.e2e.contract_auth", NO_COLOR="1",
               COLUMNS="120")
    env.pop("HS_FUZZ_LOGIN", None)
    if login:
        env["HS_FUZZ_LOGIN"] = json.dumps(
            {"url": f"{system.gateway_url}/api/identity/sessions", **login.as_login_body()})
    command = [str(Path(sys.executable).with_name("schemathesis")), "run", document_url,
               "--checks", CHECKS, "--phases", "examples,coverage,fuzzing",
               "--max-examples", EXAMPLES, "--seed", SEED, "--no-shrink", "--workers", "1",
               "--request-timeout", "15", "--output-truncate", "true",
               "--report", "junit", "--report-dir", str(report_dir)]
    return subprocess.run(command, cwd=REPO_ROOT, env=env, capture_output=True, text=True,
                          timeout=RUN_TIMEOUT)


@pytest.mark.parametrize("caller", CALLERS)
@pytest.mark.parametrize("service", SERVICES)
def test_every_answer_is_documented_and_never_a_server_error(system, callers, service, caller,
                                                             tmp_path):
    document = requests.get(f"{system.gateway_url}/api/{service}/openapi.json", timeout=10)
    assert document.status_code == 200
    assert document.json()["paths"], f"{service} documents no operation"

    result = run_schemathesis(system, service, callers[caller], tmp_path)

    output = result.stdout + result.stderr
    failures = output[output.find("=== FAILURES"):] if "=== FAILURES" in output else output[-6000:]
    assert result.returncode == 0, (
        f"schemathesis found contract violations in {service} as {caller}"
        f" (seed {SEED}):\n{failures[-15000:]}")
    assert "generated" in output and " passed" in output, output[-3000:]
