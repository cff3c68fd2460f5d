"""Programme pages: read, create, edit, allocate a target to communes, history."""

from __future__ import annotations

import rules
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from org.evidence import evidence_for
from org.models import Unit, User
from org.rules import visible_units
from plans import history, services
from plans.allocation import AllocationFigures, allocation_figures
from plans.forms import AllocationForm, ProgrammeCreateForm, ProgrammeHeaderForm, service_error
from plans.models import FIRST_YEAR, LAST_YEAR, ItemKind, PlanItem, Programme, ProgrammeItem
from plans.sections import sections_by_kind
from plans.templatetags.plan_format import quantity
from plans.views.editor import (
    ItemEditor,
    error_links,
    programme_editor,
    read_posted,
)


def _programme(user: User, pk: int) -> Programme:
    return get_object_or_404(Programme.objects.visible_to(user).select_related("unit"), pk=pk)


def _require_editor(user: User, programme: Programme) -> None:
    if not rules.has_perm("plans.edit_programme", user, programme.unit):
        raise PermissionDenied


@require_safe
@login_required
def programme_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A programme's items by kind and field, each with the communes that took it up."""
    programme = _programme(request.user, pk)
    taken_up = (
        PlanItem.objects.filter(plan__unit__in=visible_units(request.user))
        .select_related("plan__unit")
        .order_by("plan__unit__code")
    )
    items = list(
        programme.items.select_related("field").prefetch_related(
            Prefetch("derived_items", queryset=taken_up, to_attr="taken_up")
        )
    )
    for item in items:
        item.communes = sorted(
            {derived.plan.unit for derived in item.taken_up}, key=lambda u: u.code
        )
    plans = (
        programme.plans.filter(unit__in=visible_units(request.user))
        .select_related("unit")
        .with_item_counts()
        .order_by("unit__code", "revision")
    )
    context = {
        "programme": programme,
        "sections": sections_by_kind(items),
        "plans": plans,
        "may_edit": rules.has_perm("plans.edit_programme", request.user, programme.unit),
        "evidence": evidence_for(request.user, programme),
    }
    return render(request, "plans/programme_detail.html", context)


@require_http_methods(["GET", "POST"])
@login_required
def programme_create(request: HttpRequest, year: int) -> HttpResponse:
    """Ban hành: a new programme of the user's own unit for a year.

    An admin without a unit of their own chooses the issuing unit on the form.
    """
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise Http404
    unit = request.user.unit
    if not rules.has_perm("plans.edit_programme", request.user, unit):
        raise PermissionDenied
    units = None
    if unit is None:
        units = visible_units(request.user).supervising().valid_in_year(year).order_by("code")
    form = ProgrammeCreateForm(request.POST or None, units=units)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        kind = data.pop("kind")
        unit = data.pop("unit", unit)
        try:
            programme = services.create_programme(unit, year, kind, by=request.user, **data)
        except ValidationError as error:
            form.add_error(None, service_error(error))
        else:
            messages.success(request, _("Đã tạo văn bản; hãy nhập các nội dung."))
            return redirect("plans:programme-edit", pk=programme.pk)
    status = 400 if request.method == "POST" else 200
    context = {"unit": unit, "year": year, "form": form}
    return render(request, "plans/programme_create.html", context, status=status)


@require_http_methods(["GET", "POST"])
@login_required
def programme_edit(request: HttpRequest, pk: int) -> HttpResponse:
    programme = _programme(request.user, pk)
    _require_editor(request.user, programme)
    data = request.POST if request.method == "POST" else None
    editor = programme_editor(programme, data)
    header = ProgrammeHeaderForm.for_document(programme, data)
    changes, again = read_posted(data, header, editor)
    if changes is None:
        return _edit_page(request, programme, header, editor, **again)
    try:
        services.save_programme(
            programme,
            by=request.user,
            expected_version=header.cleaned_data["version"],
            header=header.cleaned_data,
            changes=changes,
        )
    except services.EditConflict as conflict:
        return _conflict(request, conflict.current, changes)
    except ValidationError as error:
        header.add_error(None, service_error(error))
        return _edit_page(request, programme, header, editor, status=400)
    messages.success(request, _("Đã lưu văn bản."))
    return redirect(programme)


def _edit_page(
    request: HttpRequest,
    programme: Programme,
    header: ProgrammeHeaderForm,
    editor: ItemEditor,
    *,
    status: int = 200,
    confirm_delete: list[services.ItemChange] | None = None,
) -> HttpResponse:
    """The editor page: on opening, after "Thêm dòng", on refused input, or to confirm
    deleting rows."""
    context = {
        "programme": programme,
        "header": header,
        "editor": editor,
        "error_links": error_links(header, editor) if status == 400 else [],
    }
    if confirm_delete:
        context["confirm_delete"] = confirm_delete
    return render(request, "plans/programme_edit.html", context, status=status)


def _conflict(
    request: HttpRequest, current: Programme, changes: list[services.ItemChange]
) -> HttpResponse:
    """Someone saved first: show their version and what this user tried to save."""
    context = {
        "programme": current,
        "sections": sections_by_kind(list(current.items.select_related("field"))),
        "changes": [change for change in changes if change.values or change.delete],
    }
    return render(request, "plans/programme_conflict.html", context, status=409)


def _target(user: User, item_pk: int) -> ProgrammeItem:
    """A target of a programme the user may see; anything else is a 404."""
    targets = ProgrammeItem.objects.filter(
        programme__in=Programme.objects.visible_to(user), kind=ItemKind.TARGET
    ).select_related("programme__unit")
    return get_object_or_404(targets, pk=item_pk)


@require_http_methods(["GET", "POST"])
@login_required
def programme_allocate(request: HttpRequest, item_pk: int) -> HttpResponse:
    """Phân bổ chỉ tiêu: each commune's share of a district target, with the sum checked."""
    item = _target(request.user, item_pk)
    programme = item.programme
    _require_editor(request.user, programme)
    units = list(
        Unit.objects.within(programme.unit)
        .planning()
        .valid_in_year(programme.year)
        .order_by("code")
    )
    allocations = list(item.allocations.all())
    form = AllocationForm.for_target(item, allocations, units, request.POST or None)
    if request.method == "POST" and form.is_valid():
        shares = form.shares()
        try:
            services.allocate_target(
                item,
                by=request.user,
                expected_version=form.cleaned_data["version"],
                values=shares,
                note=form.cleaned_data["note"],
            )
        except services.EditConflict:
            return _stale(request, item)
        except ValidationError as error:
            form.add_error(None, service_error(error))
        else:
            return _saved(request, item, allocation_figures(item.value, shares.values()))
    context = {
        "item": item,
        "programme": programme,
        "form": form,
        "rows": form.rows(),
        **allocation_figures(item.value, (allocation.value for allocation in allocations)),
    }
    status = 400 if request.method == "POST" else 200
    return render(request, "plans/programme_allocate.html", context, status=status)


def _stale(request: HttpRequest, item: ProgrammeItem) -> HttpResponse:
    """Someone changed the programme since the form was opened: start again from their figures."""
    messages.error(
        request, _("Văn bản vừa được người khác cập nhật; hãy nhập lại trên số liệu mới.")
    )
    return redirect("plans:programme-allocate", item_pk=item.pk)


def _saved(request: HttpRequest, item: ProgrammeItem, figures: AllocationFigures) -> HttpResponse:
    """The shares are saved even when they miss the district's target; the miss is said."""
    total = figures["total"]
    if item.value is not None and total != item.value:
        messages.warning(
            request,
            _("Đã lưu. Tổng phân bổ %(total)s khác chỉ tiêu của huyện %(value)s.")
            % {
                "total": f"{quantity(total)} {item.measure_unit}".strip(),
                "value": f"{quantity(item.value)} {item.measure_unit}".strip(),
            },
        )
    else:
        messages.success(request, _("Đã lưu phân bổ chỉ tiêu."))
    return redirect("plans:programme-allocate", item_pk=item.pk)


@require_safe
@login_required
def programme_history(request: HttpRequest, pk: int) -> HttpResponse:
    programme = _programme(request.user, pk)
    context = {"programme": programme, "entries": history.programme_history(programme)}
    return render(request, "plans/programme_history.html", context)
