"""The RQ "mail" queue on Redis (REDIS_URL): a fast path from the commit to the worker.

After the commit, the mail package queues each message's id; the `flask worker` process runs
send_queued(), which sends it through mail.sending (claimed, so a message queued twice, or also
found by the sweep, goes out once). When Redis cannot be reached, the message simply waits in
the outbox for the worker's sweep: nothing is lost and the request is not held up.
"""

import logging
import time

from flask import current_app
from redis import Redis
from redis.exceptions import RedisError
from rq import Queue, SimpleWorker

from miti_training.mail import sending

log = logging.getLogger(__name__)

QUEUE_NAME = "mail"
#: After a failure, Redis is not asked again for this many seconds (no timeout per request).
PAUSE_AFTER_FAILURE = 5.0
_DOWN_UNTIL = "miti_redis_down_until"


def redis_connection(url: str | None = None) -> Redis:
    """One Redis client per URL and app (its connection pool is shared), with short timeouts."""
    url = url or current_app.config["REDIS_URL"]
    clients = current_app.extensions.setdefault("miti_redis", {})
    if url not in clients:
        timeout = current_app.config["REDIS_TIMEOUT"]
        clients[url] = Redis.from_url(url, socket_connect_timeout=timeout, socket_timeout=timeout)
    return clients[url]


def mail_queue(connection: Redis | None = None) -> Queue:
    return Queue(QUEUE_NAME, connection=connection or redis_connection())


class MailWorker(SimpleWorker):
    """The worker of the "mail" queue. SimpleWorker runs jobs in this process: no forked child
    shares the pooled connections with the sweeping thread.

    RQ listens for its control commands in a thread that waits up to a minute for each
    message, and stopping the worker now waits for that thread: a burst run or a shutdown
    would hang for a minute. Waiting a second at a time ends it within a second.
    """

    #: How long the control-channel listener waits for a message before looking again.
    LISTEN_SECONDS = 1

    def subscribe(self):
        self.pubsub = self.connection.pubsub()
        self.pubsub.subscribe(**{self.pubsub_channel_name: self.handle_payload})
        self.pubsub_thread = self.pubsub.run_in_thread(
            sleep_time=self.LISTEN_SECONDS,
            daemon=True,
            exception_handler=self._pubsub_exception_handler,
        )


def mail_worker(connection: Redis) -> MailWorker:
    return MailWorker([QUEUE_NAME], connection=connection)


def enqueue(message_ids: list[str]) -> bool:
    """Queue the messages for the worker; False (they wait in the outbox) if Redis is down."""
    extensions = current_app.extensions
    if extensions.get(_DOWN_UNTIL, 0.0) > time.monotonic():
        return False
    try:
        queue = mail_queue()
        for message_id in message_ids:
            queue.enqueue(send_queued, message_id, description=f"mail {message_id}")
    except RedisError as error:
        extensions[_DOWN_UNTIL] = time.monotonic() + PAUSE_AFTER_FAILURE
        log.warning("Redis unreachable: mail waits in the outbox for the worker (%s)", error)
        return False
    return True


def send_queued(message_id: str) -> None:
    """The worker's job: send one message unless it was sent already or someone holds it."""
    sending.send(message_id)


def send_email(message: dict) -> None:
    """Jobs queued before the outbox existed carry the whole message: deliver it as before."""
    from miti_training.mail.delivery import deliver
    from miti_training.mail.render import OutgoingEmail

    deliver(OutgoingEmail(**message))
