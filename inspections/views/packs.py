"""Pre-visit pack: what a delegation reads about one commune before it visits."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.views.decorators.http import require_safe

from inspections.models import Commitment, Directive, FindingKind, Visit
from inspections.rates import rates
from org.params import year_param
from org.rules import visible_units
from plans.models import CommunePlan, PlanStatus, ProgressReport, ReportStatus
from plans.progress import plan_targets, target_lines


def _plan_of(plans: list[CommunePlan], year: int) -> CommunePlan | None:
    """The year's plan in force: the latest approved revision, else the latest draft."""
    of_year = [plan for plan in plans if plan.year == year]
    approved = [plan for plan in of_year if plan.status == PlanStatus.APPROVED]
    return (approved or of_year or [None])[0]


@require_safe
@login_required
def unit_pack(request: HttpRequest, pk: int) -> HttpResponse:
    """The plan and its targets against the latest reported values, earlier directives with
    their status (which closed since the last visit), the last visit's conclusions and the
    commune's open commitments — one page, a fixed number of queries."""
    unit = get_object_or_404(visible_units(request.user).select_related("parent"), pk=pk)
    today = timezone.localdate()
    plans = list(CommunePlan.objects.filter(unit=unit).order_by("-year", "-revision"))
    years = sorted({plan.year for plan in plans}, reverse=True)
    year = year_param(request)
    if year not in years:
        year = years[0] if years else today.year
    plan = _plan_of(plans, year)

    report = lines = None
    if plan is not None:
        report = (
            ProgressReport.objects.filter(plan=plan, status=ReportStatus.SUBMITTED)
            .select_related("period")
            .order_by("-period__end", "period__start")
            .first()
        )
        targets = plan_targets(plan)
        lines = target_lines(plan, report.period, targets) if report else None
        if lines is None:
            lines = [{"item": item, "value": None} for item in targets]

    last_visit = (
        Visit.objects.filter(host=unit).select_related("delegation").order_by("-date").first()
    )
    directives = list(
        Directive.objects.filter(unit=unit).select_related("visit", "field").order_by("deadline")
    )
    findings = list(last_visit.findings.all()) if last_visit else []
    context = {
        "unit": unit,
        "year": year,
        "years": years,
        "plan": plan,
        "report": report,
        "lines": lines,
        "last_visit": last_visit,
        "last_strengths": [f for f in findings if f.kind == FindingKind.STRENGTH],
        "last_shortcomings": [f for f in findings if f.kind != FindingKind.STRENGTH],
        "open_directives": [d for d in directives if d.completed_on is None],
        "closed_directives": sorted(
            (d for d in directives if d.completed_on is not None),
            key=lambda d: d.completed_on,
            reverse=True,
        ),
        "rates": rates(Directive.objects.filter(unit=unit), today),
        "commitments": list(
            Commitment.objects.filter(unit=unit, done=False).select_related("visit")
        ),
        "may_record": request.user.has_perm("inspections.record_visit", unit),
    }
    return render(request, "inspections/unit_pack.html", context)
