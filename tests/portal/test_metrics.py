"""/metrics: the Prometheus text format, counting what came before, for internal eyes only."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.test import Client, RequestFactory
from django.test.utils import CaptureQueriesContext
from prometheus_client.parser import text_string_to_metric_families

from org.models import Delivery, DeliveryStatus, Notification, User
from portal import metrics

pytestmark = pytest.mark.django_db


def scrape(client: Client | None = None) -> dict[tuple[str, tuple], float]:
    """Every sample of /metrics, parsed by prometheus_client's own parser, by name and
    labels."""
    response = (client or Client()).get("/metrics")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain; version=0.0.4")
    samples = {}
    for family in text_string_to_metric_families(response.content.decode()):
        for sample in family.samples:
            samples[(sample.name, tuple(sorted(sample.labels.items())))] = sample.value
    return samples


def value(samples: dict, name: str, **labels: str) -> float:
    return samples.get((name, tuple(sorted(labels.items()))), 0.0)


def test_the_metrics_parse_and_count_a_request_made_before(client: Client) -> None:
    key = {"view": "portal:health", "method": "GET", "status": "2xx"}
    before = value(scrape(), "portal_http_requests_total", **key)
    assert client.get("/healthz").status_code == 200
    after = scrape()
    assert value(after, "portal_http_requests_total", **key) == before + 1
    assert value(after, "portal_http_request_duration_seconds_count", view="portal:health") >= 1
    assert value(after, "process_resident_memory_bytes") > 0
    assert ("portal_build_info", ()) not in after  # it carries labels


def test_status_classes_and_unmatched_paths_are_counted(login) -> None:
    client = login("myqui")
    key = {"view": "unmatched", "method": "GET", "status": "4xx"}
    before = value(scrape(), "portal_http_requests_total", **key)
    assert client.get("/khong-co-trang-nay/").status_code == 404
    assert value(scrape(), "portal_http_requests_total", **key) == before + 1


def test_the_queries_of_a_request_are_counted(login) -> None:
    client = login("vanphong")
    name = "portal_db_queries_per_request_sum"
    before = value(scrape(), name, view="portal:ping")
    with CaptureQueriesContext(connection) as captured:
        assert client.get("/ping/").status_code == 200
    ran = len(captured)  # read now: the next request empties the log it reads
    assert ran > 0
    assert value(scrape(), name, view="portal:ping") == before + ran


def test_the_middleware_adds_no_query_to_a_page(login, settings) -> None:
    user = User.objects.get(username="vanphong")

    def count() -> int:
        client = Client()
        client.force_login(user)
        client.get("/ping/")  # the session's first touch out of the way
        with CaptureQueriesContext(connection) as captured:
            assert client.get("/dashboard/", {"year": 2022}).status_code == 200
        return len(captured)

    with_metrics = count()
    settings.MIDDLEWARE = [
        m for m in settings.MIDDLEWARE if m != "portal.metrics.MetricsMiddleware"
    ]
    assert count() == with_metrics


def test_page_cache_hits_and_misses_are_counted(login, settings) -> None:
    settings.PAGE_CACHE_SECONDS = 300
    cache.clear()
    client = login("vanphong")
    before = scrape()
    client.get("/dashboard/", {"year": 2022})
    client.get("/dashboard/", {"year": 2022})
    after = scrape()
    cache.clear()
    key = {"page": "dashboard:unit"}
    for result in ("hit", "miss"):
        moved = value(after, "portal_page_cache_requests_total", **key, result=result)
        moved -= value(before, "portal_page_cache_requests_total", **key, result=result)
        assert moved == 1, result


def test_notification_deliveries_are_read_by_status_at_scrape_time() -> None:
    user = User.objects.get(username="myqui")
    before = scrape()
    for n in range(2):
        notification = Notification.objects.create(
            recipient=user, kind="plan_returned", subject="x", url="/", key=f"metrics-test:{n}"
        )
        Delivery.objects.create(notification=notification, channel="email", status="failed")
    after = scrape()
    for status in DeliveryStatus.values:
        moved = value(after, "portal_notification_deliveries", status=status) - value(
            before, "portal_notification_deliveries", status=status
        )
        assert moved == (2 if status == DeliveryStatus.FAILED else 0), status
    # one query for the deliveries, one for the task queue
    with CaptureQueriesContext(connection) as captured:
        Client().get("/metrics")
    assert len(captured) == 2


def test_the_database_task_queue_depth_is_read(settings) -> None:
    assert value(scrape(), "portal_task_queue_ready", queue="default") >= 0
    assert value(scrape(), "portal_scrape_error", family="task_queue") == 0


def test_an_unreadable_family_is_flagged_not_fatal(settings) -> None:
    settings.TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}}
    settings.RQ_QUEUES = {"default": {"URL": "redis://127.0.0.1:1/0"}}
    samples = scrape()
    assert value(samples, "portal_scrape_error", family="task_queue") == 1
    assert value(samples, "portal_scrape_error", family="deliveries") == 0


@pytest.mark.parametrize(
    ("address", "status"),
    [
        ("127.0.0.1", 200),
        ("10.1.2.3", 200),
        ("172.20.0.9", 200),
        ("192.168.1.20", 200),
        ("::1", 200),
        ("::ffff:127.0.0.1", 200),
        ("203.0.113.5", 404),
        ("172.32.0.1", 404),
        ("2001:db8::1", 404),
        ("", 404),
    ],
)
def test_only_internal_addresses_see_the_metrics(address: str, status: int) -> None:
    assert Client(REMOTE_ADDR=address).get("/metrics").status_code == status


def test_a_request_through_a_proxy_is_from_outside() -> None:
    # behind nginx the address is nginx's own (internal); what it adds gives it away
    for header in ("HTTP_X_FORWARDED_FOR", "HTTP_X_FORWARDED_PROTO", "HTTP_X_REAL_IP"):
        assert (
            Client(REMOTE_ADDR="127.0.0.1", **{header: "203.0.113.5"}).get("/metrics").status_code
            == 404
        )


def test_an_outside_post_is_a_404_too() -> None:
    assert Client(REMOTE_ADDR="203.0.113.5").post("/metrics").status_code == 404
    assert Client().post("/metrics").status_code == 405


def test_a_head_request_is_answered_from_inside() -> None:
    assert Client().head("/metrics").status_code == 200


def test_the_allowed_networks_are_a_setting(settings) -> None:
    settings.METRICS_ALLOWED_NETWORKS = ["203.0.113.0/24"]
    assert Client(REMOTE_ADDR="203.0.113.5").get("/metrics").status_code == 200
    assert Client(REMOTE_ADDR="127.0.0.1").get("/metrics").status_code == 404


def test_a_bad_network_stops_the_start() -> None:
    result = subprocess.run(
        [sys.executable, "-c", "from portal import settings"],
        env={**os.environ, "METRICS_ALLOWED_NETWORKS": "10.0.0.0/8,not-a-net"},
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode != 0
    assert "METRICS_ALLOWED_NETWORKS" in result.stderr


def test_the_view_name_of_static_files() -> None:
    assert metrics.view_name(RequestFactory().get("/static/css/portal.css")) == "static"


REQUESTS_IN_A_WORKER = """
import django, sys
django.setup()
from django.test import Client
from prometheus_client.parser import text_string_to_metric_families
client = Client(HTTP_HOST="127.0.0.1")
for _ in range(int(sys.argv[1])):
    assert client.get("/ping/").status_code == 302
if sys.argv[2] == "scrape":
    text = client.get("/metrics").content.decode()
    for family in text_string_to_metric_families(text):
        for sample in family.samples:
            if sample.name == "portal_http_requests_total":
                if sample.labels["view"] == "portal:ping":
                    print(int(sample.value))
"""


def test_multiprocess_mode_adds_up_every_worker(tmp_path) -> None:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "portal.settings",
        "PROMETHEUS_MULTIPROC_DIR": str(tmp_path),
        "DATABASE_URL": f"sqlite:///{tmp_path / 'unused.sqlite3'}",
    }

    def worker(requests: int, then: str) -> str:
        return subprocess.run(  # noqa: S603 - this interpreter, our script
            [sys.executable, "-c", REQUESTS_IN_A_WORKER, str(requests), then],
            env=env,
            cwd=settings.BASE_DIR,
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()

    worker(2, "")
    worker(3, "")
    assert worker(1, "scrape") == "6"  # 2 + 3 + 1, from three processes
