"""The load balancer's readiness checks: database, cache, task queue and file storages.

Each check is a small function that raises when its dependency does not answer. `run_checks`
runs them side by side, each in a thread of its own, and waits at most `HEALTH_TIMEOUT`
seconds for all of them: a dependency that hangs is reported as `timeout` and the answer is
not held up. The checks also carry their own bounds (a statement timeout on PostgreSQL, a
socket timeout on Redis), so their threads end soon after; while one is still running a
new request does not start it again, which keeps a hung dependency from piling up threads.

A result names the check, its time in milliseconds and, for a failure, the class of the
error only: the body is public, so no message, host name or setting goes into it (the log
has the details).
"""

from __future__ import annotations

import logging
import secrets
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import caches
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.db import connections, transaction

logger = logging.getLogger(__name__)

# Bounds of each dependency's own client, in seconds (the thread deadline is the backstop).
STATEMENT_TIMEOUT_MS = 2000
REDIS_TIMEOUT = 1.5
PROBE = b"ok"


def check_database() -> None:
    """One SELECT on a connection of this thread, given back at the end."""
    connection = connections["default"]
    try:
        if connection.vendor == "postgresql":
            # SET LOCAL lasts for this transaction only: the pooled connection keeps no trace.
            with transaction.atomic(), connection.cursor() as cursor:
                cursor.execute(f"SET LOCAL statement_timeout = {STATEMENT_TIMEOUT_MS}")
                cursor.execute("SELECT 1")
        else:
            # No transaction: on SQLite an IMMEDIATE one would wait for any writer.
            with connection.cursor() as cursor:
                cursor.execute("SELECT 1")
    finally:
        connection.close()


def check_cache() -> None:
    """The page cache keeps and gives back a value (each worker's memory, or Redis)."""
    cache = caches["default"]
    key = f"health:{secrets.token_hex(8)}"
    cache.set(key, PROBE, 10)
    try:
        if cache.get(key) != PROBE:
            raise LookupError("the cache did not give the value back")
    finally:
        cache.delete(key)


def task_backend() -> str:
    """`db`, `rq` or `none` (the immediate and dummy backends need no service)."""
    backend = settings.TASKS["default"]["BACKEND"]
    if backend.endswith("DatabaseBackend"):
        return "db"
    if backend.endswith("RQBackend"):
        return "rq"
    return "none"


def rq_connection(queue: str = "default"):
    """A Redis client for the RQ queue with short socket timeouts."""
    import redis

    url = settings.RQ_QUEUES[queue]["URL"]
    return redis.Redis.from_url(
        url, socket_connect_timeout=REDIS_TIMEOUT, socket_timeout=REDIS_TIMEOUT
    )


def check_task_queue() -> None:
    """The queue the workers read: its table, or its Redis."""
    kind = task_backend()
    if kind == "db":
        from django_tasks_db.models import DBTaskResult

        try:
            DBTaskResult.objects.values_list("pk").first()
        finally:
            connections["default"].close()
    elif kind == "rq":
        client = rq_connection()
        try:
            client.ping()
        finally:
            client.close()


def storage_check(alias: str) -> Callable[[], None]:
    """Writes, reads back and deletes a tiny file in the `alias` storage."""

    def check() -> None:
        storage = storages[alias]
        name = storage.save(f"health-probe-{secrets.token_hex(8)}.txt", ContentFile(PROBE))
        try:
            with storage.open(name, "rb") as probe:
                if probe.read() != PROBE:
                    raise LookupError("the storage did not give the file back")
        finally:
            storage.delete(name)

    check.__doc__ = f"The {alias} storage keeps, gives back and deletes a file."
    return check


CHECKS: dict[str, Callable[[], None]] = {
    "database": check_database,
    "cache": check_cache,
    "task_queue": check_task_queue,
    "storage_default": storage_check("default"),
    "storage_evidence": storage_check("evidence"),
}


@dataclass
class Outcome:
    """One check's result: `ok`, `failed` or `timeout`, with the error's class name."""

    status: str = "timeout"
    ms: float = 0.0
    error: str = ""

    def as_json(self) -> dict[str, object]:
        body: dict[str, object] = {"status": self.status, "ms": self.ms}
        if self.error:
            body["error"] = self.error
        return body


_running: set[str] = set()
_lock = threading.Lock()


def _run(name: str, check: Callable[[], None], outcome: Outcome) -> None:
    started = time.perf_counter()
    try:
        check()
    except Exception as error:  # any failure of the dependency is the answer, not a crash
        logger.warning("health check %s failed: %r", name, error)
        outcome.error = type(error).__name__
        outcome.status = "failed"
    else:
        outcome.status = "ok"
    finally:
        outcome.ms = round((time.perf_counter() - started) * 1000, 1)
        with _lock:
            _running.discard(name)


def run_checks(checks: dict[str, Callable[[], None]] | None = None) -> dict[str, Outcome]:
    """Every check's outcome, within `HEALTH_TIMEOUT` seconds all together."""
    checks = CHECKS if checks is None else checks
    limit = settings.HEALTH_TIMEOUT
    deadline = time.perf_counter() + limit
    late = Outcome("timeout", round(limit * 1000, 1))
    started: dict[str, tuple[threading.Thread, Outcome]] = {}
    outcomes: dict[str, Outcome] = {}
    for name, check in checks.items():
        with _lock:
            busy = name in _running
            _running.add(name)
        if busy:  # the previous request's check has not come back yet
            outcomes[name] = Outcome("timeout", 0.0, "still running")
            continue
        outcome = Outcome()
        thread = threading.Thread(
            target=_run, args=(name, check, outcome), name=f"health-{name}", daemon=True
        )
        thread.start()
        started[name] = (thread, outcome)
    for name, (thread, outcome) in started.items():
        thread.join(max(0.0, deadline - time.perf_counter()))
        if thread.is_alive():
            logger.warning("health check %s did not answer within %s s", name, limit)
            outcomes[name] = late
        else:
            outcomes[name] = outcome
    return {name: outcomes[name] for name in checks}
