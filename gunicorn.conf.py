"""gunicorn settings for production: every value can be changed from the environment.

gunicorn -c gunicorn.conf.py "miti_training:create_app('production')"
"""

import os
import shutil
import tempfile

from prometheus_client import multiprocess

bind = os.environ.get("GUNICORN_BIND", f"127.0.0.1:{os.environ.get('PORT', '8000')}")
#: Processes: two per core is a good start for an app that mostly waits on PostgreSQL.
workers = int(os.environ.get("WEB_CONCURRENCY", str(2 * (os.cpu_count() or 1))))
#: Threads per process (gthread worker): requests waiting on the database overlap.
threads = int(os.environ.get("GUNICORN_THREADS", "4"))
worker_class = "gthread"
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = int(os.environ.get("GUNICORN_GRACEFUL_TIMEOUT", "30"))
keepalive = int(os.environ.get("GUNICORN_KEEPALIVE", "5"))
#: Recycle workers now and then so a slow leak can never take a host down.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "5000"))
max_requests_jitter = max_requests // 10

accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-")
errorlog = "-"
#: Client, request line, status, bytes, milliseconds, and the request id the app answered with.
access_log_format = '%(h)s "%(r)s" %(s)s %(B)s %(M)sms request_id=%({x-request-id}o)s agent="%(a)s"'

#: Metrics of every worker are written here and summed at /metrics.
os.environ.setdefault(
    "PROMETHEUS_MULTIPROC_DIR", os.path.join(tempfile.gettempdir(), f"miti-metrics-{os.getpid()}")
)


def on_starting(server):
    """Start with an empty metrics directory: old workers' counters are not ours."""
    path = os.environ["PROMETHEUS_MULTIPROC_DIR"]
    shutil.rmtree(path, ignore_errors=True)
    os.makedirs(path, exist_ok=True)


def child_exit(server, worker):
    """Keep a dead worker's counters but drop its live gauges."""
    multiprocess.mark_process_dead(worker.pid)


#: Seconds a thread may run before another thread waiting for the interpreter gets a turn.
SWITCH_INTERVAL = float(os.environ.get("GUNICORN_SWITCH_INTERVAL", "0.001"))


def post_fork(server, worker):
    """A request whose database answer has arrived waits for the interpreter while another
    thread computes, by default up to 5 ms: a registration does so holding its programme's
    row lock, between its statement and its COMMIT. A shorter interval hands the interpreter
    over sooner, so the lock is released sooner; it costs a little more switching."""
    import sys

    sys.setswitchinterval(SWITCH_INTERVAL)


def post_worker_init(worker):
    """Compile the email templates before the worker takes requests (see compile_templates)."""
    from miti_training.mail.render import compile_templates

    app = worker.wsgi
    with app.app_context():
        compile_templates(app)
