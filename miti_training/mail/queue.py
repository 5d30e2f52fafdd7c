"""Background mail queue (RQ on Redis), used when REDIS_URL is set.

After the commit, the mail package hands each message to enqueue_or_none(); a `flask worker`
process runs send_email() inside an app context and delivers with the configured backend.
When Redis cannot be reached the caller delivers in-process: mail is never lost.
"""

import dataclasses
import logging

from flask import current_app
from redis import Redis
from redis.exceptions import RedisError
from rq import Queue, Retry

from miti_training.mail.delivery import deliver
from miti_training.mail.render import OutgoingEmail

log = logging.getLogger(__name__)

QUEUE_NAME = "mail"
RETRY_INTERVALS = [10, 30, 60, 300, 900]


def redis_connection(url: str | None = None) -> Redis:
    """One Redis client per URL and app (its connection pool is shared)."""
    url = url or current_app.config["REDIS_URL"]
    clients = current_app.extensions.setdefault("miti_redis", {})
    if url not in clients:
        clients[url] = Redis.from_url(url, socket_connect_timeout=2, socket_timeout=5)
    return clients[url]


def mail_queue(connection: Redis | None = None) -> Queue:
    return Queue(QUEUE_NAME, connection=connection or redis_connection())


def enqueue_or_none(message: OutgoingEmail):
    """Queue one message for the worker; the job, or None if Redis is unreachable."""
    try:
        return mail_queue().enqueue(
            send_email,
            dataclasses.asdict(message),
            retry=Retry(max=len(RETRY_INTERVALS), interval=RETRY_INTERVALS),
            description=f"mail {message.id}",
        )
    except RedisError:
        log.exception("Redis unreachable: mail %s is sent in-process", message.id)
        return None


def send_email(message: dict) -> None:
    """The worker's job: deliver one message (a raised error makes RQ retry it)."""
    deliver(OutgoingEmail(**message))
