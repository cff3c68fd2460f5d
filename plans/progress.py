"""Reading progress: each target's combined value and status for a plan and period.

Used by the report services (to maintain `ReportSummary`) and by the progress pages, so
both count the same way. A fixed number of queries for a plan and period, whatever the
number of targets and reports.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from decimal import Decimal

from plans.achievement import Assessment, TargetStatus, assess
from plans.models import (
    TASK_KINDS,
    Accumulation,
    CommunePlan,
    ItemKind,
    Period,
    PlanItem,
    ReportStatus,
    TargetResult,
    TaskProgress,
)


@dataclass
class TargetLine:
    item: PlanItem
    value: Decimal | None  # year-to-date sum or latest level, per the target's accumulation
    assessment: Assessment

    @property
    def status(self) -> str:
        return self.assessment.status

    @property
    def status_label(self) -> str:
        return TargetStatus(self.status).label


def target_lines(
    plan: CommunePlan,
    period: Period,
    targets: list[PlanItem],
    *,
    include_drafts: bool = False,
    extra: dict[int, Decimal | None] | None = None,
) -> list[TargetLine]:
    """Each target's status at the end of `period`.

    Values come from the plan's reports for periods of the same kind in the same year up to
    this one (submitted ones only, unless `include_drafts`); `extra` overrides this period's
    values (a form being filled in).
    """
    statuses = [
        ReportStatus.SUBMITTED,
        *([ReportStatus.DRAFT, ReportStatus.RETURNED] if include_drafts else []),
    ]
    results = TargetResult.objects.filter(
        report__plan=plan,
        report__status__in=statuses,
        report__period__kind=period.kind,
        report__period__year=period.year,
        report__period__end__lte=period.end,
    ).values_list("item_id", "report__period__end", "report__period_id", "value")
    by_item: dict[int, list[tuple]] = {}
    for item_id, end, period_id, value in results:
        if extra is not None and period_id == period.pk:
            continue
        by_item.setdefault(item_id, []).append((end, value))
    for item_id, value in (extra or {}).items():
        by_item.setdefault(item_id, []).append((period.end, value))

    return [line_for(item, by_item.get(item.pk, []), period) for item in targets]


def line_for(item: PlanItem, reported: list[tuple], period: Period) -> TargetLine:
    """One target's combined value and status from its (period end, value) reports so far."""
    reported = sorted((end, value) for end, value in reported if value is not None)
    if not reported:
        value = None
    elif item.accumulation == Accumulation.CUMULATIVE:
        value = sum((v for _end, v in reported), Decimal(0))
    # A point value reported for an earlier period is not this period's level.
    elif reported[-1][0] == period.end:
        value = reported[-1][1]
    else:
        value = None
    assessment = assess(
        direction=item.direction,
        accumulation=item.accumulation,
        target=item.target_value,
        baseline=item.baseline,
        value=value,
        expected=period.elapsed_share,
    )
    return TargetLine(item=item, value=value, assessment=assessment)


def summary_counts(lines: list[TargetLine], tasks: list[TaskProgress]) -> dict[str, int]:
    statuses = Counter(line.status for line in lines)
    states = Counter(task.state for task in tasks)
    return {
        "targets_achieved": statuses[TargetStatus.ACHIEVED],
        "targets_on_track": statuses[TargetStatus.ON_TRACK],
        "targets_at_risk": statuses[TargetStatus.AT_RISK],
        "targets_behind": statuses[TargetStatus.BEHIND],
        "targets_no_data": statuses[TargetStatus.NO_DATA],
        "tasks_not_started": states["not_started"],
        "tasks_in_progress": states["in_progress"],
        "tasks_done": states["done"],
        "tasks_late": states["late"],
    }


def plan_targets(plan: CommunePlan) -> list[PlanItem]:
    return list(plan.items.filter(kind=ItemKind.TARGET).select_related("field"))


def plan_tasks(plan: CommunePlan) -> list[PlanItem]:
    return list(plan.items.filter(kind__in=TASK_KINDS).select_related("field"))
