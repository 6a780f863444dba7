"""Render the config and run nginx in the foreground (for honcho / the Procfile).

    python -m gateway.run

NGINX_BIN overrides the nginx binary (default: `nginx` on PATH, else /usr/sbin/nginx).
"""

from __future__ import annotations

import os
import shutil
import sys

from gateway.render import write_config


def nginx_binary() -> str:
    return os.environ.get("NGINX_BIN") or shutil.which("nginx") or "/usr/sbin/nginx"


def main() -> None:
    config = write_config()
    print(f"gateway: nginx with {config}", flush=True)
    binary = nginx_binary()
    # -e: startup errors go to stderr (the process manager's log), not /var/log/nginx.
    os.execv(binary, [binary, "-e", "stderr", "-c", str(config), "-g", "daemon off;"])


if __name__ == "__main__":
    sys.exit(main())
