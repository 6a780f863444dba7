"""Create the development JWT key pair if it is missing: `python -m shared.keys`."""

from __future__ import annotations

import os
import sys

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


if __name__ == "__main__":
    created = ensure_keys()
    print("created JWT key pair" if created else "JWT key pair present")
    sys.exit(0)
