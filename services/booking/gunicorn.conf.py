import os

bind = f"127.0.0.1:{os.environ.get('BOOKING_PORT', '8103')}"
workers = int(os.environ.get("BOOKING_WORKERS") or os.environ.get("WEB_CONCURRENCY") or "2")
threads = int(os.environ.get("BOOKING_THREADS", "8"))
worker_class = "gthread"
timeout = 30
graceful_timeout = 20
keepalive = 10  # s; longer than the gateway's upstream keepalive_timeout: nginx closes first
accesslog = None
