"""The pre-visit pack's reads: what a delegation learns about one commune before it visits.

Given the commune and its plans, this builds everything the pack shows: the year's plan in
force and its targets against the latest submitted report, the last visit's conclusions,
earlier directives split by status with their rates, and the open commitments. A fixed
number of queries whatever the commune's history.
"""

from __future__ import annotations

import datetime

from inspections.models import Commitment, Directive, FindingKind, Visit
from inspections.rates import rates
from org.models import Unit
from plans.models import CommunePlan, PlanStatus, ProgressReport, ReportStatus
from plans.progress import plan_targets, target_lines


def plan_of(plans: list[CommunePlan], year: int) -> CommunePlan | None:
    """The year's plan in force: the latest approved revision, else the latest draft."""
    of_year = [plan for plan in plans if plan.year == year]
    approved = [plan for plan in of_year if plan.status == PlanStatus.APPROVED]
    return (approved or of_year or [None])[0]


def pack(
    unit: Unit, plans: list[CommunePlan], year: int | None, today: datetime.date
) -> dict[str, object]:
    """The pack for `year` (the latest year planned when the commune has no plan for it);
    `plans` are the commune's plans, latest year and revision first."""
    years = sorted({plan.year for plan in plans}, reverse=True)
    if year not in years:
        year = years[0] if years else today.year
    return {
        "unit": unit,
        "year": year,
        "years": years,
        **plan_progress(plan_of(plans, year)),
        **last_visit(unit),
        **directives(unit, today),
    }


def plan_progress(plan: CommunePlan | None) -> dict[str, object]:
    """The plan, its latest submitted report and each target's line at that report's period
    (targets without a value when nothing has been reported)."""
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
    return {"plan": plan, "report": report, "lines": lines}


def last_visit(unit: Unit) -> dict[str, object]:
    """The commune's latest visit and its conclusions: strengths apart from the rest."""
    visit = Visit.objects.filter(host=unit).select_related("delegation").order_by("-date").first()
    findings = list(visit.findings.all()) if visit else []
    return {
        "last_visit": visit,
        "last_strengths": [f for f in findings if f.kind == FindingKind.STRENGTH],
        "last_shortcomings": [f for f in findings if f.kind != FindingKind.STRENGTH],
    }


def directives(unit: Unit, today: datetime.date) -> dict[str, object]:
    """Earlier directives, open by deadline and closed latest first, their rates, and the
    commitments the commune has not yet kept."""
    issued = list(
        Directive.objects.filter(unit=unit).select_related("visit", "field").order_by("deadline")
    )
    return {
        "open_directives": [d for d in issued if d.completed_on is None],
        "closed_directives": sorted(
            (d for d in issued if d.completed_on is not None),
            key=lambda d: d.completed_on,
            reverse=True,
        ),
        "rates": rates(Directive.objects.filter(unit=unit), today),
        "commitments": list(
            Commitment.objects.filter(unit=unit, done=False).select_related("visit")
        ),
    }
