"""Keys: the development JWT key pair (`python -m shared.keys` creates it if missing) and the
shared HMAC keys of slip codes and captcha tokens."""

from __future__ import annotations

import os
import secrets
import sys
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from shared.config import load_settings


def ensure_keys(settings=None) -> bool:
    settings = settings or load_settings("identity")
    private, public = settings.jwt_private_key_path, settings.jwt_public_key_path
    if private.exists() and public.exists():
        return False
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    private.parent.mkdir(parents=True, exist_ok=True)
    private.write_bytes(key.private_bytes(serialization.Encoding.PEM,
                                          serialization.PrivateFormat.PKCS8,
                                          serialization.NoEncryption()))
    os.chmod(private, 0o600)
    public.write_bytes(key.public_key().public_bytes(serialization.Encoding.PEM,
                                                     serialization.PublicFormat.SubjectPublicKeyInfo))
    return True


def hmac_key(settings, name: str) -> bytes:
    """A secret shared by the replicas (and services) that use it: `<NAME>_KEY` (hex) or a key
    file (`<NAME>_KEY_PATH`, default var/keys/<name>.key), created on first use outside
    production with an atomic create-if-absent, so concurrent starts agree on one key."""
    env = name.upper()
    explicit = os.environ.get(f"{env}_KEY")
    if explicit:
        return bytes.fromhex(explicit)
    path = Path(os.environ.get(f"{env}_KEY_PATH") or settings.var_dir / "keys" / f"{name}.key")
    if not path.exists():
        if settings.is_production:
            raise RuntimeError(f"{name} key missing: set {env}_KEY or create {path}")
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(f".{secrets.token_hex(4)}.tmp")
        tmp.write_text(secrets.token_hex(32))
        os.chmod(tmp, 0o600)
        try:
            os.link(tmp, path)
        except FileExistsError:
            pass
        tmp.unlink()
    return bytes.fromhex(path.read_text().strip())


HMAC_KEYS = ("captcha", "booking_slip")  # captcha: identity and booking; slips: booking


if __name__ == "__main__":
    created = ensure_keys()
    print("created JWT key pair" if created else "JWT key pair present")
    for name in HMAC_KEYS:
        hmac_key(load_settings("identity"), name)
    print(f"HMAC keys present: {', '.join(HMAC_KEYS)}")
    sys.exit(0)
