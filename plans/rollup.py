"""Roll-up: a district target beside the commune targets derived from it and their results.

Cumulative targets add up (rice output, budget revenue); point-in-time ones are averaged
(rates). Only approved plans count — a plan superseded by its approved revision does not, but
what was reported on it counts for the revision. A fixed number of queries per programme and
period (one more per level of a plan revised more than once).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from org.models import UnitQuerySet
from plans.achievement import TargetStatus
from plans.models import (
    Accumulation,
    ItemKind,
    Period,
    PlanItem,
    PlanStatus,
    Programme,
    ProgrammeItem,
    ReportStatus,
    TargetResult,
)
from plans.progress import (
    REPORTED_COLUMNS,
    TargetLine,
    earlier_versions,
    line_for,
    reported_by_item,
)

NEEDS_ATTENTION = (TargetStatus.BEHIND, TargetStatus.AT_RISK, TargetStatus.NO_DATA)


@dataclass
class RollupLine:
    item: ProgrammeItem
    rule: str = "sum"  # or "average"
    allocated: Decimal | None = None
    planned: Decimal | None = None
    reported: Decimal | None = None
    communes: list[TargetLine] = field(default_factory=list)

    @property
    def attention(self) -> list[TargetLine]:
        return [line for line in self.communes if line.status in NEEDS_ATTENTION]


def _combine(values: list[Decimal], rule: str) -> Decimal | None:
    if not values:
        return None
    total = sum(values, Decimal(0))
    return total if rule == "sum" else (total / len(values)).quantize(Decimal("0.01"))


def rollup(programme: Programme, period: Period, scope: UnitQuerySet) -> list[RollupLine]:
    targets = list(
        programme.items.filter(kind=ItemKind.TARGET)
        .prefetch_related("allocations")
        .order_by("order")
    )
    links = PlanItem.source_items.through.objects.filter(
        programmeitem__in=targets,
        planitem__kind=ItemKind.TARGET,
        planitem__plan__status=PlanStatus.APPROVED,
        planitem__plan__year=period.year,
        planitem__plan__unit__in=scope,
    ).values_list("programmeitem_id", "planitem_id")
    derived_ids: dict[int, list[int]] = {}
    for programme_item_id, plan_item_id in links:
        derived_ids.setdefault(programme_item_id, []).append(plan_item_id)
    all_ids = {pk for ids in derived_ids.values() for pk in ids}
    derived = {
        item.pk: item
        for item in PlanItem.objects.filter(pk__in=all_ids).select_related("plan__unit")
    }
    # A revised commune plan counts what was reported on the plan it revises, too.
    levels = max((item.plan.revision for item in derived.values()), default=0)
    earlier = earlier_versions(derived.values(), levels)
    reported = reported_by_item(
        TargetResult.objects.filter(
            item_id__in=all_ids | earlier.keys(),
            report__status=ReportStatus.SUBMITTED,
            report__period__kind=period.kind,
            report__period__year=period.year,
            report__period__end__lte=period.end,
        ).values_list(*REPORTED_COLUMNS),
        earlier,
    )

    lines = []
    for target in targets:
        items = sorted(
            (derived[pk] for pk in derived_ids.get(target.pk, [])),
            key=lambda item: item.plan.unit.code,
        )
        cumulative = all(item.accumulation == Accumulation.CUMULATIVE for item in items)
        line = RollupLine(item=target, rule="sum" if cumulative else "average")
        line.communes = [line_for(item, reported.get(item.pk, []), period) for item in items]
        allocations = [a.value for a in target.allocations.all()]
        line.allocated = sum(allocations, Decimal(0)) if allocations else None
        line.planned = _combine([item.target_value for item in items], line.rule)
        line.reported = _combine([c.value for c in line.communes if c.value is not None], line.rule)
        lines.append(line)
    return lines
