"""Wait until the gateway and every service behind it answer their readiness check.

    python -m tools.wait_ready http://localhost:8080 [--timeout 120]
"""

from __future__ import annotations

import argparse
import sys
import time

import requests

from shared.config import REPO_ROOT


def services() -> list[str]:
    return sorted(p.parent.parent.name for p in (REPO_ROOT / "services").glob("*/entrypoints/app.py"))


def wait_ready(base_url: str, timeout: float = 120.0) -> list[str]:
    """Returns the services still not ready when the time ran out (empty when all are)."""
    pending = services()
    deadline = time.monotonic() + timeout
    while pending and time.monotonic() < deadline:
        for service in list(pending):
            try:
                if requests.get(f"{base_url}/api/{service}/ready", timeout=2).status_code == 200:
                    pending.remove(service)
            except requests.RequestException:
                pass
        if pending:
            time.sleep(0.5)
    return pending


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("base_url")
    parser.add_argument("--timeout", type=float, default=120.0)
    args = parser.parse_args()
    pending = wait_ready(args.base_url, args.timeout)
    if pending:
        print(f"not ready after {args.timeout:.0f}s: {', '.join(pending)}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
