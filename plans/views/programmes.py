"""Programme pages: read, create, edit, allocate a target to communes, history."""

from __future__ import annotations

from decimal import Decimal

import rules
from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from org.models import Unit, User
from org.rules import visible_units
from plans import history, services
from plans.forms import (
    ProgrammeCreateForm,
    ProgrammeHeaderForm,
    QuantityField,
    TextField,
    service_error,
)
from plans.models import FIRST_YEAR, LAST_YEAR, ItemKind, PlanItem, Programme, ProgrammeItem
from plans.views.editor import ItemEditor
from plans.views.sections import sections_by_kind


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
    items = list(programme.items.all())
    data = request.POST if request.method == "POST" else None
    header = ProgrammeHeaderForm(
        data,
        initial={
            "version": programme.version,
            "number": programme.number,
            "title": programme.title,
            "issued_on": programme.issued_on,
            "motto": programme.motto,
            "term_note": programme.term_note,
        },
    )
    editor = ItemEditor(
        items, year=programme.year, data=data, source_items=[], with_plan_fields=False
    )
    status = 200
    if data is not None and not editor.adding_row:
        status = 400
        if header.is_valid() and editor.is_valid():
            try:
                changes = editor.changes()
            except KeyError as error:
                raise Http404 from error
            deleting = [change for change in changes if change.delete]
            if deleting and "confirm-delete" not in request.POST:
                context = {
                    "programme": programme,
                    "header": header,
                    "editor": editor,
                    "confirm_delete": deleting,
                }
                return render(request, "plans/programme_edit.html", context)
            try:
                services.save_programme(
                    programme,
                    by=request.user,
                    expected_version=header.cleaned_data["version"],
                    header=header.cleaned_data,
                    changes=changes,
                )
            except services.EditConflict as conflict:
                current = conflict.current
                context = {
                    "programme": current,
                    "sections": sections_by_kind(list(current.items.select_related("field"))),
                    "changes": [c for c in changes if c.values or c.delete],
                }
                return render(request, "plans/programme_conflict.html", context, status=409)
            except ValidationError as error:
                header.add_error(None, service_error(error))
            else:
                messages.success(request, _("Đã lưu văn bản."))
                return redirect(programme)
    context = {"programme": programme, "header": header, "editor": editor}
    return render(request, "plans/programme_edit.html", context, status=status)


def _allocation_form(units: list[Unit], data, initial: dict) -> forms.Form:
    form_fields = {
        "version": forms.IntegerField(widget=forms.HiddenInput),
        "note": TextField(
            label=_("Ghi chú phân bổ"), required=False, widget=forms.Textarea(attrs={"rows": 2})
        ),
    }
    for unit in units:
        form_fields[f"unit_{unit.pk}"] = QuantityField(label=unit.display_name, required=False)
    return type("AllocationForm", (forms.Form,), form_fields)(data, initial=initial)


@require_http_methods(["GET", "POST"])
@login_required
def programme_allocate(request: HttpRequest, item_pk: int) -> HttpResponse:
    """Phân bổ chỉ tiêu: each commune's share of a district target, with the sum checked."""
    item = get_object_or_404(
        ProgrammeItem.objects.filter(
            programme__in=Programme.objects.visible_to(request.user), kind=ItemKind.TARGET
        ).select_related("programme__unit"),
        pk=item_pk,
    )
    programme = item.programme
    _require_editor(request.user, programme)
    units = list(
        Unit.objects.within(programme.unit)
        .planning()
        .valid_in_year(programme.year)
        .order_by("code")
    )
    allocations = {a.unit_id: a for a in item.allocations.all()}
    initial = {"version": programme.version, "note": item.allocation_note}
    initial |= {f"unit_{unit_pk}": a.value for unit_pk, a in allocations.items()}
    form = _allocation_form(units, request.POST or None, initial)
    if request.method == "POST" and form.is_valid():
        values = {unit: form.cleaned_data[f"unit_{unit.pk}"] for unit in units}
        try:
            services.allocate_target(
                item,
                by=request.user,
                expected_version=form.cleaned_data["version"],
                values=values,
                note=form.cleaned_data["note"],
            )
        except services.EditConflict:
            messages.error(
                request, _("Văn bản vừa được người khác cập nhật; hãy nhập lại trên số liệu mới.")
            )
            return redirect("plans:programme-allocate", item_pk=item.pk)
        except ValidationError as error:
            form.add_error(None, service_error(error))
        else:
            total = sum((v for v in values.values() if v is not None), Decimal(0))
            if item.value is not None and total != item.value:
                messages.warning(
                    request,
                    _("Đã lưu. Tổng phân bổ %(total)s khác chỉ tiêu của huyện %(value)s.")
                    % {"total": total.normalize(), "value": item.value.normalize()},
                )
            else:
                messages.success(request, _("Đã lưu phân bổ chỉ tiêu."))
            return redirect("plans:programme-allocate", item_pk=item.pk)
    total = sum((a.value for a in allocations.values()), Decimal(0))
    rows = [(unit, form[f"unit_{unit.pk}"]) for unit in units]
    context = {
        "item": item,
        "programme": programme,
        "form": form,
        "rows": rows,
        "total": total,
        "difference": (total - item.value) if item.value is not None else None,
        "gap": abs(total - item.value) if item.value is not None else None,
    }
    status = 400 if request.method == "POST" else 200
    return render(request, "plans/programme_allocate.html", context, status=status)


@require_safe
@login_required
def programme_history(request: HttpRequest, pk: int) -> HttpResponse:
    programme = _programme(request.user, pk)
    context = {"programme": programme, "entries": history.programme_history(programme)}
    return render(request, "plans/programme_history.html", context)
