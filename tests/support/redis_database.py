"""The Redis database the tests may empty, used by one test at a time.

A lock file keeps two pytest-xdist workers, or two runs of the suite on one machine, from
emptying the database under each other.
"""

import fcntl
import os
import re
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from redis import Redis
from redis.exceptions import RedisError

from tests.conftest import IN_CI

REDIS_TEST_URL = os.environ.get("REDIS_URL_FOR_TESTS", "redis://127.0.0.1:6379/15")


def require_redis() -> Redis:
    """Skip without Redis on a laptop; fail in CI, where it must be there."""
    connection = Redis.from_url(REDIS_TEST_URL, socket_connect_timeout=2)
    try:
        connection.ping()
    except RedisError as error:
        if IN_CI:
            pytest.fail(f"CI=true but Redis is not reachable at {REDIS_TEST_URL}: {error}")
        pytest.skip(f"Redis not reachable at {REDIS_TEST_URL} (set REDIS_URL_FOR_TESTS): {error}")
    return connection


@contextmanager
def emptied_redis() -> Iterator[Redis]:
    """The test database, emptied before and after, held for this test alone."""
    connection = require_redis()
    name = re.sub(r"\W+", "-", REDIS_TEST_URL)
    lock_path = Path(tempfile.gettempdir()) / f"miti-training-tests-{name}.lock"
    with lock_path.open("a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            connection.flushdb()
            yield connection
            connection.flushdb()
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)
            connection.close()
