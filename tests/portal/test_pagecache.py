"""Cached parts of the leaders' pages: served again only for the same scope, filters,
language and day, and re-rendered as soon as a change to the data under them commits."""

from __future__ import annotations

import datetime
import os
import re

import pytest
from django.core.cache import cache
from django.db import connection, transaction
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from inspections.models import Directive, Visit
from ntm.models import Rating, RatingLevel
from org.models import Unit
from portal import dashboard_views, pagecache
from portal.models import DataVersion

pytestmark = pytest.mark.django_db
PER_REQUEST = re.compile(r'(nonce|value)="[^"]*"')


@pytest.fixture(autouse=True)
def page_cache(settings) -> None:
    settings.PAGE_CACHE_SECONDS = 300
    cache.clear()
    yield
    cache.clear()


def mỹ_quí() -> Unit:
    return Unit.objects.valid_in_year(2022).get(code="30055")


def queries(client, url: str, params: dict | None = None) -> tuple[int, str]:
    """Queries and the page without what changes on every request (nonce, form token)."""
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, params or {})
    assert response.status_code == 200
    return len(captured), PER_REQUEST.sub("", response.content.decode())


def test_a_second_identical_request_is_served_from_the_cache(login) -> None:
    client = login("vanphong")
    for url, params, hit_queries in (
        ("/dashboard/", {"year": 2022}, 4),
        ("/dashboard/overview/", {"year": 2022}, 4),
        (f"/units/{mỹ_quí().pk}/", {"year": 2022}, 5),
    ):
        first, html = queries(client, url, params)
        second, again = queries(client, url, params)
        assert second == hit_queries < first, url
        assert again == html


def versions() -> dict[int, int]:
    return dict(DataVersion.objects.values_list("scope", "value"))


def moved(before: dict[int, int]) -> dict[int, int]:
    """By how much each version moved since `before`."""
    return {k: v - before.get(k, 0) for k, v in versions().items() if v != before.get(k, 0)}


def province(unit: Unit) -> int:
    return pagecache.roots([unit.pk])[unit.pk]


def test_a_committed_change_shows_on_the_next_request(login, django_capture_on_commit_callbacks):
    client = login("vanphong")
    unit = mỹ_quí()
    url = f"/units/{unit.pk}/"
    before = client.get(url, {"year": 2022}).content.decode()
    assert "Xuất sắc thử nghiệm" not in before
    start = versions()
    with django_capture_on_commit_callbacks(execute=True):
        Rating.objects.create(
            unit=unit, organisation="Xuất sắc thử nghiệm", year=2022, level=RatingLevel.EXCELLENT
        )
    assert moved(start) == {province(unit): 1}  # Đồng Tháp's pages only
    assert "Xuất sắc thử nghiệm" in client.get(url, {"year": 2022}).content.decode()


def test_a_change_in_one_province_keeps_the_others_cached(
    login, django_capture_on_commit_callbacks
) -> None:
    client = login("admin")
    thanh_hóa = Unit.objects.get(name="Triệu Sơn").parent
    dong_thap = mỹ_quí().parent.parent
    assert thanh_hóa.pk != dong_thap.pk
    url = "/dashboard/overview/"
    for unit in (thanh_hóa, dong_thap):
        client.get(url, {"unit": unit.pk, "year": 2022})
    with django_capture_on_commit_callbacks(execute=True):
        Directive.objects.filter(unit=mỹ_quí()).first().save()
    hit, _html = queries(client, url, {"unit": thanh_hóa.pk, "year": 2022})
    miss, _html = queries(client, url, {"unit": dong_thap.pk, "year": 2022})
    assert hit < miss


@pytest.mark.parametrize(
    ("label", "lookup"),
    [
        ("plans.TargetResult", "report__plan__unit"),
        ("plans.PlanItem", "plan__unit"),
        ("ntm.IndicatorResult", "assessment__unit"),
    ],
)
def test_rows_without_a_unit_find_theirs(django_capture_on_commit_callbacks, label, lookup):
    """A report value, a plan item and an NTM result move their commune's province."""
    from django.apps import apps

    row = apps.get_model(label).objects.filter(**{lookup: mỹ_quí()}).first()
    start = versions()
    with django_capture_on_commit_callbacks(execute=True):
        row.save()
    assert moved(start) == {province(mỹ_quí()): 1}


def test_bulk_writes_move_their_province_once(django_capture_on_commit_callbacks) -> None:
    """The office's entry writes results and summaries in bulk, which send no save signal:
    `org.signals.bulk_saved` moves the communes' province all the same."""
    from decimal import Decimal

    from org.models import User
    from plans import services
    from plans.models import CommunePlan, ItemKind, Period

    office = User.objects.get(username="vanphong")
    period = Period.objects.get(kind="month", year=2023, index=5)
    plans = CommunePlan.objects.filter(unit__parent=office.unit, year=2023, status="approved")
    entries = [(p, p.items.filter(kind=ItemKind.TARGET).first().pk, Decimal(3)) for p in plans]
    start = versions()
    with django_capture_on_commit_callbacks(execute=True):
        assert services.enter_target_values(period, by=office, entries=entries)
    assert moved(start) == {province(mỹ_quí()): 1}


def test_a_row_whose_owner_is_gone_moves_every_version(django_capture_on_commit_callbacks):
    """Deleting a report takes its values along: by commit time nothing says whose they were,
    so every page renders afresh rather than one staying stale."""
    from plans.models import ProgressReport

    report = ProgressReport.objects.filter(plan__unit=mỹ_quí(), target_results__isnull=False)
    start = versions()
    with django_capture_on_commit_callbacks(execute=True):
        report.first().delete()
    assert moved(start) == {pagecache.EVERYTHING: 1}
    assert pagecache.Pending().scopes() == set()


def test_shared_data_moves_the_shared_version(django_capture_on_commit_callbacks) -> None:
    from org.models import Field

    start = versions()
    with django_capture_on_commit_callbacks(execute=True):
        Field.objects.first().save()
    assert moved(start) == {pagecache.EVERYTHING: 1}
    assert pagecache.data_version(province(mỹ_quí())).startswith(
        f"{versions()[pagecache.EVERYTHING]}."
    )


def test_the_version_moves_once_per_transaction(django_capture_on_commit_callbacks) -> None:
    start = versions()
    directive = Directive.objects.filter(unit=mỹ_quí()).first()
    with django_capture_on_commit_callbacks(execute=True) as callbacks, transaction.atomic():
        for _ in range(5):
            directive.save()
    assert len(callbacks) == 1
    assert moved(start) == {province(mỹ_quí()): 1}


def test_a_rolled_back_savepoint_does_not_swallow_the_next_change(
    django_capture_on_commit_callbacks,
) -> None:
    start = versions()
    directive = Directive.objects.filter(unit=mỹ_quí()).first()
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        try:
            with transaction.atomic():
                directive.save()
                raise RuntimeError("rolled back")
        except RuntimeError:
            pass
        directive.save()  # must register again: the first registration went with the savepoint
    assert moved(start) == {province(mỹ_quí()): 1}


def test_cluster_membership_moves_every_version(django_capture_on_commit_callbacks) -> None:
    from org.models import Cluster

    cluster = Cluster.objects.filter(members__isnull=False).first()
    start = versions()
    with django_capture_on_commit_callbacks(execute=True):
        cluster.members.remove(cluster.members.first())
    assert moved(start) == {pagecache.EVERYTHING: 1}


def test_outside_a_transaction_the_version_moves_at_once(settings) -> None:
    DataVersion.objects.all().delete()
    assert pagecache.data_version(7) == "0.0"
    pagecache.bump()
    pagecache.bump([7, 7])
    assert pagecache.data_version(7) == "1.1"


def test_scopes_do_not_share_entries(login, client) -> None:
    """vanphong's cached dashboard never reaches kiemtra, whose scope is smaller."""
    params = {"year": 2022}  # both default to the district they work for
    wide = login("vanphong").get("/dashboard/", params)
    assert len(wide.context["rows"]) == 13
    client.logout()
    narrow = login("kiemtra").get("/dashboard/", params)
    assert narrow.status_code == 200
    assert "rows" in narrow.context  # rendered for this scope, not served from the cache
    assert {r.unit.name for r in narrow.context["rows"]} == {
        "Mỹ An",
        "Mỹ Hòa",
        "Mỹ Quý",
        "Mỹ Đông",
        "Láng Biển",
    }
    assert "Phú Điền" in wide.content.decode() and "Phú Điền" not in narrow.content.decode()


def test_parts_hold_nothing_personal(login) -> None:
    client = login("vanphong")
    client.get("/dashboard/", {"year": 2022})
    keys = [key.split(":", 2)[-1] for key in cache._cache]  # the local-memory backend's store
    assert keys
    for key in keys:
        html = "".join(cache.get(key).values())
        assert "Bảng điều hành" in html or "Theo xã" in html
        assert "csrfmiddlewaretoken" not in html and "vanphong" not in html
        assert "nonce" not in html and "Văn phòng Huyện ủy" not in html


def test_the_key_follows_language_day_filters_scope_and_province() -> None:
    from django.utils import translation

    today = timezone.localdate()

    def key(year=2022, page="dashboard", root=1, scope=(1, 2), day=today) -> str:
        request = RequestFactory().get("/d/", {"year": year})
        return pagecache.cache_key(request, page, root, scope, day, ("year",))

    assert key() == key(scope=(2, 1))
    others = {
        key(year=2023),
        key(scope=(1,)),
        key(day=today + datetime.timedelta(1)),
        key(page="overview"),
        key(root=2),
    }
    with translation.override("en"):
        others.add(key())
    assert key() not in others and len(others) == 6


def test_off_when_seconds_is_zero(settings, login) -> None:
    settings.PAGE_CACHE_SECONDS = 0
    client = login("vanphong")
    client.get("/dashboard/", {"year": 2022})  # the session remembers the year, once
    first, _html = queries(client, "/dashboard/", {"year": 2022})
    second, _html = queries(client, "/dashboard/", {"year": 2022})
    assert first == second


def test_every_watched_model_is_connected() -> None:
    from django.apps import apps
    from django.db.models.signals import post_delete, post_save

    for label in pagecache.WATCHED:
        model = apps.get_model(label)
        # Our receiver itself: history tracking listens to most of these models as well.
        for signal in (post_save, post_delete):
            sync_receivers, _async = signal._live_receivers(model)
            assert pagecache.changed in sync_receivers, (label, signal)
    assert Visit in [apps.get_model(label) for label in pagecache.WATCHED]


def test_a_new_release_does_not_read_the_old_parts(settings, tmp_path) -> None:
    template = tmp_path / "templates" / "page.html"
    template.parent.mkdir()
    template.write_text("v1")
    settings.BASE_DIR = tmp_path
    pagecache.release.cache_clear()
    try:
        first = pagecache.release()
        os.utime(template, ns=(1, 1))
        pagecache.release.cache_clear()
        assert pagecache.release() != first
    finally:
        pagecache.release.cache_clear()


REDIS_TIMEOUTS = {"socket_connect_timeout": 2, "socket_timeout": 2}


@pytest.mark.parametrize(
    ("url", "options"),
    [
        ("", {"MAX_ENTRIES": 200}),
        ("rediscache://127.0.0.1:6379/1", REDIS_TIMEOUTS),
        ("dummycache://", None),
    ],
)
def test_cache_url_options_suit_the_backend(url, options) -> None:
    """The entry bound is a local-memory option; Redis would hand it to its client and fail.
    Redis gets socket timeouts instead, so that a hung Redis cannot hold a page forever."""
    import subprocess
    import sys

    env = {k: v for k, v in os.environ.items() if k != "CACHE_URL"} | (
        {"CACHE_URL": url} if url else {}
    )
    script = "from portal import settings; print(settings.CACHES['default'].get('OPTIONS'))"
    out = subprocess.run(  # noqa: S603 - our interpreter, a fixed script
        [sys.executable, "-c", script], env=env, capture_output=True, text=True, check=True
    ).stdout.strip()
    assert out == repr(options)


def test_parameters_the_page_does_not_read_do_not_mint_entries(settings, login) -> None:
    """?junk=1, ?junk=2 … would otherwise each render and store a copy of the dashboard."""
    settings.PAGE_CACHE_SECONDS = 300
    client = login("vanphong")
    rendered, _html = queries(client, "/dashboard/", {"year": 2022})
    served, _html = queries(client, "/dashboard/", {"year": 2022})
    assert served < rendered
    for junk in range(3):
        again, _html = queries(client, "/dashboard/", {"year": 2022, "junk": junk, "utm": "x"})
        assert again == served
    today = timezone.localdate()
    request = RequestFactory().get("/d/", {"year": 2022, "junk": 1})
    plain = RequestFactory().get("/d/", {"year": 2022})
    assert pagecache.cache_key(request, "p", 1, (1,), today, ("year",)) == pagecache.cache_key(
        plain, "p", 1, (1,), today, ("year",)
    )
    assert "sort" in dashboard_views.DASHBOARD_PARAMETERS
