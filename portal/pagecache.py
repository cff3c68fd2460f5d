"""Rendered parts of the leaders' pages, cached until the data under them changes.

A dashboard part is cached under a key made of everything its HTML depends on: the page,
the templates' release, the language, today's date (overdue counts move at midnight), the
data version, and a hash of the units it shows and the query string. Two users share an
entry only when they would see exactly the same units with the same filters, so nothing
leaks across scopes; the parts hold no user name, form token or nonce.

`DataVersion` moves after every committed save or delete of a watched model (once per
transaction), so a change shows on the next request in every worker process; the timeout
bounds what a write made outside Django (raw SQL, a restore) can leave stale. Set
`PAGE_CACHE_SECONDS=0` to render every request.
"""

from __future__ import annotations

import datetime
import functools
import hashlib
from collections.abc import Callable, Iterable
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models import F
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

from portal.models import DataVersion

# Everything the dashboards, the province view and a commune's page read.
WATCHED = (
    "portal.Unit",
    "portal.Cluster",
    "portal.Field",
    "plans.Period",
    "plans.PeriodRule",
    "plans.CommunePlan",
    "plans.PlanItem",
    "plans.ProgressReport",
    "plans.TargetResult",
    "plans.TaskProgress",
    "plans.ReportSummary",
    "plans.CriteriaSet",
    "plans.Criterion",
    "plans.Indicator",
    "plans.Assessment",
    "plans.IndicatorResult",
    "plans.NtmAssignment",
    "plans.Rating",
    "inspections.Visit",
    "inspections.Directive",
)
WATCHED_M2M = ("portal.Cluster.members",)
RELEASE_SUFFIXES = {".py", ".html", ".mo"}


def data_version() -> int:
    return DataVersion.objects.filter(pk=1).values_list("value", flat=True).first() or 0


def bump() -> None:
    """Move the version now (outside a transaction, or when told a bulk write happened)."""
    if not DataVersion.objects.filter(pk=1).update(value=F("value") + 1):
        DataVersion.objects.get_or_create(pk=1, defaults={"value": 1})


def changed(sender=None, using: str = "default", **kwargs) -> None:
    """Signal receiver: move the version when the current transaction commits, once."""
    connection = transaction.get_connection(using)
    if not connection.in_atomic_block:
        bump()
        return
    # A rolled-back savepoint drops its callbacks, so this finds only live ones.
    if not any(func is bump for _sids, func, _robust in connection.run_on_commit):
        # robust: the change is committed; a failed bump must not turn it into an error page.
        transaction.on_commit(bump, using=using, robust=True)


def _m2m_changed(sender=None, action: str = "", using: str = "default", **kwargs) -> None:
    if action.startswith("post_"):
        changed(sender, using=using)


def connect() -> None:
    for label in WATCHED:
        model = apps.get_model(label)
        post_save.connect(changed, sender=model, dispatch_uid=f"pagecache-save-{label}")
        post_delete.connect(changed, sender=model, dispatch_uid=f"pagecache-delete-{label}")
    for path in WATCHED_M2M:
        label, field = path.rsplit(".", 1)
        through = getattr(apps.get_model(label), field).through
        m2m_changed.connect(_m2m_changed, sender=through, dispatch_uid=f"pagecache-m2m-{path}")


@functools.cache
def release() -> str:
    """Changes with the code, templates and translations, so a deployment never serves parts
    the previous release rendered into a shared cache."""
    base = Path(settings.BASE_DIR)
    files = sorted(
        (str(path.relative_to(base)), path.stat().st_mtime_ns)
        for folder in ("portal", "plans", "inspections", "templates", "locale")
        for path in (base / folder).rglob("*")
        if path.suffix in RELEASE_SUFFIXES
    )
    return hashlib.sha256(repr(files).encode()).hexdigest()[:8]


def cache_key(request: HttpRequest, page: str, scope: Iterable[int], today: datetime.date) -> str:
    query = sorted((k, v) for k, values in request.GET.lists() for v in values)
    digest = hashlib.sha256(repr((sorted(scope), query)).encode()).hexdigest()[:32]
    version = data_version()
    return f"page:{page}:{release()}:{get_language()}:{today:%Y%m%d}:{version}:{digest}"


def cached_parts(
    request: HttpRequest,
    page: str,
    scope: Iterable[int],
    build: Callable[[], dict],
    templates: dict[str, str],
) -> dict[str, SafeString]:
    """Each of `templates` rendered with the context `build()` returns, or the cached HTML
    of an earlier identical request."""
    seconds = settings.PAGE_CACHE_SECONDS
    key = cache_key(request, page, scope, timezone.localdate()) if seconds else ""
    parts = cache.get(key) if key else None
    if parts is None:
        context = build()
        parts = {name: render_to_string(t, context, request) for name, t in templates.items()}
        if key:
            cache.set(key, parts, seconds)
    return {name: mark_safe(html) for name, html in parts.items()}  # noqa: S308 - our templates
