"""Render the gateway's nginx config from `gateway/nginx.conf.template`.

    python -m gateway.render            # writes var/nginx/nginx.conf, prints its path
    python -m gateway.render --output /tmp/x/nginx.conf

Environment (defaults fit the local machine):
    GATEWAY_PORT 8080, GATEWAY_BIND 127.0.0.1 (0.0.0.0 in a container)
    <SERVICE>_PORT (IDENTITY_PORT 8101 … NOTIFICATION_PORT 8105), <SERVICE>_HOST 127.0.0.1
    GATEWAY_WEB_ROOT gateway/web/dist, GATEWAY_VAR_DIR var/nginx, HS_VAR_DIR var
    GATEWAY_RATE_LIMIT_EXEMPT "127.0.0.0/8 ::1": addresses without the per-address ceiling
    GATEWAY_TRUSTED_PROXIES "": proxies whose X-Forwarded-For names the real client
    GATEWAY_RATE_<ZONE>_<KIND> e.g. GATEWAY_RATE_LOGIN_DEVICE=10r/m, _BURST suffix for bursts
    NGINX_USER: worker user when started as root (default: root, see below)
"""

from __future__ import annotations

import argparse
import ipaddress
import os
import re
import sys
from pathlib import Path

from shared.config import REPO_ROOT, SERVICE_PORTS

TEMPLATE = Path(__file__).resolve().parent / "nginx.conf.template"
PLACEHOLDER = re.compile(r"\{\{([A-Z0-9_]+)\}\}")

# (rate, burst) per zone. Device limits are what one person plausibly needs (with room for
# typos and captcha refreshes); address ceilings allow a large shared address.
RATE_LIMITS = {
    "LOGIN_DEVICE": ("10r/m", 10),
    "LOGIN_ADDRESS": ("50r/s", 200),
    "REGISTER_DEVICE": ("10r/m", 20),
    "REGISTER_ADDRESS": ("20r/s", 100),
    "CAPTCHA_DEVICE": ("30r/m", 30),
    "CAPTCHA_ADDRESS": ("100r/s", 300),
}
RATE_FORMAT = re.compile(r"^\d+r/[sm]$")


def _env(env: dict, name: str, default: str) -> str:
    value = env.get(name)
    return default if value in (None, "") else value


def _networks(value: str, variable: str) -> list[str]:
    networks = []
    for item in value.replace(",", " ").split():
        try:
            networks.append(str(ipaddress.ip_network(item, strict=False)))
        except ValueError as exc:
            raise SystemExit(f"{variable}: {item!r} is not an address or network") from exc
    return networks


def _user_directive(env: dict) -> str:
    # nginx only switches users when started as root. Its default worker user (nobody) may
    # not read a work tree under a private home directory, so as root we keep root unless
    # NGINX_USER says otherwise; as a normal user the directive would only warn.
    user = env.get("NGINX_USER")
    if user:
        return f"user {user};"
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        return "user root;"
    return "# (not started as root: workers run as the current user)"


def values_from_env(env: dict | None = None) -> dict[str, str]:
    env = dict(os.environ if env is None else env)
    hs_var = Path(_env(env, "HS_VAR_DIR", str(REPO_ROOT / "var")))
    var_dir = Path(_env(env, "GATEWAY_VAR_DIR", str(hs_var / "nginx"))).resolve()
    public_dir = Path(_env(env, "GATEWAY_PUBLIC_DIR", str(hs_var / "public"))).resolve()
    web_root = Path(_env(env, "GATEWAY_WEB_ROOT", str(REPO_ROOT / "gateway" / "web" / "dist")))
    port = int(_env(env, "GATEWAY_PORT", "8080"))
    bind = _env(env, "GATEWAY_BIND", "127.0.0.1")
    listen = f"[{bind}]:{port}" if ":" in bind else f"{bind}:{port}"

    values = {
        "USER_DIRECTIVE": _user_directive(env),
        "VAR_DIR": str(var_dir),
        "WEB_ROOT": str(web_root.resolve()),
        # the /public/ location maps to <parent>/public/
        "PUBLIC_PARENT": str(public_dir.parent),
        "LISTEN": listen,
        "MIME_TYPES": _env(env, "NGINX_MIME_TYPES", "/etc/nginx/mime.types"),
    }
    if public_dir.name != "public":
        raise SystemExit("GATEWAY_PUBLIC_DIR must end in /public (it is served at /public/)")
    for service, default_port in SERVICE_PORTS.items():
        host = _env(env, f"{service.upper()}_HOST", "127.0.0.1")
        service_port = int(_env(env, f"{service.upper()}_PORT", str(default_port)))
        values[f"{service.upper()}_ADDR"] = f"{host}:{service_port}"

    # Set but empty means "no exemption" (the gateway's own tests use that).
    exempt_value = env.get("GATEWAY_RATE_LIMIT_EXEMPT", "127.0.0.0/8 ::1")
    exempt = _networks(exempt_value, "GATEWAY_RATE_LIMIT_EXEMPT")
    values["RATE_EXEMPT_ENTRIES"] = "\n".join(f"        {net} 1;" for net in exempt)

    trusted = _networks(env.get("GATEWAY_TRUSTED_PROXIES", ""), "GATEWAY_TRUSTED_PROXIES")
    values["REAL_IP"] = "\n".join(
        [f"        set_real_ip_from {net};" for net in trusted]
        + (["        real_ip_header X-Forwarded-For;", "        real_ip_recursive on;"]
           if trusted else []))

    for zone, (rate, burst) in RATE_LIMITS.items():
        rate = _env(env, f"GATEWAY_RATE_{zone}", rate)
        if not RATE_FORMAT.match(rate):
            raise SystemExit(f"GATEWAY_RATE_{zone}: {rate!r} is not like 10r/m or 5r/s")
        values[f"{zone}_RATE"] = rate
        values[f"{zone}_BURST"] = str(int(_env(env, f"GATEWAY_RATE_{zone}_BURST", str(burst))))
    return values


def render(values: dict[str, str], template: str | None = None) -> str:
    text = TEMPLATE.read_text(encoding="utf-8") if template is None else template
    missing = sorted(set(PLACEHOLDER.findall(text)) - set(values))
    if missing:
        raise KeyError(f"no value for placeholders: {', '.join(missing)}")
    return PLACEHOLDER.sub(lambda m: values[m.group(1)], text)


def write_config(output: Path | None = None, env: dict | None = None) -> Path:
    values = values_from_env(env)
    var_dir = Path(values["VAR_DIR"])
    for sub in ("tmp/client_body", "tmp/proxy", "tmp/fastcgi", "tmp/uwsgi", "tmp/scgi",
                "tmp/cache"):
        (var_dir / sub).mkdir(parents=True, exist_ok=True)
    Path(values["PUBLIC_PARENT"], "public").mkdir(parents=True, exist_ok=True)
    output = (output or var_dir / "nginx.conf").resolve()
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(render(values), encoding="utf-8")
    return output


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--output", type=Path, help="where to write (default var/nginx/nginx.conf)")
    args = parser.parse_args(argv)
    print(write_config(args.output))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
