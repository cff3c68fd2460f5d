"""The commune plan and its period reports as Word or PDF documents (Nghị định 30/2020/NĐ-CP),
for whoever may open the page that shows them: anyone else gets what that page gives them
(login, 404)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.views.decorators.http import require_safe

from org.documents import docx_response, pdf_response
from org.models import User
from plans import documents
from plans.models import CommunePlan, Period, Programme, ProgressReport
from plans.progress import plan_targets, target_lines


def _plan_context(user: User, pk: int) -> tuple[CommunePlan, dict]:
    """The plan the user may see (else 404) and its document's context, in four queries."""
    plan = get_object_or_404(
        CommunePlan.objects.visible_to(user)
        .select_related("unit__parent")
        .prefetch_related(
            Prefetch("programmes", queryset=Programme.objects.select_related("unit"))
        ),
        pk=pk,
    )
    return plan, documents.plan_context(plan, list(plan.items.all()))


@require_safe
@login_required
def plan_docx(request: HttpRequest, pk: int) -> HttpResponse:
    plan, context = _plan_context(request.user, pk)
    return docx_response(documents.DOCX_TEMPLATE, context, documents.plan_filename(plan, "docx"))


@require_safe
@login_required
def plan_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    plan, context = _plan_context(request.user, pk)
    return pdf_response(
        request, documents.HTML_TEMPLATE, context, documents.plan_filename(plan, "pdf")
    )


def _report_context(user: User, plan_pk: int, period_pk: int) -> tuple[ProgressReport, dict]:
    """The plan's report of the period, if the user may see the plan's progress page (else
    404, as there), with the values the page shows, drafts included."""
    plan = get_object_or_404(
        CommunePlan.objects.visible_to(user).select_related("unit__parent"), pk=plan_pk
    )
    period = get_object_or_404(Period, pk=period_pk, year=plan.year)
    report = get_object_or_404(ProgressReport, plan=plan, period=period)
    report.plan, report.period = plan, period
    lines = target_lines(plan, period, plan_targets(plan), include_drafts=True)
    return report, documents.report_context(report, lines)


@require_safe
@login_required
def report_docx(request: HttpRequest, plan_pk: int, period_pk: int) -> HttpResponse:
    report, context = _report_context(request.user, plan_pk, period_pk)
    return docx_response(
        documents.REPORT_DOCX_TEMPLATE, context, documents.report_filename(report, "docx")
    )


@require_safe
@login_required
def report_pdf(request: HttpRequest, plan_pk: int, period_pk: int) -> HttpResponse:
    report, context = _report_context(request.user, plan_pk, period_pk)
    return pdf_response(
        request,
        documents.REPORT_HTML_TEMPLATE,
        context,
        documents.report_filename(report, "pdf"),
    )
