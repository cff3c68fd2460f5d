"""The progress overview's rows: each commune of a scope for one period, with its current plan
and its report summary. Three queries, whatever the number of communes."""

from __future__ import annotations

from typing import Any

from org.models import UnitQuerySet
from plans.models import CommunePlan, Period, PlanStatus, ReportSummary


def overview_rows(period: Period, scope: UnitQuerySet) -> list[dict[str, Any]]:
    """Each planning unit of `scope` valid in the period's year, by district and code."""
    # A commune whose plan was revised may have summaries on both plans: the latest
    # revision's counts (it includes the earlier reports).
    summaries = {
        s.unit_id: s
        for s in ReportSummary.objects.filter(period=period, unit__in=scope).order_by(
            "plan__revision"
        )
    }
    # Approved, not superseded: one current plan per commune.
    plans = {
        p.unit_id: p
        for p in CommunePlan.objects.filter(
            unit__in=scope, year=period.year, status=PlanStatus.APPROVED
        )
    }
    units = (
        scope.planning()
        .valid_in_year(period.year)
        .select_related("parent")
        .order_by("parent__code", "code")
    )
    return [
        {"unit": unit, "plan": plans.get(unit.pk), "summary": summaries.get(unit.pk)}
        for unit in units
    ]
