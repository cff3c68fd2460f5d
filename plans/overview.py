"""The progress overview's rows: each commune of a scope for one period, with its current plan
and its report summary. Three queries, whatever the number of communes."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from org.models import UnitQuerySet
from plans.models import CommunePlan, Period, PlanStatus, ReportSummary


def report_state(plan: CommunePlan | None, summary: ReportSummary | None) -> tuple[str, str]:
    """(status key, label) of a commune's report for the period, as its row shows it: no
    approved plan ("none"), not reported ("behind"), on time ("achieved") or late."""
    if plan is None:
        return "none", _("chưa có kế hoạch được duyệt")
    if summary is None or summary.submitted_at is None:
        return "behind", _("chưa báo cáo")
    return ("achieved", _("đúng hạn")) if summary.on_time else ("at_risk", _("trễ hạn"))


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
    rows = []
    for unit in units:
        plan, summary = plans.get(unit.pk), summaries.get(unit.pk)
        state = report_state(plan, summary)
        rows.append({"unit": unit, "plan": plan, "summary": summary, "state": state})
    return rows
