"""`ReportSummary`: per commune plan and period, the counts the comparing pages read.

Rewritten in the same transaction as every report write (`plans.services.reporting`) and
when a revision is approved (`plans.services.planning.approve_plan`), from the same
`plans.progress` lines the progress page shows.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q

from plans.models import (
    CommunePlan,
    Period,
    ProgressReport,
    ReportStatus,
    ReportSummary,
    TaskProgress,
    schedules,
)
from plans.progress import plan_targets, summary_counts, target_lines


def refresh_summaries(plan: CommunePlan, period: Period) -> None:
    """Rewrite the plan's summaries for this period and the later ones of the same kind.

    A cumulative target's year-to-date value at a later period includes this one, so those
    summaries change too. A period the plan has no report for, but an earlier version of it
    (the approved plan it revises) reported, is summarised from that submitted report: the
    plan in force keeps the periods reported before its revision, counted with its own
    targets, as its progress page shows them.
    """
    targets = plan_targets(plan)
    reports = _reports_in_force(plan, period)
    tasks_by_report: dict[int, list[TaskProgress]] = {}
    for task in TaskProgress.objects.filter(report__in=reports.values()):
        tasks_by_report.setdefault(task.report_id, []).append(task)
    later = list(Period.objects.filter(kind=period.kind, year=period.year, end__gte=period.end))
    timing = schedules(later, plan.unit.parent_id, plan.unit_id)
    for each in later:
        report = reports.get(each.pk)
        if report is None:
            ReportSummary.objects.filter(plan=plan, period=each).delete()
            continue
        lines = target_lines(plan, each, targets)
        submitted = report.status == ReportStatus.SUBMITTED
        counts: dict[str, Any] = summary_counts(
            lines, tasks_by_report.get(report.pk, []) if submitted else []
        )
        counts |= {
            "unit": plan.unit,
            "report": report,
            "submitted_at": report.submitted_at if submitted else None,
            "on_time": timing[each.pk].on_time(report.submitted_at) if submitted else None,
        }
        ReportSummary.objects.update_or_create(plan=plan, period=each, defaults=counts)


def _reports_in_force(plan: CommunePlan, period: Period) -> dict[int, ProgressReport]:
    """Period id → the report that speaks for `plan` in the periods of `period`'s kind and
    year: its own, or else the latest earlier version's submitted one (one query)."""
    # The versions of a commune's plan for a year form one chain: revision n revises n - 1.
    versions = Q(plan=plan)
    if plan.revision:
        versions |= Q(
            plan__unit=plan.unit_id,
            plan__year=plan.year,
            plan__revision__lt=plan.revision,
            status=ReportStatus.SUBMITTED,
        )
    reports: dict[int, ProgressReport] = {}
    for report in (
        ProgressReport.objects.filter(versions, period__kind=period.kind, period__year=plan.year)
        .select_related("period")
        .order_by("plan__revision")
    ):
        reports[report.period_id] = report  # a later version's report replaces an earlier one
    return reports


def carry_summaries(plan: CommunePlan) -> None:
    """Summarise, for a revision just approved, each period its earlier versions reported
    (one pass per kind of period, from the first one reported)."""
    if not plan.revision:
        return
    firsts = {}
    for reported in (
        Period.objects.filter(
            reports__plan__unit=plan.unit_id,
            reports__plan__year=plan.year,
            reports__plan__revision__lt=plan.revision,
            reports__status=ReportStatus.SUBMITTED,
        )
        .order_by("end", "-start")
        .distinct()
    ):
        firsts.setdefault(reported.kind, reported)
    for first in firsts.values():
        refresh_summaries(plan, first)
