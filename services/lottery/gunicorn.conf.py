import os

bind = f"127.0.0.1:{os.environ.get('LOTTERY_PORT', '8104')}"
workers = int(os.environ.get("LOTTERY_WORKERS", os.environ.get("WEB_CONCURRENCY", "2")))
threads = int(os.environ.get("LOTTERY_THREADS", "4"))
timeout = 120  # a manual draw of a big period runs inside the request
keepalive = 10  # s; longer than the gateway's upstream keepalive_timeout: nginx closes first
accesslog = None  # nginx logs every request; at 20:00 a second log line per call is waste
