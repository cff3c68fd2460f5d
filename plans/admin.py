"""Admin for superusers fixing data; planners use the portal's own pages.

Progress reports, their results, periods and period rules are read-only here: their writes
go through `plans.services.reporting`, which rewrites the `ReportSummary` rows in the same
transaction. An edit here would leave the summaries (and the district's dashboards) wrong.
"""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from plans.models import (
    Assessment,
    CommunePlan,
    CriteriaSet,
    Criterion,
    CriterionGroup,
    CriterionTarget,
    Indicator,
    IndicatorResult,
    NtmAssignment,
    NtmGoal,
    Period,
    PeriodRule,
    PlanItem,
    PlanStatusChange,
    Programme,
    ProgrammeItem,
    ProgressReport,
    Rating,
    Recognition,
    ReportSummary,
    TargetAllocation,
    TargetResult,
    TaskProgress,
)


class ReadOnly:
    """Viewable, never added, changed or deleted through the admin."""

    def has_add_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


class ProgrammeItemInline(admin.TabularInline):
    model = ProgrammeItem
    extra = 0
    fields = ["kind", "order", "code", "field", "text", "measure_unit", "direction", "value"]
    autocomplete_fields = ["field"]


@admin.register(Programme)
class ProgrammeAdmin(admin.ModelAdmin):
    list_display = ["number", "unit", "year", "kind", "issued_on"]
    list_filter = ["year", "kind"]
    search_fields = ["number", "title", "unit__name"]
    autocomplete_fields = ["unit"]
    list_select_related = ["unit"]
    inlines = [ProgrammeItemInline]


@admin.register(ProgrammeItem)
class ProgrammeItemAdmin(admin.ModelAdmin):
    list_display = ["__str__", "programme", "kind", "code", "field", "value", "measure_unit"]
    list_filter = ["kind", "programme__year", "field"]
    search_fields = ["text", "code", "programme__number"]
    autocomplete_fields = ["programme", "field"]
    list_select_related = ["programme", "field"]


class PlanItemInline(admin.StackedInline):
    model = PlanItem
    extra = 0
    autocomplete_fields = ["field", "source_items"]


@admin.register(CommunePlan)
class CommunePlanAdmin(admin.ModelAdmin):
    list_display = ["unit", "year", "number", "status", "version", "updated_at"]
    list_filter = ["year", "status"]
    search_fields = ["unit__name", "unit__code", "number", "title"]
    autocomplete_fields = ["unit", "programmes"]
    list_select_related = ["unit"]
    readonly_fields = ["version"]
    inlines = [PlanItemInline]


@admin.register(PlanItem)
class PlanItemAdmin(admin.ModelAdmin):
    list_display = ["__str__", "plan", "kind", "order", "field", "target_value", "measure_unit"]
    list_filter = ["kind", "plan__year", "field"]
    search_fields = ["text", "plan__unit__name"]
    autocomplete_fields = ["plan", "field", "source_items"]
    list_select_related = ["plan__unit", "field"]


@admin.register(Period)
class PeriodAdmin(ReadOnly, admin.ModelAdmin):
    list_display = ["label", "kind", "year", "index", "start", "end", "report_deadline"]
    list_filter = ["kind", "year"]
    search_fields = ["year"]


@admin.register(PeriodRule)
class PeriodRuleAdmin(ReadOnly, admin.ModelAdmin):
    list_display = ["period", "unit", "report_deadline", "locked"]
    list_filter = ["locked", "period__year", "period__kind"]
    search_fields = ["unit__name", "unit__code"]
    autocomplete_fields = ["unit"]
    list_select_related = ["period", "unit"]


@admin.register(PlanStatusChange)
class PlanStatusChangeAdmin(admin.ModelAdmin):
    list_display = ["plan", "from_status", "to_status", "by", "at"]
    list_filter = ["to_status"]
    search_fields = ["plan__unit__name", "note"]
    list_select_related = ["plan__unit", "by"]
    autocomplete_fields = ["plan"]


@admin.register(TargetAllocation)
class TargetAllocationAdmin(admin.ModelAdmin):
    list_display = ["item", "unit", "value"]
    search_fields = ["item__text", "unit__name"]
    autocomplete_fields = ["item", "unit"]
    list_select_related = ["item", "unit"]


class TargetResultInline(ReadOnly, admin.TabularInline):
    model = TargetResult
    extra = 0
    autocomplete_fields = ["item"]


class TaskProgressInline(ReadOnly, admin.TabularInline):
    model = TaskProgress
    extra = 0
    autocomplete_fields = ["item"]


@admin.register(ProgressReport)
class ProgressReportAdmin(ReadOnly, admin.ModelAdmin):
    list_display = ["plan", "period", "status", "submitted_at"]
    list_filter = ["status", "period__year", "period__kind"]
    search_fields = ["plan__unit__name"]
    autocomplete_fields = ["plan", "submitted_by"]
    list_select_related = ["plan__unit", "period"]
    inlines = [TargetResultInline, TaskProgressInline]


@admin.register(ReportSummary)
class ReportSummaryAdmin(ReadOnly, admin.ModelAdmin):
    list_display = ["unit", "period", "targets_behind", "targets_at_risk", "on_time"]
    list_filter = ["on_time", "period__year", "period__kind"]
    search_fields = ["unit__name"]
    list_select_related = ["unit", "period"]
    readonly_fields = [f.name for f in ReportSummary._meta.fields]


# --- NTM criteria and ratings ----------------------------------------------------------------


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
                name="plans_criteriaset_import",
            )
        ]
        return urls + super().get_urls()

    def import_view(self, request, pk: int):
        """Load a set's groups, criteria and indicators from a file: all rows or none."""
        from plans.services.ntm import CriteriaImportError, import_criteria, read_table

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
                return redirect(reverse("admin:plans_criteriaset_change", args=[pk]))
        context = self.admin_site.each_context(request) | {
            "title": _("Nhập tiêu chí từ tệp: %(name)s") % {"name": criteria_set.name},
            "form": form,
            "errors": errors,
            "criteria_set": criteria_set,
            "opts": self.model._meta,
        }
        return TemplateResponse(request, "admin/plans/criteriaset/import.html", context)


@admin.register(CriterionGroup)
class CriterionGroupAdmin(admin.ModelAdmin):
    list_display = ["__str__", "criteria_set", "order"]
    list_filter = ["criteria_set"]


class IndicatorInline(admin.TabularInline):
    model = Indicator
    extra = 0


@admin.register(Criterion)
class CriterionAdmin(admin.ModelAdmin):
    list_display = ["__str__", "criteria_set", "group"]
    list_filter = ["criteria_set"]
    search_fields = ["name"]
    autocomplete_fields = ["plan_items"]
    list_select_related = ["criteria_set", "group"]
    inlines = [IndicatorInline]


@admin.register(Indicator)
class IndicatorAdmin(admin.ModelAdmin):
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


class IndicatorResultInline(admin.TabularInline):
    model = IndicatorResult
    extra = 0
    autocomplete_fields = ["indicator"]


@admin.register(Assessment)
class AssessmentAdmin(admin.ModelAdmin):
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
