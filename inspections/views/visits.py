"""Visit pages: the list, a visit with its findings and directives, recording, the notice."""

from __future__ import annotations

from functools import partial

import rules
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.forms import Form
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from inspections import notice, services
from inspections.forms import (
    CommitmentForm,
    DirectiveForm,
    FindingForm,
    VisitFilterForm,
    VisitForm,
)
from inspections.models import (
    Campaign,
    Commitment,
    Delegation,
    Finding,
    FindingKind,
    Visit,
    VisitKind,
)
from org.params import parse_id
from org.search import matching
from plans.models import CommunePlan


def save_form(request: HttpRequest, form: Form, save, done: str) -> bool:
    """Validate the form and run the service with its data: True when saved (with a message),
    False with the errors on the form."""
    if not form.is_valid():
        return False
    try:
        save(**form.cleaned_data)
    except ValidationError as error:
        add_errors(form, error)
        return False
    messages.success(request, done)
    return True


def add_errors(form: Form, error: ValidationError) -> None:
    """A service's validation errors on the form: by field where the form has the field."""
    if hasattr(error, "error_dict"):
        for name, errors in error.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, error)


@require_safe
@login_required
def visit_list(request: HttpRequest) -> HttpResponse:
    visits = Visit.objects.visible_to(request.user).select_related(
        "host", "delegation", "campaign", "cluster"
    )
    filters = VisitFilterForm(request.GET or None)
    if filters.is_valid():
        if kind := filters.cleaned_data["kind"]:
            visits = visits.filter(kind=kind)
        if year := filters.cleaned_data["year"]:
            visits = visits.filter(date__year=year)
        if q := filters.cleaned_data["q"]:
            visits = matching(visits, q, "host__name", "topic")
    page = Paginator(visits.order_by("-date", "host__code"), 30).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "filters": filters,
        "may_record": request.user.has_perm("inspections.record_visits"),
    }
    return render(request, "inspections/visit_list.html", context)


def _visit(request: HttpRequest, pk: int) -> Visit:
    return get_object_or_404(
        Visit.objects.visible_to(request.user).select_related(
            "host__parent", "delegation", "campaign__unit", "cluster"
        ),
        pk=pk,
    )


def _recordable_visit(request: HttpRequest, pk: int) -> Visit:
    visit = _visit(request, pk)
    if not rules.has_perm("inspections.record_visit", request.user, visit):
        raise PermissionDenied
    return visit


@require_safe
@login_required
def visit_detail(request: HttpRequest, pk: int) -> HttpResponse:
    visit = _visit(request, pk)
    may_record = rules.has_perm("inspections.record_visit", request.user, visit)
    return _render_visit(request, visit, may_record)


def _render_visit(
    request: HttpRequest,
    visit: Visit,
    may_record: bool,
    finding_form: FindingForm | None = None,
    commitment_form: CommitmentForm | None = None,
    status: int = 200,
) -> HttpResponse:
    findings = list(visit.findings.select_related("field"))
    context = {
        "visit": visit,
        "findings": {kind: [f for f in findings if f.kind == kind] for kind in FindingKind},
        "kinds": FindingKind,
        "directives": list(visit.directives.select_related("field", "unit")),
        "commitments": list(visit.commitments.all()),
        "plans": list(visit.plans.select_related("unit")),
        "attending": list(visit.attending.order_by("code")) if visit.is_conference else [],
        "may_record": may_record,
    }
    if may_record:
        context["finding_form"] = finding_form or FindingForm(prefix="finding")
        context["commitment_form"] = commitment_form or CommitmentForm(prefix="commitment")
    return render(request, "inspections/visit_detail.html", context, status=status)


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def visit_create(request: HttpRequest) -> HttpResponse:
    if not request.user.has_perm("inspections.record_visits"):
        raise PermissionDenied
    initial = {"kind": VisitKind.PLAN_INSPECTION, "date": timezone.localdate()}
    initial |= {key: value for key in ("host", "kind") if (value := request.GET.get(key))}
    if "host" in initial and parse_id(initial["host"]) is None:
        del initial["host"]
    if "host" in initial:
        # The newest of the user's delegations that covers the host, if any.
        initial["delegation"] = (
            Delegation.objects.filter(units=initial["host"], members=request.user)
            .order_by("-campaign__year")
            .values_list("pk", flat=True)
            .first()
        )
    form = VisitForm(request.POST or None, user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        values = dict(form.cleaned_data)
        host = values.pop("host")
        values["plans"] = CommunePlan.objects.filter(unit=host, year=values["date"].year)
        try:
            visit = services.record_visit(host, by=request.user, **values)
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("Đã ghi nhận buổi làm việc."))
            return redirect(visit)
    status = 400 if form.is_bound else 200
    return render(request, "inspections/visit_form.html", {"form": form}, status=status)


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def visit_edit(request: HttpRequest, pk: int) -> HttpResponse:
    visit = _recordable_visit(request, pk)
    form = VisitForm(request.POST or None, user=request.user, instance=visit)
    save = partial(services.update_visit, visit, by=request.user)
    if request.method == "POST" and save_form(request, form, save, _("Đã lưu buổi làm việc.")):
        return redirect(visit)
    status = 400 if form.is_bound else 200
    context = {"form": form, "visit": visit}
    return render(request, "inspections/visit_form.html", context, status=status)


@require_POST
@login_required
def finding_add(request: HttpRequest, pk: int) -> HttpResponse:
    visit = _recordable_visit(request, pk)
    form = FindingForm(request.POST, prefix="finding")
    save = partial(services.add_finding, visit, by=request.user)
    if save_form(request, form, save, _("Đã thêm nhận xét.")):
        if not request.htmx:
            return redirect(visit)
        # Added in place: a blank form keeping the kind, for the next finding of that kind.
        form = FindingForm(prefix="finding", initial={"kind": form.cleaned_data["kind"]})
        status = 200
    else:
        status = 400
    if request.htmx:
        form.fields["text"].widget.attrs["autofocus"] = True
    return _render_visit(request, visit, True, finding_form=form, status=status)


@require_POST
@login_required
def commitment_add(request: HttpRequest, pk: int) -> HttpResponse:
    visit = _recordable_visit(request, pk)
    form = CommitmentForm(request.POST, prefix="commitment")
    save = partial(services.add_commitment, visit, by=request.user)
    if save_form(request, form, save, _("Đã thêm cam kết.")):
        return redirect(visit)
    return _render_visit(request, visit, True, commitment_form=form, status=400)


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def directive_create(request: HttpRequest, pk: int) -> HttpResponse:
    """Issue a directive at a visit; `?finding=` turns a shortcoming into one."""
    visit = _recordable_visit(request, pk)
    finding = None
    finding_pk = request.POST.get("finding") or request.GET.get("finding")
    if finding_pk:
        finding = get_object_or_404(
            visit.findings.exclude(kind=FindingKind.STRENGTH).select_related("field"),
            pk=parse_id(finding_pk) or 0,
        )
    initial = {"lead": visit.host.full_name}
    if finding is not None:
        initial |= {"text": finding.text, "field": finding.field_id}
    form = DirectiveForm(request.POST or None, visit=visit, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            directive = services.issue_directive(
                visit, by=request.user, finding=finding, **form.cleaned_data
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("Đã ban hành ý kiến chỉ đạo."))
            return redirect(directive)
    status = 400 if form.is_bound else 200
    context = {"form": form, "visit": visit, "finding": finding}
    return render(request, "inspections/directive_form.html", context, status=status)


def _confirm_delete(request: HttpRequest, obj, back, delete, what: str) -> HttpResponse:
    """GET shows what will be deleted; POST deletes it and returns to the page it was on."""
    if request.method == "POST":
        try:
            delete(obj, by=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Đã xóa."))
        return redirect(back)
    context = {"object": obj, "what": what, "cancel_url": back.get_absolute_url()}
    return render(request, "inspections/confirm_delete.html", context)


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def finding_delete(request: HttpRequest, pk: int) -> HttpResponse:
    """A visit's remark, or a campaign's district-wide one (the service checks who may)."""
    finding = get_object_or_404(
        Finding.objects.filter(
            Q(visit__in=Visit.objects.visible_to(request.user))
            | Q(campaign__in=Campaign.objects.visible_to(request.user))
        ).select_related("visit__host", "campaign__unit"),
        pk=pk,
    )
    if finding.visit_id is not None:
        allowed = rules.has_perm("inspections.record_visit", request.user, finding.visit)
    else:
        allowed = rules.has_perm("inspections.manage_campaign", request.user, finding.campaign.unit)
    if not allowed:
        raise PermissionDenied
    return _confirm_delete(
        request, finding, finding.visit or finding.campaign, services.delete_finding, _("nhận xét")
    )


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def commitment_delete(request: HttpRequest, pk: int) -> HttpResponse:
    commitment = get_object_or_404(
        Commitment.objects.filter(visit__in=Visit.objects.visible_to(request.user)).select_related(
            "visit__host"
        ),
        pk=pk,
    )
    if not rules.has_perm("inspections.record_visit", request.user, commitment.visit):
        raise PermissionDenied
    return _confirm_delete(
        request, commitment, commitment.visit, services.delete_commitment, _("cam kết")
    )


@require_safe
@login_required
def visit_notice(request: HttpRequest, pk: int) -> HttpResponse:
    """Thông báo kết luận in the Vietnamese administrative layout, ready to print."""
    visit = _visit(request, pk)
    return render(request, "inspections/visit_notice.html", notice.notice_context(visit))
