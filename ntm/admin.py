"""Admin for NTM criteria sets, assessments, goals and ratings; an officer imports a set's
criteria from a file here, all rows or none.

The criteria, groups and indicators of a set in use (some commune was assessed against it)
are read-only, and their model validation refuses changes: they are the record of those
judgements, and a new version of the standard is a new set. Assessments are read-only too:
the commune's and the district's columns are written by `ntm.services.save_assessment`, who
and when included.
"""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ntm.models import (
    Assessment,
    CriteriaSet,
    Criterion,
    CriterionGroup,
    CriterionTarget,
    Indicator,
    IndicatorResult,
    NtmAssignment,
    NtmGoal,
    Rating,
    Recognition,
)
from ntm.services import CriteriaImportError, import_criteria, read_table
from org.admin import ReadOnly


class UnlessInUse:
    """Editable until the criteria set the row belongs to is in use."""

    @staticmethod
    def criteria_set_of(obj) -> CriteriaSet | None:
        if obj is None:
            return None
        if isinstance(obj, CriteriaSet):
            return obj
        if isinstance(obj, Indicator):
            return obj.criterion.criteria_set
        return obj.criteria_set

    def has_change_permission(self, request, obj=None) -> bool:
        criteria_set = self.criteria_set_of(obj)
        if criteria_set is not None and criteria_set.in_use():
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None) -> bool:
        criteria_set = self.criteria_set_of(obj)
        if criteria_set is not None and criteria_set.in_use():
            return False
        return super().has_delete_permission(request, obj)

    def has_add_permission(self, request, *args) -> bool:
        # An inline is asked with the parent being edited; a new row of a model admin is
        # refused by the model's clean() once it names a set in use.
        criteria_set = self.criteria_set_of(args[0] if args else None)
        if criteria_set is not None and criteria_set.in_use():
            return False
        return super().has_add_permission(request, *args)


class ImportForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Tệp CSV (UTF-8) hoặc Excel (.xlsx)"),
        help_text=gettext_lazy(
            "Cột: Nhóm, Tên nhóm, Tiêu chí, Tên tiêu chí, Mã chỉ tiêu, Tên chỉ tiêu, "
            "Đơn vị tính, So sánh (đạt / ≥ / ≤), Ngưỡng, Vùng."
        ),
    )


@admin.register(CriteriaSet)
class CriteriaSetAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "level", "status", "scope", "valid_from", "valid_to"]
    list_filter = ["level", "status", "scope"]
    search_fields = ["name", "code", "legal_basis"]

    def get_urls(self):
        urls = [
            path(
                "<int:pk>/import/",
                self.admin_site.admin_view(self.import_view),
                name="ntm_criteriaset_import",
            )
        ]
        return urls + super().get_urls()

    def import_view(self, request, pk: int):
        """Load a set's groups, criteria and indicators from a file: all rows or none."""
        criteria_set = get_object_or_404(CriteriaSet, pk=pk)
        if not self.has_change_permission(request, criteria_set):
            raise PermissionDenied
        form = ImportForm(request.POST or None, request.FILES or None)
        errors = []
        if request.method == "POST" and form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                result = import_criteria(criteria_set, read_table(upload, upload.name))
            except CriteriaImportError as error:
                errors = error.errors
            else:
                self.message_user(
                    request,
                    _("Đã nạp %(c)s tiêu chí, %(i)s chỉ tiêu.")
                    % {"c": result.criteria, "i": result.indicators},
                    messages.SUCCESS,
                )
                return redirect(reverse("admin:ntm_criteriaset_change", args=[pk]))
        context = self.admin_site.each_context(request) | {
            "title": _("Nhập tiêu chí từ tệp: %(name)s") % {"name": criteria_set.name},
            "form": form,
            "errors": errors,
            "criteria_set": criteria_set,
            "opts": self.model._meta,
        }
        return TemplateResponse(request, "admin/ntm/criteriaset/import.html", context)


@admin.register(CriterionGroup)
class CriterionGroupAdmin(UnlessInUse, admin.ModelAdmin):
    list_display = ["__str__", "criteria_set", "order"]
    list_filter = ["criteria_set"]


class IndicatorInline(UnlessInUse, admin.TabularInline):
    model = Indicator
    extra = 0


@admin.register(Criterion)
class CriterionAdmin(UnlessInUse, admin.ModelAdmin):
    list_display = ["__str__", "criteria_set", "group"]
    list_filter = ["criteria_set"]
    search_fields = ["name"]
    autocomplete_fields = ["plan_items"]
    list_select_related = ["criteria_set", "group"]
    inlines = [IndicatorInline]


@admin.register(Indicator)
class IndicatorAdmin(UnlessInUse, admin.ModelAdmin):
    list_display = ["code", "name", "criterion", "comparison", "threshold", "region"]
    list_filter = ["criterion__criteria_set", "comparison"]
    search_fields = ["code", "name"]
    list_select_related = ["criterion"]


@admin.register(NtmGoal)
class NtmGoalAdmin(admin.ModelAdmin):
    list_display = ["unit", "year", "level", "count"]
    list_filter = ["year", "level"]
    autocomplete_fields = ["unit"]


@admin.register(NtmAssignment)
class NtmAssignmentAdmin(admin.ModelAdmin):
    list_display = ["unit", "year", "level", "criteria_set"]
    list_filter = ["year", "level"]
    search_fields = ["unit__name"]
    autocomplete_fields = ["unit"]
    list_select_related = ["unit", "criteria_set"]


class IndicatorResultInline(ReadOnly, admin.TabularInline):
    model = IndicatorResult
    extra = 0
    autocomplete_fields = ["indicator"]


@admin.register(Assessment)
class AssessmentAdmin(ReadOnly, admin.ModelAdmin):
    list_display = ["unit", "year", "criteria_set", "self_by", "appraised_by"]
    list_filter = ["year", "criteria_set"]
    search_fields = ["unit__name"]
    autocomplete_fields = ["unit"]
    list_select_related = ["unit", "criteria_set", "self_by", "appraised_by"]
    inlines = [IndicatorResultInline]


@admin.register(CriterionTarget)
class CriterionTargetAdmin(admin.ModelAdmin):
    list_display = ["unit", "criterion", "year"]
    autocomplete_fields = ["unit"]


@admin.register(Recognition)
class RecognitionAdmin(admin.ModelAdmin):
    list_display = ["unit", "level", "year", "decision"]
    list_filter = ["year", "level"]
    autocomplete_fields = ["unit"]


@admin.register(Rating)
class RatingAdmin(admin.ModelAdmin):
    list_display = ["unit", "organisation", "year", "quarter", "level", "score"]
    list_filter = ["year", "level"]
    search_fields = ["unit__name", "organisation"]
    autocomplete_fields = ["unit"]
    list_select_related = ["unit"]
