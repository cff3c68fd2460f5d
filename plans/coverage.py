"""The coverage table's rows: which communes took up each item of the year's programmes,
which plan items cite no programme item, which communes have no plan, which plans wait for
approval."""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet

from org.models import Unit
from plans.models import CommunePlan, ItemKind, PlanItem, PlanStatus, Programme, ProgrammeItem
from plans.sections import sections_by_kind


def programme_rows(
    programmes: QuerySet[Programme], plan_items: QuerySet[PlanItem]
) -> list[Programme]:
    """The programmes with their items other than solutions. Each item gets `communes`, the
    communes whose items among `plan_items` took it up; each programme gets `sections`, its
    kinds that have items."""
    taken_up = plan_items.select_related("plan__unit").order_by("plan__unit__code")
    rows = list(
        programmes.select_related("unit")
        .prefetch_related(
            Prefetch(
                "items",
                queryset=ProgrammeItem.objects.select_related("field")
                .exclude(kind=ItemKind.SOLUTION)
                .prefetch_related(Prefetch("derived_items", queryset=taken_up, to_attr="taken_up")),
            )
        )
        .order_by("unit__code", "kind")
    )
    for programme in rows:
        items = list(programme.items.all())
        for item in items:
            item.communes = sorted({d.plan.unit for d in item.taken_up}, key=lambda u: u.code)
        programme.sections = [s for s in sections_by_kind(items) if s.count]
    return rows


def unlinked_items(plan_items: QuerySet[PlanItem]) -> list[PlanItem]:
    """The plan items, other than solutions, that cite no programme item."""
    return list(
        plan_items.filter(source_items__isnull=True)
        .exclude(kind=ItemKind.SOLUTION)
        .select_related("plan__unit")
        .order_by("plan__unit__code", "kind", "order")
    )


def unplanned_units(units: QuerySet[Unit], plans: list[CommunePlan]) -> list[Unit]:
    """The communes among `units` that have none of `plans`."""
    planned = {plan.unit_id for plan in plans}
    return [unit for unit in units if unit.pk not in planned]


def awaiting_approval(plans: list[CommunePlan]) -> list[CommunePlan]:
    return [plan for plan in plans if plan.status == PlanStatus.SUBMITTED]
