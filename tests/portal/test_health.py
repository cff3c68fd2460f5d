"""/health/: each dependency checked, 503 with Retry-After when one fails, never held up."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from unittest import mock

import pytest
from django.db import OperationalError
from django.db.backends.base.base import BaseDatabaseWrapper
from django.test import Client

from portal import health

pytestmark = pytest.mark.django_db

CLOSED_PORT_REDIS = "redis://127.0.0.1:1/0"
CHECK_NAMES = {"database", "cache", "task_queue", "storage_default", "storage_evidence"}


@pytest.fixture(autouse=True)
def _storages_in(tmp_path: Path, settings) -> Path:
    """Both storages in a directory of the test's own."""
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": tmp_path / "media"},
        },
        "evidence": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": tmp_path / "evidence"},
        },
    }
    return tmp_path


@pytest.fixture
def silent_port() -> Iterator[int]:
    """A port that accepts connections and never answers: a hung Redis."""
    with socket.socket() as server:
        server.bind(("127.0.0.1", 0))
        server.listen(8)
        yield server.getsockname()[1]


def _failing(response) -> list[str]:
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    body = response.json()
    assert body["status"] == "unavailable"
    return body["failing"]


def test_every_check_passes_with_its_time(client: Client, tmp_path: Path) -> None:
    response = client.get("/health/")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert set(body["checks"]) == CHECK_NAMES
    for result in body["checks"].values():
        assert result["status"] == "ok"
        assert isinstance(result["ms"], float | int)
        assert 0 <= result["ms"] < 3000
    assert "failing" not in body
    # the probe files are gone again
    assert [p for p in tmp_path.rglob("*") if p.is_file()] == []


def test_the_health_check_is_never_cached(client: Client) -> None:
    assert "no-cache" in client.get("/health/")["Cache-Control"]


def test_a_broken_database_fails_its_check(client: Client) -> None:
    broken = mock.patch.object(
        BaseDatabaseWrapper, "cursor", side_effect=OperationalError("server closed")
    )
    with broken:
        response = client.get("/health/")
    assert "database" in _failing(response)
    result = response.json()["checks"]["database"]
    assert result == {"status": "failed", "ms": result["ms"], "error": "OperationalError"}
    assert "server closed" not in response.content.decode()


def test_a_redis_cache_on_a_closed_port_fails_the_cache_check(client: Client, settings) -> None:
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": CLOSED_PORT_REDIS,
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
    }
    response = client.get("/health/")
    assert _failing(response) == ["cache"]
    assert response.json()["checks"]["cache"]["error"] == "ConnectionError"
    assert "127.0.0.1" not in response.content.decode()


def test_a_working_redis_cache_passes(client: Client, settings) -> None:
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:6379/15",
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
    }
    response = client.get("/health/")
    assert response.status_code == 200, response.json()
    assert response.json()["checks"]["cache"]["status"] == "ok"


def test_the_database_task_queue_is_checked_by_its_table(client: Client, settings) -> None:
    assert health.task_backend() == "db"
    with mock.patch(
        "django_tasks_db.models.DBTaskResult.objects.values_list",
        side_effect=OperationalError("no such table"),
    ):
        response = client.get("/health/")
    assert _failing(response) == ["task_queue"]


def _rq(settings, url: str) -> None:
    settings.TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}}
    settings.RQ_QUEUES = {"default": {"URL": url}}


def test_the_redis_task_queue_passes_when_redis_answers(client: Client, settings) -> None:
    _rq(settings, "redis://127.0.0.1:6379/15")
    assert health.task_backend() == "rq"
    response = client.get("/health/")
    assert response.status_code == 200, response.json()


def test_the_redis_task_queue_fails_on_a_closed_port(client: Client, settings) -> None:
    _rq(settings, CLOSED_PORT_REDIS)
    response = client.get("/health/")
    assert _failing(response) == ["task_queue"]
    assert response.json()["checks"]["task_queue"]["error"] == "ConnectionError"


def test_the_immediate_task_backend_needs_no_service(client: Client, settings) -> None:
    settings.TASKS = {
        "default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"},
    }
    assert health.task_backend() == "none"
    assert client.get("/health/").status_code == 200


@pytest.mark.parametrize("alias", ["default", "evidence"])
def test_a_storage_that_cannot_be_written_fails_its_check(
    client: Client, settings, tmp_path: Path, alias: str
) -> None:
    # A location under a plain file cannot become a directory, even for root.
    blocker = tmp_path / "a-file"
    blocker.write_text("x")
    settings.STORAGES = {
        **settings.STORAGES,
        alias: {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": blocker / "inside"},
        },
    }
    response = client.get("/health/")
    assert _failing(response) == [f"storage_{alias}"]
    assert str(tmp_path) not in response.content.decode()


def test_a_hung_redis_is_cut_off_by_its_socket_timeout(
    client: Client, settings, silent_port: int
) -> None:
    _rq(settings, f"redis://127.0.0.1:{silent_port}/0")
    settings.HEALTH_TIMEOUT = 5
    started = time.monotonic()
    response = client.get("/health/")
    assert time.monotonic() - started < health.REDIS_TIMEOUT + 1.5
    assert _failing(response) == ["task_queue"]
    assert response.json()["checks"]["task_queue"]["error"] == "TimeoutError"


def test_a_check_that_hangs_is_cut_off_at_the_deadline(client: Client, settings) -> None:
    settings.HEALTH_TIMEOUT = 0.5
    release = threading.Event()

    def hangs() -> None:
        release.wait(10)

    checks = {**health.CHECKS, "cache": hangs}
    try:
        with mock.patch.object(health, "CHECKS", checks):
            started = time.monotonic()
            response = client.get("/health/")
            elapsed = time.monotonic() - started
            # while it still hangs, the next request does not start a second one
            again = client.get("/health/")
    finally:
        release.set()
    assert elapsed < 2
    assert _failing(response) == ["cache"]
    assert response.json()["checks"]["cache"] == {"status": "timeout", "ms": 500.0}
    assert again.json()["checks"]["cache"] == {
        "status": "timeout",
        "ms": 0.0,
        "error": "still running",
    }


def test_the_liveness_check_stays_cheap_and_unchanged(client: Client) -> None:
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
