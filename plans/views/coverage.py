"""Coverage: how the year's programmes were taken up by the commune plans in scope."""

from __future__ import annotations

import rules
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from org.params import selected_year
from org.rules import visible_units
from plans.coverage import awaiting_approval, programme_rows, unlinked_items, unplanned_units
from plans.models import CommunePlan, PlanItem, Programme


@require_safe
@login_required
def coverage(request: HttpRequest) -> HttpResponse:
    """For each programme item the communes that took it up; commune items linked to
    nothing; communes without a plan; plans waiting for approval."""
    return render(request, "plans/coverage.html", coverage_context(request))


def coverage_context(request: HttpRequest) -> dict:
    """What the coverage page and its Excel download read."""
    if not rules.has_perm("plans.view_coverage", request.user):
        raise PermissionDenied
    scope = visible_units(request.user)
    programmes = Programme.objects.filter(unit__in=scope)
    year = selected_year(
        request, list(programmes.order_by().values_list("year", flat=True).distinct())
    )
    plan_items = PlanItem.objects.filter(plan__unit__in=scope, plan__year=year)
    rows = programme_rows(programmes.filter(year=year), plan_items)
    plans = list(
        CommunePlan.objects.filter(unit__in=scope, year=year)
        .select_related("unit")
        .order_by("unit__code", "revision")
    )
    return {
        "year": year,
        "programmes": rows,
        "unplanned": unplanned_units(scope.planning().valid_in_year(year).order_by("code"), plans),
        "awaiting": awaiting_approval(plans),
        "unlinked": unlinked_items(plan_items),
    }
