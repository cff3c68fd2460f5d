"""Inspection pages: visits, directives with their follow-up, the conclusion notice."""

from __future__ import annotations

import datetime

import rules
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from inspections import services
from inspections.forms import AnswerForm, CloseForm
from inspections.models import DeadlineClass, Directive, DirectiveUpdate, FindingKind, Visit

DUE_SOON_DAYS = 14


@require_safe
@login_required
def visit_list(request: HttpRequest) -> HttpResponse:
    visits = (
        Visit.objects.visible_to(request.user)
        .select_related("host", "delegation", "campaign")
        .order_by("-date", "host__code")
    )
    page = Paginator(visits, 30).get_page(request.GET.get("page"))
    return render(request, "inspections/visit_list.html", {"page": page})


def _visit(request: HttpRequest, pk: int) -> Visit:
    return get_object_or_404(
        Visit.objects.visible_to(request.user).select_related(
            "host__parent", "delegation", "campaign"
        ),
        pk=pk,
    )


@require_safe
@login_required
def visit_detail(request: HttpRequest, pk: int) -> HttpResponse:
    visit = _visit(request, pk)
    findings = list(visit.findings.select_related("field"))
    directives = list(visit.directives.select_related("field"))
    context = {
        "visit": visit,
        "strengths": [f for f in findings if f.kind == FindingKind.STRENGTH],
        "shortcomings": [f for f in findings if f.kind == FindingKind.SHORTCOMING],
        "obstacles": [f for f in findings if f.kind == FindingKind.OBSTACLE],
        "directives": directives,
        "commitments": list(visit.commitments.all()),
        "plans": list(visit.plans.select_related("unit")),
    }
    return render(request, "inspections/visit_detail.html", context)


@require_safe
@login_required
def visit_notice(request: HttpRequest, pk: int) -> HttpResponse:
    """Thông báo kết luận in the Vietnamese administrative layout, ready to print."""
    visit = _visit(request, pk)
    findings = list(visit.findings.all())
    context = {
        "visit": visit,
        "strengths": [f for f in findings if f.kind == FindingKind.STRENGTH],
        "shortcomings": [f for f in findings if f.kind != FindingKind.STRENGTH],
        "directives": list(visit.directives.all()),
        "recipients": [line for line in visit.recipients.splitlines() if line.strip()],
    }
    return render(request, "inspections/visit_notice.html", context)


@require_safe
@login_required
def directive_list(request: HttpRequest) -> HttpResponse:
    """Overdue, due-soon, open or all directives of the units in the user's scope."""
    today = timezone.localdate()
    show = request.GET.get("show", "open")
    directives = Directive.objects.visible_to(request.user).select_related("unit", "visit")
    if show == "overdue":
        directives = directives.overdue(today)
    elif show == "due_soon":
        soon = today + datetime.timedelta(days=DUE_SOON_DAYS)
        directives = directives.open().filter(deadline__gte=today, deadline__lte=soon)
    elif show == "open":
        directives = directives.open()
    else:
        show = "all"
    page = Paginator(directives.order_by("deadline", "pk"), 50).get_page(request.GET.get("page"))
    context = {"page": page, "show": show, "today": today, "due_soon_days": DUE_SOON_DAYS}
    return render(request, "inspections/directive_list.html", context)


def _directive(request: HttpRequest, pk: int) -> Directive:
    return get_object_or_404(
        Directive.objects.visible_to(request.user)
        .select_related("unit__parent", "visit__host", "field", "verified_by", "plan_item__plan")
        .prefetch_related(
            Prefetch("updates", queryset=DirectiveUpdate.objects.select_related("by"))
        ),
        pk=pk,
    )


@require_safe
@login_required
def directive_detail(request: HttpRequest, pk: int) -> HttpResponse:
    directive = _directive(request, pk)
    return _render_directive(
        request, directive, AnswerForm(), CloseForm(initial={"completed_on": timezone.localdate()})
    )


def _render_directive(
    request, directive, answer_form, close_form, status: int = 200
) -> HttpResponse:
    context = {
        "directive": directive,
        "deadline_class": directive.deadline_class(),
        "classes": DeadlineClass,
        "may_answer": directive.completed_on is None
        and rules.has_perm("inspections.answer_directive", request.user, directive.unit),
        "may_verify": rules.has_perm("inspections.verify_directive", request.user, directive.unit),
        "answer_form": answer_form,
        "close_form": close_form,
    }
    return render(request, "inspections/directive_detail.html", context, status=status)


@require_POST
@login_required
def directive_answer(request: HttpRequest, pk: int) -> HttpResponse:
    directive = _directive(request, pk)
    form = AnswerForm(request.POST)
    if form.is_valid():
        try:
            services.answer_directive(directive, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Đã gửi báo cáo thực hiện."))
            return redirect(directive)
    return _render_directive(request, directive, form, CloseForm(), status=400)


@require_POST
@login_required
def directive_close(request: HttpRequest, pk: int) -> HttpResponse:
    directive = _directive(request, pk)
    form = CloseForm(request.POST)
    if form.is_valid():
        try:
            services.close_directive(directive, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Đã xác nhận hoàn thành."))
            return redirect(directive)
    return _render_directive(request, directive, AnswerForm(), form, status=400)
