"""Rendered parts of the leaders' pages, cached until the data under them changes.

A dashboard part is cached under a key made of everything its HTML depends on: the page,
the templates' release, the language, today's date (overdue counts move at midnight), the
data version, and a hash of the units it shows and the query string. Two users share an
entry only when they would see exactly the same units with the same filters, so nothing
leaks across scopes; the parts hold no user name, form token or nonce.

A province's `DataVersion` moves after every committed transaction that saved or deleted a
watched row of one of its units, once, so a change shows on the next request in every worker
process while other provinces' entries stay valid. Rows shared by every unit (fields,
periods, criteria), unit trees, cluster membership and rows whose owner is gone by commit
time move the shared version (scope 0), which every key holds. The timeout bounds what a
write made outside Django (raw SQL, a restore) can leave stale. Set `PAGE_CACHE_SECONDS=0`
to render every request.
"""

from __future__ import annotations

import datetime
import functools
import hashlib
from collections import defaultdict
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

from org.models import UNIT_TREE_DEPTH, Unit
from org.params import remembered_year, year_param
from org.signals import bulk_saved
from portal import metrics
from portal.models import DataVersion

EVERYTHING = 0  # the version of data that every page may show (fields, periods, criteria)

# Everything the dashboards, the province view and a commune's page read, with how to find
# the unit a row belongs to: (kind of key, attribute). None: shared by every unit, or too
# rare to be worth more than moving every version (units and their tree).
WATCHED: dict[str, tuple[str, str] | None] = {
    "org.Unit": None,
    "org.Cluster": ("unit", "unit_id"),
    "org.Field": None,
    "plans.Period": None,
    "plans.PeriodRule": ("unit", "unit_id"),
    "plans.CommunePlan": ("unit", "unit_id"),
    "plans.PlanItem": ("plan", "plan_id"),
    "plans.ProgressReport": ("plan", "plan_id"),
    "plans.TargetResult": ("report", "report_id"),
    "plans.TaskProgress": ("report", "report_id"),
    "plans.ReportSummary": ("unit", "unit_id"),
    "ntm.CriteriaSet": None,
    "ntm.Criterion": None,
    "ntm.Indicator": None,
    "ntm.Assessment": ("unit", "unit_id"),
    "ntm.IndicatorResult": ("assessment", "assessment_id"),
    "ntm.NtmAssignment": ("unit", "unit_id"),
    "ntm.Rating": ("unit", "unit_id"),
    "inspections.Visit": ("unit", "host_id"),
    "inspections.Directive": ("unit", "unit_id"),
}
WATCHED_M2M = ("org.Cluster.members",)
RELEASE_SUFFIXES = {".py", ".html", ".mo"}
# The unit columns of the rows behind the other kinds of key.
OWNERS = {
    "plan": ("plans.CommunePlan", "unit_id"),
    "report": ("plans.ProgressReport", "plan__unit_id"),
    "assessment": ("ntm.Assessment", "unit_id"),
}
ANCESTRY = ("pk", *("__".join(["parent"] * n) for n in range(1, UNIT_TREE_DEPTH + 1)))


def roots(unit_ids: Iterable[int]) -> dict[int, int]:
    """Each unit's top-level unit (its province), in one query."""
    return {
        row[0]: next(pk for pk in reversed(row) if pk is not None)
        for row in Unit.objects.filter(pk__in=set(unit_ids)).values_list(*ANCESTRY)
    }


def data_version(root: int) -> str:
    """The version of what pages under `root` show: its own and the shared one."""
    versions = dict(
        DataVersion.objects.filter(scope__in=(EVERYTHING, root)).values_list("scope", "value")
    )
    return f"{versions.get(EVERYTHING, 0)}.{versions.get(root, 0)}"


def bump(scopes: Iterable[int] = (EVERYTHING,)) -> None:
    """Move these versions now (all pages: the default, e.g. after a bulk write)."""
    for scope in sorted(set(scopes)):
        if not DataVersion.objects.filter(scope=scope).update(value=F("value") + 1):
            DataVersion.objects.get_or_create(scope=scope, defaults={"value": 1})


class Pending:
    """What a transaction changed, gathered from its signals; moves the versions once it
    commits (an `on_commit` callback)."""

    def __init__(self) -> None:
        self.keys: dict[str, set[int]] = defaultdict(set)
        self.everything = False

    def add(self, key: tuple[str, str] | None, instance) -> None:
        if key is None:
            self.everything = True
        else:
            kind, attribute = key
            value = getattr(instance, attribute)
            if value is None:
                self.everything = True
            else:
                self.keys[kind].add(value)

    def scopes(self) -> set[int]:
        if self.everything:
            return {EVERYTHING}
        units = set(self.keys.get("unit", ()))
        for kind, (label, column) in OWNERS.items():
            ids = self.keys.get(kind)
            if ids:
                rows = apps.get_model(label).objects.filter(pk__in=ids)
                found = dict(rows.values_list("pk", column))
                if len(found) < len(ids):  # deleted since: no way to tell whose it was
                    return {EVERYTHING}
                units |= set(found.values())
        found_roots = roots(units)
        if len(found_roots) < len(units):
            return {EVERYTHING}
        return set(found_roots.values())

    def __call__(self) -> None:
        bump(self.scopes())


def pending(using: str) -> Pending | None:
    """The current transaction's `Pending`, registered on first use; None in autocommit."""
    connection = transaction.get_connection(using)
    if not connection.in_atomic_block:
        return None
    # A rolled-back savepoint drops its callbacks, so this finds only live ones.
    for _sids, func, _robust in connection.run_on_commit:
        if isinstance(func, Pending):
            return func
    func = Pending()
    # robust: the change is committed; a failed bump must not turn it into an error page.
    transaction.on_commit(func, using=using, robust=True)
    return func


def changed(sender=None, instance=None, using: str = "default", **kwargs) -> None:
    """Signal receiver for saves and deletes of the watched models."""
    key = WATCHED[sender._meta.label]
    gathered = pending(using)
    if gathered is not None:
        gathered.add(key, instance)
        return
    now = Pending()
    now.add(key, instance)
    now()


def _bulk_saved(sender=None, instances=(), using: str = "default", **kwargs) -> None:
    """`org.signals.bulk_saved`: rows written in bulk, each as if saved."""
    if sender._meta.label not in WATCHED:
        return
    for instance in instances:
        changed(sender=sender, instance=instance, using=using)


def _m2m_changed(sender=None, action: str = "", using: str = "default", **kwargs) -> None:
    # Cluster membership: rare; every version moves.
    if action.startswith("post_"):
        gathered = pending(using)
        if gathered is not None:
            gathered.everything = True
        else:
            bump()


def connect() -> None:
    for label in WATCHED:
        model = apps.get_model(label)
        post_save.connect(changed, sender=model, dispatch_uid=f"pagecache-save-{label}")
        post_delete.connect(changed, sender=model, dispatch_uid=f"pagecache-delete-{label}")
    bulk_saved.connect(_bulk_saved, dispatch_uid="pagecache-bulk-saved")
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
        for folder in ("org", "plans", "ntm", "inspections", "portal", "templates", "locale")
        for path in (base / folder).rglob("*")
        if path.suffix in RELEASE_SUFFIXES
    )
    return hashlib.sha256(repr(files).encode()).hexdigest()[:8]


def cache_key(
    request: HttpRequest,
    page: str,
    root: int,
    scope: Iterable[int],
    today: datetime.date,
    reads: Iterable[str] = (),
) -> str:
    # Only the parameters the page reads: junk ones (?x=1, ?x=2 …) must not mint new entries
    # and evict the real ones.
    values = {k: request.GET.getlist(k)[:1] for k in set(reads)}
    if "year" in values:
        # the year the page shows: ?year= when valid, else the one the user chose last
        year = year_param(request) or remembered_year(request)
        values["year"] = [str(year)] if year else []
    query = sorted((k, v) for k, listed in values.items() for v in listed)
    digest = hashlib.sha256(repr((sorted(scope), query)).encode()).hexdigest()[:32]
    version = data_version(root)
    return f"page:{page}:{release()}:{get_language()}:{today:%Y%m%d}:{root}.{version}:{digest}"


def cached_parts(
    request: HttpRequest,
    page: str,
    unit: Unit,
    build: Callable[[], dict],
    templates: dict[str, str],
    *,
    reads: Iterable[str],
    scope: Iterable[int] | None = None,
) -> dict[str, SafeString]:
    """Each of `templates` rendered with the context `build()` returns, or the cached HTML
    of an earlier identical request. `unit` is the unit the page is about: its province's
    version decides. `reads` names the query parameters the page reads (the others do not
    change what it shows). `scope`, the units the page shows, defaults to `unit` itself:
    whoever may open the page sees the same thing."""
    seconds = settings.PAGE_CACHE_SECONDS
    key = ""
    if seconds:
        root = roots([unit.pk]).get(unit.pk, EVERYTHING)
        scope = [unit.pk] if scope is None else scope
        key = cache_key(request, page, root, scope, timezone.localdate(), reads)
    parts = cache.get(key) if key else None
    if key:
        metrics.page_cache_lookup(page, hit=parts is not None)
    if parts is None:
        context = build()
        parts = {name: render_to_string(t, context, request) for name, t in templates.items()}
        if key:
            cache.set(key, parts, seconds)
    return {name: mark_safe(html) for name, html in parts.items()}  # noqa: S308 - our templates
