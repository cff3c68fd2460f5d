"""Admin for superusers reading the plan chain; every write is made in the portal's pages.

All of it is read-only here. Programmes, plans and their items are written by
`plans.services.planning` (versions for concurrent editors, the workflow and its log, the
copy kept by a revision, history with a reason); reports, periods and period rules by
`plans.services.reporting` and `plans.services.periods`, which rewrite the `ReportSummary`
rows and re-judge timeliness in the same transaction. An edit here would bypass all of that
and leave summaries, versions, history and the dashboards wrong.
"""

from django.contrib import admin

from org.admin import ReadOnly
from plans.models import (
    CommunePlan,
    Period,
    PeriodRule,
    PlanItem,
    PlanStatusChange,
    Programme,
    ProgrammeItem,
    ProgressReport,
    ReportSummary,
    TargetAllocation,
    TargetResult,
    TaskProgress,
)


class ProgrammeItemInline(ReadOnly, admin.TabularInline):
    model = ProgrammeItem
    extra = 0
    fields = ["kind", "order", "code", "field", "text", "measure_unit", "direction", "value"]
    autocomplete_fields = ["field"]


@admin.register(Programme)
class ProgrammeAdmin(ReadOnly, admin.ModelAdmin):
    list_display = ["number", "unit", "year", "kind", "issued_on"]
    list_filter = ["year", "kind"]
    search_fields = ["number", "title", "unit__name"]
    autocomplete_fields = ["unit"]
    list_select_related = ["unit"]
    inlines = [ProgrammeItemInline]


@admin.register(ProgrammeItem)
class ProgrammeItemAdmin(ReadOnly, admin.ModelAdmin):
    list_display = ["__str__", "programme", "kind", "code", "field", "value", "measure_unit"]
    list_filter = ["kind", "programme__year", "field"]
    search_fields = ["text", "code", "programme__number"]
    autocomplete_fields = ["programme", "field"]
    list_select_related = ["programme", "field"]


class PlanItemInline(ReadOnly, admin.StackedInline):
    model = PlanItem
    extra = 0
    autocomplete_fields = ["field", "source_items"]


@admin.register(CommunePlan)
class CommunePlanAdmin(ReadOnly, admin.ModelAdmin):
    list_display = ["unit", "year", "number", "status", "version", "updated_at"]
    list_filter = ["year", "status"]
    search_fields = ["unit__name", "unit__code", "number", "title"]
    autocomplete_fields = ["unit", "programmes"]
    list_select_related = ["unit"]
    readonly_fields = ["version"]
    inlines = [PlanItemInline]


@admin.register(PlanItem)
class PlanItemAdmin(ReadOnly, admin.ModelAdmin):
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
class PlanStatusChangeAdmin(ReadOnly, admin.ModelAdmin):
    list_display = ["plan", "from_status", "to_status", "by", "at"]
    list_filter = ["to_status"]
    search_fields = ["plan__unit__name", "note"]
    list_select_related = ["plan__unit", "by"]
    autocomplete_fields = ["plan"]


@admin.register(TargetAllocation)
class TargetAllocationAdmin(ReadOnly, admin.ModelAdmin):
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
