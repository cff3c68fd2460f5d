"""`ReportSummary`: per commune plan and period, the counts the comparing pages read.

Rewritten in the same transaction as every report write (`plans.services.reporting`) and
when a revision is approved (`plans.services.planning.approve_plan`), from the same
`plans.progress` lines the progress page shows. A fixed number of queries for one plan or
many: the rows read once, the summaries compared with what is stored and only the changed
ones written, in bulk. (Bulk writes send `org.signals.bulk_saved` in place of the saves'
signals, so the page cache's data version moves.)
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q
from django.utils import timezone

from org.signals import bulk_saved
from plans.models import (
    CommunePlan,
    ItemKind,
    Period,
    PlanItem,
    ProgressReport,
    ReportStatus,
    ReportSummary,
    Schedule,
    TaskProgress,
    communes_schedules,
)
from plans.progress import lines_at, reported_rows, summary_counts

SUMMARY_FIELDS = (
    "unit",
    "report",
    "submitted_at",
    "on_time",
    "targets_achieved",
    "targets_on_track",
    "targets_at_risk",
    "targets_behind",
    "targets_no_data",
    "tasks_not_started",
    "tasks_in_progress",
    "tasks_done",
    "tasks_late",
)


def refresh_summaries(
    plan: CommunePlan, period: Period, *, targets: list[PlanItem] | None = None
) -> None:
    """Rewrite the plan's summaries for this period and the later ones of the same kind.

    A cumulative target's year-to-date value at a later period includes this one, so those
    summaries change too. A period the plan has no report for, but an earlier version of it
    (the approved plan it revises) reported, is summarised from that submitted report: the
    plan in force keeps the periods reported before its revision, counted with its own
    targets, as its progress page shows them.
    """
    refresh_many([plan], period, targets=None if targets is None else {plan.pk: targets})


def refresh_many(
    plans: list[CommunePlan],
    period: Period,
    *,
    targets: dict[int, list[PlanItem]] | None = None,
) -> None:
    """`refresh_summaries` for many plans of one year (the office's entry for many
    communes), in the same fixed number of queries as for one."""
    if not plans:
        return
    if targets is None:
        targets = {plan.pk: [] for plan in plans}
        for item in PlanItem.objects.filter(plan__in=plans, kind=ItemKind.TARGET).select_related(
            "field"
        ):
            targets[item.plan_id].append(item)
    reports = _reports_in_force(plans, period)
    tasks: dict[int, list[TaskProgress]] = {}
    for task in TaskProgress.objects.filter(report__in=reports.values()):
        tasks.setdefault(task.report_id, []).append(task)
    later = list(Period.objects.filter(kind=period.kind, year=period.year, end__gte=period.end))
    timing = communes_schedules(later, [(plan.unit.parent_id, plan.unit_id) for plan in plans])
    every_target = [item for items in targets.values() for item in items]
    rows, earlier = reported_rows(
        plans, every_target, period, until=max(each.end for each in later)
    )
    stored = {
        (s.plan_id, s.period_id): s
        for s in ReportSummary.objects.filter(plan__in=plans, period__in=later)
    }
    now = timezone.now()
    created, changed, gone = [], [], []
    for plan in plans:
        for each in later:
            summary = stored.get((plan.pk, each.pk))
            report = reports.get((plan.pk, each.pk))
            if report is None:
                if summary is not None:
                    gone.append(summary.pk)
                continue
            lines = lines_at(targets[plan.pk], rows, earlier, each)
            values = _summary_values(plan, report, lines, tasks, timing[plan.unit_id][each.pk])
            if summary is None:
                created.append(ReportSummary(plan=plan, period=each, updated_at=now, **values))
            elif _differs(summary, values):
                for name, value in values.items():
                    setattr(summary, name, value)
                summary.updated_at = now
                changed.append(summary)
    if gone:
        ReportSummary.objects.filter(pk__in=gone).delete()
    ReportSummary.objects.bulk_create(created)
    ReportSummary.objects.bulk_update(changed, [*SUMMARY_FIELDS, "updated_at"])
    if created or changed:
        bulk_saved.send(sender=ReportSummary, instances=[*created, *changed])


def _summary_values(
    plan: CommunePlan,
    report: ProgressReport,
    lines: list,
    tasks: dict[int, list[TaskProgress]],
    schedule: Schedule,
) -> dict[str, Any]:
    """What a summary says of the report that speaks for the plan in a period."""
    submitted = report.status == ReportStatus.SUBMITTED
    counts = summary_counts(lines, tasks.get(report.pk, []) if submitted else [])
    return counts | {
        "unit": plan.unit,
        "report": report,
        "submitted_at": report.submitted_at if submitted else None,
        "on_time": schedule.on_time(report.submitted_at) if submitted else None,
    }


def _differs(summary: ReportSummary, values: dict[str, Any]) -> bool:
    return any(
        getattr(summary, f"{name}_id" if name in ("unit", "report") else name)
        != (value.pk if name in ("unit", "report") else value)
        for name, value in values.items()
    )


def _reports_in_force(
    plans: list[CommunePlan], period: Period
) -> dict[tuple[int, int], ProgressReport]:
    """(plan id, period id) → the report that speaks for the plan in the periods of
    `period`'s kind and year: its own, or else the latest earlier version's submitted one
    (one query for any number of plans)."""
    # The versions of a commune's plan for a year form one chain: revision n revises n - 1.
    versions = Q(plan__in=plans)
    revised = {(plan.unit_id, plan.year): plan for plan in plans if plan.revision}
    for plan in revised.values():
        versions |= Q(
            plan__unit=plan.unit_id,
            plan__year=plan.year,
            plan__revision__lt=plan.revision,
            status=ReportStatus.SUBMITTED,
        )
    by_plan = {plan.pk: plan for plan in plans}
    reports: dict[tuple[int, int], ProgressReport] = {}
    for report in (
        ProgressReport.objects.filter(versions, period__kind=period.kind, period__year=period.year)
        .select_related("period", "plan")
        .order_by("plan__revision")
    ):
        owner = by_plan.get(report.plan_id) or revised.get((report.plan.unit_id, report.plan.year))
        if owner is not None:
            # a later version's report replaces an earlier one's
            reports[(owner.pk, report.period_id)] = report
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
