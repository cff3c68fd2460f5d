"""Commune plan pages: read, create, edit, the submit / approve / return workflow, revise,
history."""

from __future__ import annotations

import rules
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from org.evidence import evidence_for
from org.models import User
from org.rules import visible_units
from plans import history, services
from plans.due import plan_return_reasons
from plans.forms import (
    ApproveForm,
    PlanCreateForm,
    PlanHeaderForm,
    ReasonForm,
    RevisionForm,
    service_error,
)
from plans.models import FIRST_YEAR, LAST_YEAR, CommunePlan, Programme, ProgrammeItem
from plans.sections import sections_by_kind
from plans.views.editor import ItemEditor, error_links, plan_editor, read_posted


def _plan(user: User, pk: int) -> CommunePlan:
    """The plan if the user may see it; anything else is a 404."""
    plans = CommunePlan.objects.visible_to(user).select_related("unit__parent", "revises")
    return get_object_or_404(plans, pk=pk)


def _actions(user: User, plan: CommunePlan) -> dict[str, bool]:
    """Which workflow buttons the plan page shows (the services check again)."""
    may_edit = rules.has_perm("plans.edit_commune_plan", user, plan.unit)
    may_review = rules.has_perm("plans.review_commune_plan", user, plan.unit)
    revised = hasattr(plan, "revised_by")
    return {
        "edit": may_edit and plan.is_editable,
        "submit": may_edit and plan.is_editable,
        "review": may_review and plan.status == "submitted",
        "revise": may_edit and plan.status == "approved" and not revised,
    }


@require_safe
@login_required
def plan_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A commune plan, all its items by kind and field, with the district items behind them.

    A revision also shows, beside each target, the value of the approved plan it revises.
    """
    plan = get_object_or_404(
        CommunePlan.objects.visible_to(request.user)
        .select_related("unit__parent", "revises", "revised_by")
        .prefetch_related(
            Prefetch("programmes", queryset=Programme.objects.select_related("unit"))
        ),
        pk=pk,
    )
    items = list(
        plan.items.select_related("field", "revises").prefetch_related(
            Prefetch(
                "source_items",
                queryset=ProgrammeItem.objects.select_related("programme").order_by(
                    "programme__kind", "kind", "order"
                ),
            )
        )
    )
    context = {
        "plan": plan,
        "sections": sections_by_kind(items),
        "actions": _actions(request.user, plan),
        "revised_by": getattr(plan, "revised_by", None),
        "returned": plan_return_reasons([plan]).get(plan.pk),
        "evidence": evidence_for(request.user, plan),
    }
    return render(request, "plans/communeplan_detail.html", context)


@require_http_methods(["GET", "POST"])
@login_required
def plan_create(request: HttpRequest, unit_pk: int, year: int) -> HttpResponse:
    """Lập kế hoạch: a new draft for a commune and year, optionally from last year's.

    A year outside the portal's range, or a unit that did not exist that year (merged away
    or not yet created), is not found.
    """
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise Http404
    unit = get_object_or_404(visible_units(request.user).planning().valid_in_year(year), pk=unit_pk)
    if not rules.has_perm("plans.edit_commune_plan", request.user, unit):
        raise PermissionDenied
    existing = CommunePlan.objects.filter(unit=unit, year=year).order_by("-revision").first()
    if existing is not None:
        messages.info(request, _("Đơn vị đã có kế hoạch năm %(year)s.") % {"year": year})
        return redirect(existing)
    has_previous = CommunePlan.objects.filter(unit=unit, year=year - 1).exists()
    form = PlanCreateForm(
        request.POST or None,
        initial={
            "title": _("Kế hoạch cụ thể hóa nhiệm vụ chính trị năm %(year)s") % {"year": year}
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            plan = services.create_plan(unit, year, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, service_error(error))
        else:
            messages.success(request, _("Đã lập dự thảo kế hoạch."))
            return redirect("plans:plan-edit", pk=plan.pk)
    context = {"unit": unit, "year": year, "form": form, "has_previous": has_previous}
    status = 400 if request.method == "POST" else 200
    return render(request, "plans/communeplan_create.html", context, status=status)


@require_http_methods(["GET", "POST"])
@login_required
def plan_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """The editor: header and all four kinds of item on one page, saved all or nothing."""
    plan = _plan(request.user, pk)
    if not rules.has_perm("plans.edit_commune_plan", request.user, plan.unit):
        raise PermissionDenied
    if not plan.is_editable:
        return _not_editable(request, plan)
    data = request.POST if request.method == "POST" else None
    editor = plan_editor(plan, data)
    header = PlanHeaderForm.for_document(plan, data)
    changes, again = read_posted(data, header, editor)
    if changes is None:
        return _edit_page(request, plan, header, editor, **again)
    try:
        services.save_plan(
            plan,
            by=request.user,
            expected_version=header.cleaned_data["version"],
            header=header.cleaned_data,
            changes=changes,
        )
    except services.EditConflict as conflict:
        return _conflict(request, plan, conflict.current, changes)
    except ValidationError as error:
        header.add_error(None, service_error(error))
        return _edit_page(request, plan, header, editor, status=400)
    messages.success(request, _("Đã lưu kế hoạch."))
    return redirect(plan)


def _not_editable(request: HttpRequest, plan: CommunePlan) -> HttpResponse:
    messages.warning(
        request,
        _("Kế hoạch đang ở trạng thái “%(status)s”, không thể chỉnh sửa.")
        % {"status": plan.get_status_display()},
    )
    return redirect(plan)


def _edit_page(
    request: HttpRequest,
    plan: CommunePlan,
    header: PlanHeaderForm,
    editor: ItemEditor,
    *,
    status: int = 200,
    confirm_delete: list[services.ItemChange] | None = None,
) -> HttpResponse:
    """The editor page: on opening, after "Thêm dòng", on refused input, or to confirm
    deleting rows."""
    context = {
        "plan": plan,
        "header": header,
        "editor": editor,
        "returned": plan_return_reasons([plan]).get(plan.pk),
        "error_links": error_links(header, editor) if status == 400 else [],
    }
    if confirm_delete:
        context["confirm_delete"] = confirm_delete
    return render(request, "plans/communeplan_edit.html", context, status=status)


def _conflict(
    request: HttpRequest, plan: CommunePlan, current: CommunePlan, changes: list
) -> HttpResponse:
    """Someone saved first: show their version and what this user tried to save."""
    current_items = list(current.items.select_related("field"))
    context = {
        "plan": current,
        "sections": sections_by_kind(current_items),
        "changes": [change for change in changes if change.values or change.delete],
        "mine_version": plan.version,
    }
    return render(request, "plans/communeplan_conflict.html", context, status=409)


def _workflow_result(request: HttpRequest, plan: CommunePlan, done: str) -> HttpResponse:
    messages.success(request, done)
    return redirect(plan)


@require_POST
@login_required
def plan_submit(request: HttpRequest, pk: int) -> HttpResponse:
    plan = _plan(request.user, pk)
    try:
        services.submit_plan(plan, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(plan)
    return _workflow_result(request, plan, _("Đã trình kế hoạch để cấp trên duyệt."))


@require_http_methods(["GET", "POST"])
@login_required
def plan_approve(request: HttpRequest, pk: int) -> HttpResponse:
    """Confirmation page, then submitted → approved."""
    plan = _plan(request.user, pk)
    if not rules.has_perm("plans.review_commune_plan", request.user, plan.unit):
        raise PermissionDenied
    form = ApproveForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.approve_plan(plan, by=request.user, note=form.cleaned_data["note"])
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect(plan)
        return _workflow_result(request, plan, _("Đã duyệt kế hoạch."))
    return render(
        request, "plans/communeplan_review.html", {"plan": plan, "form": form, "action": "approve"}
    )


@require_http_methods(["GET", "POST"])
@login_required
def plan_return(request: HttpRequest, pk: int) -> HttpResponse:
    """Submitted → returned, with a required reason."""
    plan = _plan(request.user, pk)
    if not rules.has_perm("plans.review_commune_plan", request.user, plan.unit):
        raise PermissionDenied
    form = ReasonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.return_plan(plan, by=request.user, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect(plan)
        return _workflow_result(request, plan, _("Đã trả lại kế hoạch cho xã."))
    status = 400 if request.method == "POST" else 200
    context = {"plan": plan, "form": form, "action": "return"}
    return render(request, "plans/communeplan_review.html", context, status=status)


@require_http_methods(["GET", "POST"])
@login_required
def plan_revise(request: HttpRequest, pk: int) -> HttpResponse:
    """Điều chỉnh kế hoạch: start a revision of an approved plan."""
    plan = _plan(request.user, pk)
    if not rules.has_perm("plans.edit_commune_plan", request.user, plan.unit):
        raise PermissionDenied
    form = RevisionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            revision = services.start_revision(plan, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect(plan)
        messages.success(request, _("Đã tạo bản điều chỉnh; hãy sửa rồi trình duyệt lại."))
        return redirect("plans:plan-edit", pk=revision.pk)
    status = 400 if request.method == "POST" else 200
    return render(
        request, "plans/communeplan_revise.html", {"plan": plan, "form": form}, status=status
    )


@require_safe
@login_required
def plan_history(request: HttpRequest, pk: int) -> HttpResponse:
    """Who changed what, when and why: field changes and workflow steps, newest first."""
    plan = _plan(request.user, pk)
    context = {"plan": plan, "entries": history.plan_history(plan)}
    return render(request, "plans/communeplan_history.html", context)
