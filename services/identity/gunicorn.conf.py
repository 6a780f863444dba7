"""gunicorn settings of the identity API: `gunicorn -c services/identity/gunicorn.conf.py
'services.identity.entrypoints.app:create_app()'`."""

import os

bind = f"127.0.0.1:{os.environ.get('IDENTITY_PORT', '8101')}"
workers = int(os.environ.get("IDENTITY_WORKERS", "2"))
threads = int(os.environ.get("IDENTITY_THREADS", "4"))  # argon2 releases the GIL
timeout = 30
keepalive = 10  # s; longer than the gateway's upstream keepalive_timeout: nginx closes first
graceful_timeout = 20
accesslog = "-"
proc_name = "hs-identity"
