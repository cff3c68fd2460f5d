"""The commune plan and its period reports as Word or PDF documents (Nghị định 30/2020/NĐ-CP),
for whoever may open the page that shows them: anyone else gets what that page gives them
(login, 404). `kind` ("docx" or "pdf") comes from the URL conf."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.views.decorators.http import require_safe

from org.documents import document_response
from plans import documents
from plans.models import CommunePlan, Period, Programme, ProgressReport
from plans.progress import plan_targets, target_lines


@require_safe
@login_required
def plan_document(request: HttpRequest, pk: int, kind: str) -> HttpResponse:
    """The plan the user may see (else 404) as Kế hoạch, in four queries after the user's."""
    plan = get_object_or_404(
        CommunePlan.objects.visible_to(request.user)
        .select_related("unit__parent")
        .prefetch_related(
            Prefetch("programmes", queryset=Programme.objects.select_related("unit"))
        ),
        pk=pk,
    )
    context = documents.plan_context(plan, list(plan.items.all()))
    return document_response(
        request, kind, documents.PLAN, context, documents.plan_filename(plan, kind)
    )


@require_safe
@login_required
def report_document(request: HttpRequest, plan_pk: int, period_pk: int, kind: str) -> HttpResponse:
    """The plan's report of the period, if the user may see the plan's progress page (else
    404, as there), with the values the page shows, drafts included."""
    plan = get_object_or_404(
        CommunePlan.objects.visible_to(request.user).select_related("unit__parent"), pk=plan_pk
    )
    period = get_object_or_404(Period, pk=period_pk, year=plan.year)
    report = get_object_or_404(ProgressReport, plan=plan, period=period)
    report.plan, report.period = plan, period
    lines = target_lines(plan, period, plan_targets(plan), include_drafts=True)
    context = documents.report_context(report, lines)
    return document_response(
        request, kind, documents.REPORT, context, documents.report_filename(report, kind)
    )
