"""Prometheus metrics: what each request cost, what the page cache saved, what waits to be sent.

Counted as requests pass (`MetricsMiddleware`, no query of its own): requests by view name,
method and status class, their latency by view, the database queries each one ran (through
`connection.execute_wrapper`, which only counts), and the page cache's hits and misses
(`portal.pagecache`). Read when Prometheus scrapes (`ScrapeCollector`, one query each): the
notification deliveries by status and the task queue's waiting tasks.

With several gunicorn workers each process counts for itself; when PROMETHEUS_MULTIPROC_DIR
is set (before the process starts) prometheus_client keeps the counts in files there and
`/metrics` adds up every worker's (README: Health and metrics).

`/metrics` answers only addresses in `METRICS_ALLOWED_NETWORKS`, and never a request that
came through a proxy: behind nginx every request arrives from nginx's address, which is
internal, so a request carrying a forwarding header is treated as coming from outside.
"""

from __future__ import annotations

import functools
import ipaddress
import logging
import os
import time
from collections.abc import Callable, Iterator

import django
from django.conf import settings
from django.db import connection
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from prometheus_client import (
    CONTENT_TYPE_PLAIN_0_0_4,
    REGISTRY,
    CollectorRegistry,
    Counter,
    Histogram,
    PlatformCollector,
    ProcessCollector,
    generate_latest,
    multiprocess,
)
from prometheus_client.core import GaugeMetricFamily, InfoMetricFamily, Metric

from org.models import Delivery, DeliveryStatus
from portal import health

logger = logging.getLogger(__name__)

# The classic text format, which every Prometheus server reads.
CONTENT_TYPE = CONTENT_TYPE_PLAIN_0_0_4
METHODS = {"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"}
# Headers a proxy adds: a request with one did not come straight from the scraper.
PROXY_HEADERS = (
    "HTTP_X_FORWARDED_FOR",
    "HTTP_X_FORWARDED_PROTO",
    "HTTP_X_FORWARDED_HOST",
    "HTTP_X_REAL_IP",
    "HTTP_FORWARDED",
)

REQUESTS = Counter(
    "portal_http_requests",
    "Requests answered, by view name, method and status class.",
    ["view", "method", "status"],
)
LATENCY = Histogram(
    "portal_http_request_duration_seconds",
    "Time from the first middleware to the response, by view name.",
    ["view"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10),
)
QUERIES = Histogram(
    "portal_db_queries_per_request",
    "Database queries one request ran, by view name.",
    ["view"],
    buckets=(0, 1, 2, 5, 10, 20, 30, 50, 100, 200, 500),
)
PAGE_CACHE = Counter(
    "portal_page_cache_requests",
    "Dashboard parts looked up in the page cache, by page and hit or miss.",
    ["page", "result"],
)


def view_name(request: HttpRequest) -> str:
    """The URL pattern's namespaced name: few and fixed, unlike paths."""
    match = getattr(request, "resolver_match", None)
    if match is not None:
        return match.view_name or "unnamed"
    if request.path.startswith(f"/{settings.STATIC_URL.lstrip('/')}"):
        return "static"  # served by WhiteNoise before any URL is resolved
    return "unmatched"


class QueryCounter:
    """An execute wrapper that counts the queries run through it, nothing else."""

    def __init__(self) -> None:
        self.count = 0

    def __call__(self, execute: Callable, sql: str, params, many: bool, context: dict):
        self.count += 1
        return execute(sql, params, many, context)


class MetricsMiddleware:
    """Counts and times every request; first in MIDDLEWARE, so it sees the whole stack."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        queries = QueryCounter()
        started = time.perf_counter()
        with connection.execute_wrapper(queries):
            response = self.get_response(request)
        elapsed = time.perf_counter() - started
        view = view_name(request)
        method = request.method if request.method in METHODS else "other"
        REQUESTS.labels(view, method, f"{response.status_code // 100}xx").inc()
        LATENCY.labels(view).observe(elapsed)
        QUERIES.labels(view).observe(queries.count)
        return response


def page_cache_lookup(page: str, hit: bool) -> None:
    PAGE_CACHE.labels(page, "hit" if hit else "miss").inc()


class ScrapeCollector:
    """What is read from the database (or Redis) at each scrape, one query per family."""

    def collect(self) -> Iterator[Metric]:
        yield InfoMetricFamily(
            "portal_build",
            "The portal's software.",
            value={"django": django.get_version(), "task_backend": health.task_backend()},
        )
        errors = GaugeMetricFamily(
            "portal_scrape_error",
            "1 when a family read at scrape time could not be read.",
            labels=["family"],
        )
        for name, read in (("deliveries", self.deliveries), ("task_queue", self.task_queue)):
            try:
                family = read()
            except Exception as error:  # a broken dependency must not break the scrape
                logger.warning("metrics: %s unreadable: %r", name, error)
                errors.add_metric([name], 1)
                continue
            errors.add_metric([name], 0)
            if family is not None:
                yield family
        yield errors

    def deliveries(self) -> GaugeMetricFamily:
        rows = (
            Delivery.objects.order_by()
            .values("status")
            .annotate(n=Count("pk"))
            .values_list("status", "n")
        )
        counts = dict(rows)
        family = GaugeMetricFamily(
            "portal_notification_deliveries",
            "Notification deliveries (e-mails) by status, now.",
            labels=["status"],
        )
        for status in DeliveryStatus.values:
            family.add_metric([status], counts.get(status, 0))
        return family

    def task_queue(self) -> GaugeMetricFamily | None:
        kind = health.task_backend()
        family = GaugeMetricFamily(
            "portal_task_queue_ready",
            "Tasks waiting for a worker, by queue.",
            labels=["queue"],
        )
        queues = settings.TASKS["default"].get("QUEUES") or ["default"]
        if kind == "db":
            from django_tasks_db.models import DBTaskResult, TaskResultStatus

            # the partial index on READY rows (django-tasks-db) serves this count
            counts = dict(
                DBTaskResult.objects.filter(status=TaskResultStatus.READY)
                .order_by()
                .values("queue_name")
                .annotate(n=Count("pk"))
                .values_list("queue_name", "n")
            )
            for queue in sorted({*queues, *counts}):
                family.add_metric([queue], counts.get(queue, 0))
        elif kind == "rq":
            from rq import Queue

            for queue in queues:
                client = health.rq_connection(queue)
                try:
                    family.add_metric([queue], Queue(queue, connection=client).count)
                finally:
                    client.close()
        else:
            return None
        return family


def multiprocess_mode() -> bool:
    return bool(os.environ.get("PROMETHEUS_MULTIPROC_DIR"))


def registry() -> CollectorRegistry:
    """Every worker's counts in multiprocess mode, else this process's."""
    if not multiprocess_mode():
        return REGISTRY
    # A registry per scrape, as prometheus_client's multiprocess mode asks; process and
    # platform figures are those of the worker that answers.
    combined = CollectorRegistry()
    multiprocess.MultiProcessCollector(combined)
    ProcessCollector(registry=combined)
    PlatformCollector(registry=combined)
    return combined


class Exposition:
    """The counted metrics followed by those read now."""

    def __init__(self, counted: CollectorRegistry) -> None:
        self.counted = counted

    def collect(self) -> Iterator[Metric]:
        yield from self.counted.collect()
        yield from ScrapeCollector().collect()


def exposition() -> bytes:
    return generate_latest(Exposition(registry()))


@functools.cache
def _networks(spec: tuple[str, ...]) -> tuple[ipaddress.IPv4Network | ipaddress.IPv6Network, ...]:
    return tuple(ipaddress.ip_network(network, strict=False) for network in spec)


def is_internal(request: HttpRequest) -> bool:
    """The request came straight from an address of METRICS_ALLOWED_NETWORKS."""
    if any(header in request.META for header in PROXY_HEADERS):
        return False
    try:
        address = ipaddress.ip_address(request.META.get("REMOTE_ADDR", ""))
    except ValueError:
        return False
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
        address = address.ipv4_mapped
    networks = _networks(tuple(settings.METRICS_ALLOWED_NETWORKS))
    return any(address in network for network in networks)
