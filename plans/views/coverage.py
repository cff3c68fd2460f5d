"""Coverage: how the year's programmes were taken up by the commune plans in scope."""

from __future__ import annotations

import rules
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from org.params import selected_year
from org.rules import visible_units
from plans.models import CommunePlan, ItemKind, PlanItem, PlanStatus, Programme, ProgrammeItem
from plans.views.sections import sections_by_kind


@require_safe
@login_required
def coverage(request: HttpRequest) -> HttpResponse:
    """For each programme item the communes that took it up; commune items linked to
    nothing; communes without a plan; plans waiting for approval."""
    if not rules.has_perm("plans.view_coverage", request.user):
        raise PermissionDenied
    scope = visible_units(request.user)
    programmes = Programme.objects.filter(unit__in=scope)
    year = selected_year(
        request, list(programmes.order_by().values_list("year", flat=True).distinct())
    )
    taken_up = (
        PlanItem.objects.filter(plan__unit__in=scope, plan__year=year)
        .select_related("plan__unit")
        .order_by("plan__unit__code")
    )
    programmes = list(
        programmes.filter(year=year)
        .select_related("unit")
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
    for programme in programmes:
        for item in programme.items.all():
            item.communes = sorted({d.plan.unit for d in item.taken_up}, key=lambda u: u.code)
        programme.sections = [s for s in sections_by_kind(list(programme.items.all())) if s.count]
    plans = list(
        CommunePlan.objects.filter(unit__in=scope, year=year)
        .select_related("unit")
        .order_by("unit__code", "revision")
    )
    planned = {plan.unit_id for plan in plans}
    unlinked = (
        PlanItem.objects.filter(plan__unit__in=scope, plan__year=year, source_items__isnull=True)
        .exclude(kind=ItemKind.SOLUTION)
        .select_related("plan__unit")
        .order_by("plan__unit__code", "kind", "order")
    )
    context = {
        "year": year,
        "programmes": programmes,
        "unplanned": [
            unit
            for unit in scope.planning().valid_in_year(year).order_by("code")
            if unit.pk not in planned
        ],
        "awaiting": [plan for plan in plans if plan.status == PlanStatus.SUBMITTED],
        "unlinked": list(unlinked),
    }
    return render(request, "plans/coverage.html", context)
