"""Read-only pages of the plan chain: a commune plan and a programme."""

from __future__ import annotations

from dataclasses import dataclass, field
from itertools import groupby

from django.contrib.auth.decorators import login_required
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_safe

from plans.models import CommunePlan, ItemKind, PlanItem, Programme, ProgrammeItem
from portal.models import Field
from portal.rules import visible_units


@dataclass
class FieldGroup:
    field: Field | None
    items: list


@dataclass
class KindSection:
    """The items of one kind on a page, grouped by field in order of first appearance."""

    kind: str
    label: str
    groups: list[FieldGroup] = field(default_factory=list)
    count: int = 0


def sections_by_kind(items: list) -> list[KindSection]:
    """Split items into the four kinds (always all four, maybe empty), then into runs of the
    same field, keeping the document's own order so item numbers read 1, 2, 3 …"""
    sections = []
    for kind, label in ItemKind.choices:
        of_kind = [item for item in items if item.kind == kind]
        groups = [
            FieldGroup(field=key, items=list(members))
            for key, members in groupby(of_kind, key=lambda item: item.field)
        ]
        sections.append(KindSection(kind=kind, label=label, groups=groups, count=len(of_kind)))
    return sections


@require_safe
@login_required
def plan_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A commune plan, all its items by kind and field, with the district items behind them."""
    plan = get_object_or_404(
        CommunePlan.objects.visible_to(request.user)
        .select_related("unit__parent")
        .prefetch_related(
            Prefetch("programmes", queryset=Programme.objects.select_related("unit"))
        ),
        pk=pk,
    )
    items = list(
        plan.items.select_related("field").prefetch_related(
            Prefetch(
                "source_items",
                queryset=ProgrammeItem.objects.select_related("programme").order_by(
                    "programme__kind", "kind", "order"
                ),
            )
        )
    )
    context = {"plan": plan, "sections": sections_by_kind(items)}
    return render(request, "plans/communeplan_detail.html", context)


@require_safe
@login_required
def programme_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A programme's items by kind and field, each with the communes that took it up."""
    programme = get_object_or_404(
        Programme.objects.visible_to(request.user).select_related("unit"), pk=pk
    )
    taken_up = (
        PlanItem.objects.filter(plan__unit__in=visible_units(request.user))
        .select_related("plan__unit")
        .order_by("plan__unit__code")
    )
    items = list(
        programme.items.select_related("field").prefetch_related(
            Prefetch("derived_items", queryset=taken_up, to_attr="taken_up")
        )
    )
    for item in items:
        item.communes = sorted(
            {derived.plan.unit for derived in item.taken_up}, key=lambda u: u.code
        )
    plans = (
        programme.plans.filter(unit__in=visible_units(request.user))
        .select_related("unit")
        .with_item_counts()
        .order_by("unit__code")
    )
    context = {"programme": programme, "sections": sections_by_kind(items), "plans": plans}
    return render(request, "plans/programme_detail.html", context)
