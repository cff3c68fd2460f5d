"""Pre-visit pack: what a delegation reads about one commune before it visits."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.views.decorators.http import require_safe

from inspections import packs
from org.params import year_param
from org.rules import visible_units
from plans.models import CommunePlan


@require_safe
@login_required
def unit_pack(request: HttpRequest, pk: int) -> HttpResponse:
    """The plan and its targets against the latest reported values, earlier directives with
    their status (which closed since the last visit), the last visit's conclusions and the
    commune's open commitments — one page, a fixed number of queries."""
    unit = get_object_or_404(visible_units(request.user).select_related("parent"), pk=pk)
    plans = list(CommunePlan.objects.filter(unit=unit).order_by("-year", "-revision"))
    context = packs.pack(unit, plans, year_param(request), timezone.localdate())
    context["may_record"] = request.user.has_perm("inspections.record_visit", unit)
    return render(request, "inspections/unit_pack.html", context)
