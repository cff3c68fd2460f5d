"""Admin for superusers fixing data; planners use the portal's own pages."""

from django.contrib import admin

from plans.models import CommunePlan, Period, PlanItem, Programme, ProgrammeItem


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
class PeriodAdmin(admin.ModelAdmin):
    list_display = ["label", "kind", "year", "index", "start", "end", "report_deadline"]
    list_filter = ["kind", "year"]
    search_fields = ["year"]
