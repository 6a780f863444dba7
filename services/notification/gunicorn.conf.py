"""gunicorn -c services/notification/gunicorn.conf.py 'services.notification.entrypoints.app:create_app()'"""

import os

bind = f"127.0.0.1:{os.environ.get('NOTIFICATION_PORT', '8105')}"
workers = int(os.environ.get("NOTIFICATION_WORKERS", "2"))
threads = 2
timeout = 30
keepalive = 10  # s; longer than the gateway's upstream keepalive_timeout: nginx closes first
graceful_timeout = 20
accesslog = "-"
