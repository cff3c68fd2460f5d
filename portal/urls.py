"""The site's URLs: the portal's own pages, then each app under its prefix."""

from django.conf import settings
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.views.i18n import set_language

from portal import attachment_views, dashboard_views, notification_views, sessions, views
from portal.forms import LoginForm

portal_patterns = [
    path("", views.home, name="home"),
    path(
        "login/",
        auth_views.LoginView.as_view(
            template_name="portal/login.html",
            authentication_form=LoginForm,
            redirect_authenticated_user=True,
        ),
        name="login",
    ),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("search/", views.search, name="search"),
    path("inbox/", views.inbox_page, name="inbox"),
    path("inbox/count/", views.inbox_count, name="inbox-count"),
    path("notifications/", notification_views.notification_list, name="notifications"),
    path(
        "notifications/<int:pk>/",
        notification_views.notification_open,
        name="notification-open",
    ),
    path("notifications/read/", notification_views.notifications_read, name="notifications-read"),
    path(
        "notifications/settings/",
        notification_views.notification_settings,
        name="notification-settings",
    ),
    path(
        "notifications/schedule/",
        notification_views.reminder_schedule,
        name="reminder-schedule",
    ),
    path(
        "notifications/failed/",
        notification_views.failed_deliveries,
        name="failed-deliveries",
    ),
    path(
        "attachments/<slug:key>/<int:pk>/new/",
        attachment_views.attachment_upload,
        name="attachment-upload",
    ),
    path("attachments/<int:pk>/", attachment_views.attachment_download, name="attachment-download"),
    path(
        "attachments/<int:pk>/remove/",
        attachment_views.attachment_remove,
        name="attachment-remove",
    ),
    path("kept/", sessions.kept, name="kept"),
    path("healthz", views.health, name="health"),
    path("health/", views.readiness, name="readiness"),
    path("metrics", views.metrics, name="metrics"),
    path("ping/", dashboard_views.ping, name="ping"),
    path("dashboard/", dashboard_views.dashboard, name="dashboard"),
    path("dashboard/export.xlsx", dashboard_views.dashboard_export, name="dashboard-export"),
    path("dashboard/overview/", dashboard_views.overview, name="overview"),
    path(
        "dashboard/overview/export.xlsx",
        dashboard_views.overview_export,
        name="overview-export",
    ),
    path("units/<int:pk>/", dashboard_views.unit_page, name="unit"),
]

urlpatterns = [
    path("", include((portal_patterns, "portal"))),
    path("plans/", include("plans.urls")),
    path("ntm/", include("ntm.urls")),
    path("inspections/", include("inspections.urls")),
    path("i18n/setlang/", set_language, name="set_language"),
    path(settings.ADMIN_URL, admin.site.urls),
]

handler400 = "portal.views.bad_request"
handler403 = "portal.views.permission_denied"
handler404 = "portal.views.page_not_found"
handler500 = "portal.views.server_error"
