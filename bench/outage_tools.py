"""Helpers of bench/outage.sh: an SMTP sink that counts what it receives, a mail generator,
and the outbox's own count.

    python bench/outage_tools.py sink --port 2525 --out sink.json
    python bench/outage_tools.py mail --base http://127.0.0.1:8300 --count 50 --out mail.json
    python bench/outage_tools.py outbox            # against DATABASE_URL
"""

import argparse
import json
import re
import signal
import sys
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.cluster_data import official_email  # noqa: E402


def sink(port: int, out: Path) -> None:
    """Receive mail until SIGTERM, writing the running totals to out twice a second."""
    from tests.support.servers import SmtpSink

    server = SmtpSink(port)
    server.start()
    running = True

    def stop(*_):
        nonlocal running
        running = False

    signal.signal(signal.SIGTERM, stop)
    while running:
        ids = server.message_ids()
        counts = Counter(ids)
        summary = {
            "received": len(ids),
            "distinct": len(counts),
            "duplicates": sum(n - 1 for n in counts.values()),
        }
        out.write_text(json.dumps(summary))
        time.sleep(0.5)
    server.stop()


def mail(base: str, count: int, out: Path, pause: float) -> None:
    """Ask for count password resets (one email each), recording every answer's status."""
    import requests

    statuses: Counter = Counter()
    for n in range(count):
        session = requests.Session()
        try:
            form = session.get(f"{base}/account/forgot-password", timeout=10)
            token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', form.text)
            if form.status_code != 200 or token is None:
                statuses[f"form {form.status_code}"] += 1
                continue
            answer = session.post(
                f"{base}/account/forgot-password",
                data={"csrf_token": token.group(1), "email": official_email(n % 50 + 1)},
                allow_redirects=False,
                timeout=10,
            )
            statuses[str(answer.status_code)] += 1
        except requests.RequestException as error:
            statuses[type(error).__name__] += 1
        time.sleep(pause)
    out.write_text(json.dumps(dict(statuses)))


def outbox() -> None:
    """Rows of the outbox: sent, unsent, and the attempts they took."""
    from sqlalchemy import func, select

    from miti_training import create_app
    from miti_training.extensions import db
    from miti_training.models import OutboxMessage

    with create_app().app_context():
        sent = db.session.scalar(select(func.count()).where(OutboxMessage.sent_at.is_not(None)))
        unsent = db.session.scalar(select(func.count()).where(OutboxMessage.sent_at.is_(None)))
        retried = db.session.scalar(select(func.count()).where(OutboxMessage.attempts > 1))
    print(json.dumps({"sent": sent, "unsent": unsent, "retried": retried}))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("command", choices=["sink", "mail", "outbox"])
    parser.add_argument("--port", type=int, default=2525)
    parser.add_argument("--base", default="http://127.0.0.1:8300")
    parser.add_argument("--count", type=int, default=50)
    parser.add_argument("--pause", type=float, default=0.1)
    parser.add_argument("--out", type=Path)
    args = parser.parse_args()
    if args.command == "sink":
        sink(args.port, args.out)
    elif args.command == "mail":
        mail(args.base, args.count, args.out, args.pause)
    else:
        outbox()


if __name__ == "__main__":
    main()
