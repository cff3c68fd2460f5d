"""Queries per page are pinned and do not grow with the number of communes or items."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from org.models import Role, Unit
from plans.models import CommunePlan, Programme
from tests.builders import choose_year, make_plan, make_unit, make_user

pytestmark = pytest.mark.django_db

# session, user with unit, years with data (plans, programmes), plans with counts, units,
# programmes; the office's inbox: plans to review, directives to verify, late communes (plans,
# periods, schedules, reports), e-mails that failed
HOME_QUERIES = 14
# session + user, plan (+ programmes), items, their source items, its signed scans
PLAN_QUERIES = 7
# session + user, programme, items, derived items, plans, its signed scans
PROGRAMME_QUERIES = 7


def count_queries(client: Client, url: str) -> tuple[int, str]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(queries), "\n".join(q["sql"] for q in queries.captured_queries)


def assert_queries(client: Client, url: str, expected: int) -> None:
    count, sql = count_queries(client, url)
    assert count == expected, f"{url}: {count} queries, expected {expected}:\n{sql}"


def test_home_page_queries_stay_fixed_as_communes_are_added(client: Client) -> None:
    district = Unit.objects.get(code="872", valid_to__isnull=False)
    client.force_login(make_user(district, role=Role.DISTRICT_STAFF))
    choose_year(client, 2023)
    assert_queries(client, "/?year=2023", HOME_QUERIES)
    for _ in range(20):
        make_plan(make_unit(district), year=2023, items=8)
    # approved, so that each is a late commune on the office's inbox too
    CommunePlan.objects.filter(title="Kế hoạch thử nghiệm").update(status="approved")
    assert_queries(client, "/?year=2023", HOME_QUERIES)


def test_plan_page_queries_stay_fixed_as_items_are_added(client: Client) -> None:
    plan = CommunePlan.objects.get(unit__name="Mỹ Quý", year=2023)
    client.force_login(make_user(plan.unit.parent, role=Role.LEADER))
    assert_queries(client, plan.get_absolute_url(), PLAN_QUERIES)
    source = Programme.objects.get(unit=plan.unit.parent, year=2023, kind="party").items.first()
    extra = make_plan(make_unit(plan.unit.parent), year=2023, items=30)
    for item in extra.items.all():
        item.plan, item.code = plan, ""  # numbered anew in this plan
        item.save()
        item.source_items.add(source)
    assert_queries(client, plan.get_absolute_url(), PLAN_QUERIES)


def test_programme_page_queries_stay_fixed_as_communes_take_items_up(client: Client) -> None:
    programme = Programme.objects.get(unit__code="872", year=2023, kind="party")
    client.force_login(make_user(programme.unit, role=Role.DISTRICT_STAFF))
    assert_queries(client, programme.get_absolute_url(), PROGRAMME_QUERIES)
    source = programme.items.first()
    for _ in range(10):
        plan = make_plan(make_unit(programme.unit), year=2023, items=4)
        plan.programmes.add(programme)
        for item in plan.items.all():
            item.source_items.add(source)
    assert_queries(client, programme.get_absolute_url(), PROGRAMME_QUERIES)


# --- issue 3 pages ---------------------------------------------------------------------
# session, user, plan, items, their links, programmes, programme items, fields
EDITOR_QUERIES = 8
# session, user, plan, plan history, item history, status changes, field names
PLAN_HISTORY_QUERIES = 7
# session, user, years, programmes (+ items, + derived items), plans, unlinked items, units
COVERAGE_QUERIES = 9
# session, user, one query per result group (units, plans, items, programmes, their items,
# reports, visits, findings, directives)
SEARCH_QUERIES = 11


def _draft_plan() -> CommunePlan:
    return CommunePlan.objects.get(unit__name="Mỹ Hòa", year=2023)


def test_editor_queries_stay_fixed_as_items_are_added(client: Client) -> None:
    plan = _draft_plan()
    client.force_login(make_user(plan.unit.parent, role=Role.DISTRICT_STAFF))
    url = f"/plans/{plan.pk}/edit/"
    assert_queries(client, url, EDITOR_QUERIES)
    source = plan.programmes.first().items.first()
    extra = make_plan(make_unit(plan.unit.parent), year=2023, items=20)
    for item in extra.items.all():
        item.plan, item.code = plan, ""  # numbered anew in this plan
        item.save()
        item.source_items.add(source)
    assert_queries(client, url, EDITOR_QUERIES)


def test_history_queries_stay_fixed_as_changes_accumulate(client: Client) -> None:
    from plans import services

    plan = _draft_plan()
    user = make_user(plan.unit.parent, role=Role.DISTRICT_STAFF)
    client.force_login(user)
    url = f"/plans/{plan.pk}/history/"
    assert_queries(client, url, PLAN_HISTORY_QUERIES)
    for round_ in range(5):
        plan.refresh_from_db()
        changes = [
            services.ItemChange(item=item, values={"text": f"{item.text} ({round_})"})
            for item in plan.items.all()[:5]
        ]
        services.save_plan(plan, by=user, expected_version=plan.version, header={}, changes=changes)
    assert_queries(client, url, PLAN_HISTORY_QUERIES)


def test_coverage_queries_stay_fixed_as_communes_are_added(client: Client) -> None:
    district = Unit.objects.get(code="872", valid_to__isnull=False)
    client.force_login(make_user(district, role=Role.LEADER))
    choose_year(client, 2023)
    assert_queries(client, "/plans/coverage/?year=2023", COVERAGE_QUERIES)
    for _ in range(10):
        make_plan(make_unit(district), year=2023, items=6)
    assert_queries(client, "/plans/coverage/?year=2023", COVERAGE_QUERIES)


def test_search_queries_are_fixed(client: Client) -> None:
    district = Unit.objects.get(code="872", valid_to__isnull=False)
    client.force_login(make_user(district, role=Role.LEADER))
    assert_queries(client, "/search/?q=lua", SEARCH_QUERIES)
    assert_queries(client, "/search/?q=nong+thon+moi", SEARCH_QUERIES)
