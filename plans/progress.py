"""Reading progress: each target's combined value and status for a plan and period.

Used by the report services (to maintain `ReportSummary`) and by the progress pages, so
both count the same way. A fixed number of queries for a plan and period, whatever the
number of targets and reports.
"""

from __future__ import annotations

import datetime
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Q

from plans.achievement import Assessment, TargetStatus, assess
from plans.models import (
    TASK_KINDS,
    Accumulation,
    CommunePlan,
    ItemKind,
    Period,
    PlanItem,
    PlanStatus,
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
    values (a form being filled in). A revision also counts the submitted reports made on the
    plans it revises, target by target through `PlanItem.revises`, so the year-to-date value
    carries over the revision.
    """
    rows, earlier = reported_rows(
        [plan], targets, period, until=period.end, include_drafts=include_drafts
    )
    return lines_at(targets, rows, earlier, period, extra=extra)


def reported_rows(
    plans: list[CommunePlan],
    targets: list[PlanItem],
    period: Period,
    *,
    until: datetime.date,
    include_drafts: bool = False,
) -> tuple[list[tuple], dict[int, int]]:
    """The `REPORTED_COLUMNS` rows of the plans' reports (and their earlier versions'
    submitted ones) for the periods of `period`'s kind and year ending by `until`, and the
    earlier versions of `targets` (`earlier_versions`): one query for any number of plans,
    plus one per revision level beyond the first."""
    statuses = [
        ReportStatus.SUBMITTED,
        *([ReportStatus.DRAFT, ReportStatus.RETURNED] if include_drafts else []),
    ]
    earlier = earlier_versions(targets, max((plan.revision for plan in plans), default=0))
    reports = Q(report__plan__in=plans, report__status__in=statuses)
    if earlier:
        reports |= Q(item_id__in=earlier, report__status=ReportStatus.SUBMITTED)
    rows = TargetResult.objects.filter(
        reports,
        report__period__kind=period.kind,
        report__period__year=period.year,
        report__period__end__lte=until,
    ).values_list(*REPORTED_COLUMNS)
    return list(rows), earlier


def lines_at(
    targets: list[PlanItem],
    rows: list[tuple],
    earlier: dict[int, int],
    period: Period,
    *,
    extra: dict[int, Decimal | None] | None = None,
) -> list[TargetLine]:
    """The targets' lines at the end of `period` from `reported_rows` (no query)."""
    rows = [row for row in rows if row[1] <= period.end and (extra is None or row[2] != period.pk)]
    by_item = reported_by_item(rows, earlier)
    for item_id, value in (extra or {}).items():
        by_item.setdefault(item_id, []).append((period.end, value))
    return [line_for(item, by_item.get(item.pk, []), period) for item in targets]


def earlier_versions(items: Iterable[PlanItem], levels: int) -> dict[int, int]:
    """The id of each earlier version of `items` (their `revises` chain, up to `levels` plan
    revisions back) → the id of the item it became.

    A revision copies the approved plan's items with `revises` pointing at the originals; an
    item added by the revision has none, one it deleted is simply not there. One query per
    level beyond the first; none for a plan that was never revised.
    """
    mapping: dict[int, int] = {}
    frontier = {item.revises_id: item.pk for item in items if item.revises_id is not None}
    for level in range(1, levels + 1):
        mapping |= frontier
        if level == levels or not frontier:
            break
        frontier = {
            revises_id: frontier[pk]
            for pk, revises_id in PlanItem.objects.filter(
                pk__in=frontier, revises__isnull=False
            ).values_list("pk", "revises_id")
        }
    return mapping


# What `reported_by_item` reads from TargetResult.
REPORTED_COLUMNS = (
    "item_id",
    "report__period__end",
    "report__period_id",
    "report__plan__revision",
    "value",
)


def reported_by_item(
    rows: Iterable[tuple], earlier: dict[int, int]
) -> dict[int, list[tuple[datetime.date, Decimal | None]]]:
    """Each item's (period end, value) reports from `REPORTED_COLUMNS` rows, earlier versions'
    values counted for the item they became. Where the original and its revision both
    reported a period, the revision's value is the one that counts."""
    latest: dict[tuple[int, int], tuple[int, datetime.date, Decimal | None]] = {}
    for item_id, end, period_id, revision, value in rows:
        key = (earlier.get(item_id, item_id), period_id)
        if key not in latest or revision > latest[key][0]:
            latest[key] = (revision, end, value)
    by_item: dict[int, list[tuple[datetime.date, Decimal | None]]] = {}
    for (item_id, _period_id), (_revision, end, value) in latest.items():
        by_item.setdefault(item_id, []).append((end, value))
    return by_item


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


@dataclass(frozen=True)
class PreviousValue:
    """What a target's report form shows beside its box: the value of the last reported
    period of the same kind and, for a cumulative target, the year's total so far."""

    end: datetime.date
    value: Decimal | None
    year_to_date: Decimal | None


def previous_values(
    plan: CommunePlan, period: Period, targets: list[PlanItem]
) -> dict[int, PreviousValue]:
    """Each target's last submitted value before `period` in the same kind of period (its
    earlier versions' included): item id → `PreviousValue`; targets never reported are left
    out. The queries of `reported_rows`."""
    rows, earlier = reported_rows(
        [plan], targets, period, until=period.start - datetime.timedelta(days=1)
    )
    by_item = reported_by_item(rows, earlier)
    previous = {}
    for item in targets:
        reported = sorted(by_item.get(item.pk, []), key=lambda pair: pair[0])
        if not reported:
            continue
        end, value = reported[-1]
        total = None
        if item.accumulation == Accumulation.CUMULATIVE:
            total = sum((v for _end, v in reported if v is not None), Decimal(0))
        previous[item.pk] = PreviousValue(end=end, value=value, year_to_date=total)
    return previous


def same_targets(targets: list[PlanItem], earlier: list[PlanItem]) -> dict[int, PlanItem]:
    """Which of an earlier plan's targets is the same target as each of `targets`, where one
    stands out: the same field and measure unit on both sides, or, when that is not enough,
    also the same direction and accumulation. Plans are rewritten each year, so their texts
    differ ("đạt 57.000 tấn", "đạt 57.400 tấn"); a target without a match is left out."""

    def keys(item: PlanItem) -> list[tuple]:
        unit = " ".join(item.measure_unit.split()).lower()
        return [(item.field_id, unit), (item.field_id, unit, item.direction, item.accumulation)]

    def unique(items: list[PlanItem], depth: int) -> dict[tuple, PlanItem | None]:
        found: dict[tuple, PlanItem | None] = {}
        for item in items:
            key = keys(item)[depth]
            found[key] = None if key in found else item
        return found

    def known(items: list[PlanItem]) -> list[PlanItem]:
        # two targets without a field or a measure unit are alike in nothing
        return [item for item in items if item.field_id is not None and item.measure_unit.strip()]

    targets, earlier = known(targets), known(earlier)
    matches = {}
    for depth in (0, 1):
        mine, theirs = unique(targets, depth), unique(earlier, depth)
        for key, item in mine.items():
            other = theirs.get(key)
            if item is not None and other is not None and item.pk not in matches:
                matches[item.pk] = other
    return matches


def last_year_lines(
    plan: CommunePlan, period: Period, targets: list[PlanItem]
) -> tuple[Period | None, dict[int, TargetLine]]:
    """The same period of the previous year, and each target's line there (item id → the
    line of the same target in the commune's approved plan of that year, per
    `same_targets`). Five queries, fewer when the year or the plan is missing."""
    previous = Period.objects.filter(
        year=period.year - 1, kind=period.kind, index=period.index
    ).first()
    earlier_plan = (
        CommunePlan.objects.filter(
            unit_id=plan.unit_id, year=period.year - 1, status=PlanStatus.APPROVED
        )
        .order_by("-revision")
        .first()
        if previous is not None
        else None
    )
    if earlier_plan is None:
        return previous, {}
    earlier_targets = plan_targets(earlier_plan)
    lines = {line.item.pk: line for line in target_lines(earlier_plan, previous, earlier_targets)}
    return previous, {
        pk: lines[other.pk] for pk, other in same_targets(targets, earlier_targets).items()
    }


def last_task_states(
    plan: CommunePlan, period: Period, tasks: list[PlanItem]
) -> dict[int, TaskProgress]:
    """Each task's state in the latest submitted report for another period ending by the
    end of `period`, of any kind (the report on a plan it revises counting for the task it
    became): item id → that `TaskProgress`. What a new report starts from, so a commune does
    not set every task back to "Chưa triển khai" each month. One query per revision level."""
    earlier = earlier_versions(tasks, plan.revision)
    rows = (
        TaskProgress.objects.filter(
            Q(report__plan=plan) | Q(item_id__in=earlier),
            report__status=ReportStatus.SUBMITTED,
            report__period__year=period.year,
            report__period__end__lte=period.end,
        )
        .exclude(report__period=period)
        .order_by(
            "report__period__end", "report__plan__revision", "report__submitted_at", "report_id"
        )
    )
    latest: dict[int, TaskProgress] = {}
    for row in rows:
        latest[earlier.get(row.item_id, row.item_id)] = row
    return latest
