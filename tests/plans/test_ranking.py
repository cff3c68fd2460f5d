"""Communes ranked by the share of their targets achieved or on track in a period."""

from __future__ import annotations

import pytest

from org.models import Unit, UnitKind
from plans.models import Period, PlanStatus, ReportSummary
from plans.ranking import rank_by_progress
from tests.builders import make_plan, make_unit

pytestmark = pytest.mark.django_db


def summarise(unit: Unit, period: Period, good: int, bad: int, *, status=PlanStatus.APPROVED):
    plan = make_plan(unit, year=period.year, items=0)
    plan.status = status
    plan.save()
    return ReportSummary.objects.create(
        plan=plan, unit=unit, period=period, targets_achieved=good, targets_behind=bad
    )


def test_best_first_ties_share_a_place_and_the_unmeasured_come_last(
    django_assert_num_queries,
) -> None:
    district = make_unit(kind=UnitKind.DISTRICT)
    a, b, c, d, e = (make_unit(district, name=name) for name in "ABCDE")
    period = Period.objects.get(year=2022, kind="half", index=1)
    summarise(a, period, 1, 3)  # 25 %
    summarise(b, period, 3, 1)  # 75 %
    summarise(c, period, 3, 1)  # 75 %
    summarise(d, period, 0, 0)  # no targets: nothing to rank by
    # e: no report at all
    with django_assert_num_queries(1):
        ranked = rank_by_progress([a, b, c, d, e], period)
    assert [(r.unit, r.place) for r in ranked] == [(b, 1), (c, 1), (a, 3), (d, None), (e, None)]
    assert ranked[0].share == 0.75


def test_a_superseded_plans_summary_is_not_ranked() -> None:
    district = make_unit(kind=UnitKind.DISTRICT)
    unit = make_unit(district)
    period = Period.objects.get(year=2022, kind="half", index=1)
    summarise(unit, period, 4, 0, status=PlanStatus.SUPERSEDED)
    (only,) = rank_by_progress([unit], period)
    assert only.place is None and only.summary is None
