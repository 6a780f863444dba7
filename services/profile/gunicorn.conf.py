"""gunicorn settings for the profile API: `gunicorn -c services/profile/gunicorn.conf.py
'services.profile.entrypoints.app:create_app()'`."""

import os

bind = f"127.0.0.1:{os.environ.get('PROFILE_PORT', '8102')}"
workers = int(os.environ.get("PROFILE_WORKERS", "2"))
threads = int(os.environ.get("PROFILE_THREADS", "4"))
worker_class = "gthread"
timeout = 30
keepalive = 10  # s; longer than the gateway's upstream keepalive_timeout: nginx closes first
graceful_timeout = 20
accesslog = "-"
# Engines are built in create_app, i.e. in each worker after the fork (preload stays off).
preload_app = False
