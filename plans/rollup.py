"""Roll-up: a district target beside the commune targets derived from it and their results.

Each district target says how its communes combine (`ProgrammeItem.combination`): outputs,
revenue and the point-in-time quantities that add up (hectares, households, schools) are
summed; rates and per-head levels are averaged, weighted by each commune's base (`PlanItem.base`:
its households, people, hectares) when every commune gives one, a plain mean otherwise.
Only approved plans count — a plan superseded by its approved revision does not, but
what was reported on it counts for the revision. A fixed number of queries per programme and
period (one more per level of a plan revised more than once).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from org.models import UnitQuerySet
from plans.achievement import TargetStatus
from plans.models import (
    Combination,
    ItemKind,
    Period,
    PlanItem,
    PlanStatus,
    Programme,
    ProgrammeItem,
    ReportStatus,
    TargetResult,
    default_combination,
)
from plans.progress import (
    REPORTED_COLUMNS,
    TargetLine,
    earlier_versions,
    line_for,
    reported_by_item,
)

CENT = Decimal("0.01")
NEEDS_ATTENTION = (TargetStatus.BEHIND, TargetStatus.AT_RISK, TargetStatus.NO_DATA)


@dataclass
class RollupLine:
    item: ProgrammeItem
    rule: str = Combination.SUM
    weighted: bool = False  # an average weighted by the communes' bases
    allocated: Decimal | None = None
    planned: Decimal | None = None
    reported: Decimal | None = None
    communes: list[TargetLine] = field(default_factory=list)

    @property
    def attention(self) -> list[TargetLine]:
        return [line for line in self.communes if line.status in NEEDS_ATTENTION]


def combine(pairs: list[tuple[Decimal, Decimal | None]], rule: str) -> tuple[Decimal | None, bool]:
    """The communes' (value, base) pairs combined by `rule`, and whether the average was
    weighted (every commune gave its base)."""
    if not pairs:
        return None, False
    values = [value for value, _base in pairs]
    if rule == Combination.SUM:
        return sum(values, Decimal(0)), False
    bases = [base for _value, base in pairs]
    if all(base for base in bases):
        weighted = sum((v * b for v, b in pairs), Decimal(0)) / sum(bases, Decimal(0))
        return weighted.quantize(CENT), True
    return (sum(values, Decimal(0)) / len(values)).quantize(CENT), False


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
        rule = target.combination or default_combination(target.measure_unit)
        line = RollupLine(item=target, rule=rule)
        line.communes = [line_for(item, reported.get(item.pk, []), period) for item in items]
        allocations = [a.value for a in target.allocations.all()]
        line.allocated = sum(allocations, Decimal(0)) if allocations else None
        line.planned, line.weighted = combine([(i.target_value, i.base) for i in items], rule)
        line.reported, _weighted = combine(
            [(c.value, c.item.base) for c in line.communes if c.value is not None], rule
        )
        lines.append(line)
    return lines
