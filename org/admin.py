"""Admin for superusers fixing data; the daily work happens in the portal's own pages."""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from org.models import (
    Attachment,
    Cluster,
    Delivery,
    Field,
    ReminderPolicy,
    Unit,
    UnitSuccession,
    User,
)


class ReadOnly:
    """Viewable, never added, changed or deleted through the admin: rows written by a
    domain's services (workflow, versions, maintained summaries, history) stay true."""

    def has_add_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(Unit)
class UnitAdmin(admin.ModelAdmin):
    list_display = ["code", "full_name", "kind", "parent", "valid_from", "valid_to"]
    list_filter = ["kind", "valid_to"]
    search_fields = ["code", "name", "other_names"]
    autocomplete_fields = ["parent"]
    list_select_related = ["parent"]
    date_hierarchy = "valid_from"


@admin.register(UnitSuccession)
class UnitSuccessionAdmin(admin.ModelAdmin):
    list_display = ["predecessor", "successor", "effective_on", "partial"]
    list_filter = ["partial", "effective_on"]
    search_fields = ["predecessor__name", "successor__name", "predecessor__code"]
    autocomplete_fields = ["predecessor", "successor"]
    list_select_related = ["predecessor", "successor"]


@admin.register(Cluster)
class ClusterAdmin(admin.ModelAdmin):
    list_display = ["name", "unit", "year"]
    list_filter = ["year"]
    search_fields = ["name", "unit__name"]
    autocomplete_fields = ["unit", "members"]
    list_select_related = ["unit"]


@admin.register(Field)
class FieldAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "parent", "order"]
    list_filter = ["parent"]
    search_fields = ["name", "code"]
    autocomplete_fields = ["parent"]
    list_select_related = ["parent"]


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    list_display = ["username", "get_full_name", "role", "unit", "is_active", "last_login"]
    list_filter = ["role", "is_active", "is_superuser"]
    search_fields = ["username", "first_name", "last_name", "email", "unit__name"]
    autocomplete_fields = ["unit"]
    list_select_related = ["unit"]
    fieldsets = (
        *DjangoUserAdmin.fieldsets,
        (_("Vai trò và đơn vị"), {"fields": ("role", "unit", "job_title")}),
    )
    add_fieldsets = (
        *DjangoUserAdmin.add_fieldsets,
        (_("Vai trò và đơn vị"), {"fields": ("role", "unit", "job_title")}),
    )


@admin.register(ReminderPolicy)
class ReminderPolicyAdmin(admin.ModelAdmin):
    """Lịch đôn đốc of a supervising unit; a unit without one uses its parent's or the
    default (7, 3, 1 days before, on the day, every 7 days after, the leader after 2)."""

    list_display = ["unit", "days_before", "on_the_day", "every_after", "escalate_after"]
    search_fields = ["unit__name", "unit__code"]
    raw_id_fields = ["unit"]  # the thousands of units; select2 fails axe's input-name rule


@admin.register(Delivery)
class DeliveryAdmin(ReadOnly, admin.ModelAdmin):
    """The sends of notifications beyond the portal, for looking into a failure; the
    office sends failed ones again from the portal (Thư không gửi được)."""

    list_display = ["notification", "channel", "status", "attempts", "sent_at", "created_at"]
    list_filter = ["status", "channel"]
    search_fields = ["notification__recipient__username", "notification__subject"]
    list_select_related = ["notification"]


@admin.register(Attachment)
class AttachmentAdmin(ReadOnly, admin.ModelAdmin):
    """Evidence files, removed ones included, for looking into what was sent and taken
    off; the files themselves are downloaded from their object's page."""

    list_display = ["name", "content_type", "object_id", "uploaded_by", "created_at", "removed_at"]
    list_filter = ["content_type", "removed_at"]
    search_fields = ["name", "description", "uploaded_by__username"]
    list_select_related = ["content_type", "uploaded_by"]
    date_hierarchy = "created_at"
