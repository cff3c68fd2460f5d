"""Thông báo: the list of a user's notifications, opening one, marking them read; how
each person receives them; the e-mails the office must see that could not be sent."""

from __future__ import annotations

import rules
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import (
    require_GET,
    require_http_methods,
    require_POST,
    require_safe,
)

from org import delivery
from org.models import (
    ESCALATION_KINDS,
    DeliveryMode,
    Notification,
    NotificationKind,
    NotificationPreference,
    ReminderPolicy,
)
from org.params import parse_id
from org.rules import visible_units
from portal.forms import ReminderPolicyForm

PER_PAGE = 30


@require_safe
@login_required
def notification_list(request: HttpRequest) -> HttpResponse:
    """The user's notifications, newest first, the unread ones marked."""
    notifications = request.user.notifications.all()
    page = Paginator(notifications, PER_PAGE).get_page(request.GET.get("page"))
    unread = request.user.notifications.unread().count()
    context = {
        "page": page,
        "unread": unread,
        "may_see_failed": rules.has_perm("org.view_failed_deliveries", request.user),
        "may_schedule": rules.has_perm("org.edit_reminder_policy", request.user, request.user.unit),
    }
    return render(request, "portal/notifications.html", context)


@require_GET  # not HEAD: a link checker's HEAD must not mark it read
@login_required
def notification_open(request: HttpRequest, pk: int) -> HttpResponse:
    """Mark one of the user's notifications read and go to what it is about."""
    notification = get_object_or_404(Notification, pk=pk, recipient=request.user)
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])
    safe = url_has_allowed_host_and_scheme(notification.url, allowed_hosts=None)
    return redirect(notification.url if safe else "portal:notifications")


@require_POST
@login_required
def notifications_read(request: HttpRequest) -> HttpResponse:
    """Mark every unread notification of the user read."""
    count = request.user.notifications.unread().update(read_at=timezone.now())
    text = ngettext(
        "Đã đánh dấu %(n)s thông báo là đã đọc.", "Đã đánh dấu %(n)s thông báo là đã đọc.", count
    )
    messages.success(request, text % {"n": count})
    return redirect("portal:notifications")


KIND_GROUPS = (
    (
        gettext_lazy("Kế hoạch và báo cáo"),
        (NotificationKind.PLAN_RETURNED, NotificationKind.PLAN_APPROVED,
         NotificationKind.REPORT_RETURNED),
    ),
    (
        gettext_lazy("Ý kiến chỉ đạo"),
        (NotificationKind.DIRECTIVE_ISSUED, NotificationKind.DIRECTIVE_ANSWERED,
         NotificationKind.DIRECTIVE_VERIFIED, NotificationKind.DIRECTIVE_REOPENED,
         NotificationKind.DIRECTIVE_CLOSED),
    ),
    (
        gettext_lazy("Nhắc việc, đôn đốc"),
        (NotificationKind.DEADLINE_NEAR, NotificationKind.OVERDUE, NotificationKind.ESCALATED),
    ),
)  # fmt: skip


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def notification_settings(request: HttpRequest) -> HttpResponse:
    """Cách nhận thông báo: per kind, an e-mail at once, in the daily digest, or none. The
    portal's own list keeps every notification whatever is chosen here."""
    user = request.user
    chosen = dict(user.notification_preferences.values_list("kind", "mode"))
    errors: dict[str, str] = {}
    if request.method == "POST":
        wanted = {}
        for kind in NotificationKind.values:
            mode = request.POST.get(f"mode-{kind}", DeliveryMode.INSTANT)
            if mode not in DeliveryMode.values:
                errors[kind] = _("Chọn một cách nhận.")
            elif kind in ESCALATION_KINDS and mode == DeliveryMode.OFF:
                errors[kind] = _("Thông báo việc quá hạn báo lãnh đạo không tắt được.")
            wanted[kind] = mode
        if not errors:
            with transaction.atomic():
                user.notification_preferences.all().delete()
                NotificationPreference.objects.bulk_create(
                    NotificationPreference(user=user, kind=kind, mode=mode)
                    for kind, mode in wanted.items()
                    if mode != DeliveryMode.INSTANT
                )
            messages.success(request, _("Đã lưu cách nhận thông báo."))
            return redirect("portal:notification-settings")
        chosen = wanted
    groups = [
        (
            title,
            [
                {
                    "kind": kind,
                    "label": NotificationKind(kind).label,
                    "mode": chosen.get(kind, DeliveryMode.INSTANT),
                    "modes": [
                        (value, label)
                        for value, label in DeliveryMode.choices
                        if not (kind in ESCALATION_KINDS and value == DeliveryMode.OFF)
                    ],
                    "error": errors.get(kind, ""),
                    "fixed": kind in ESCALATION_KINDS,
                }
                for kind in kinds
            ],
        )
        for title, kinds in KIND_GROUPS
    ]
    status = 400 if errors else 200
    return render(
        request,
        "portal/notification_settings.html",
        {"groups": groups, "errors": errors},
        status=status,
    )


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def failed_deliveries(request: HttpRequest) -> HttpResponse:
    """Thư không gửi được: the e-mails to people in the office's scope that failed after
    every try, with the error; "Gửi lại" tries them again."""
    if not rules.has_perm("org.view_failed_deliveries", request.user):
        raise PermissionDenied
    failed = delivery.failed_to(visible_units(request.user))
    if request.method == "POST":
        chosen = request.POST.getlist("delivery")
        ids = [pk for pk in map(parse_id, chosen) if pk is not None]
        picked = failed.filter(pk__in=ids) if chosen else failed
        count = delivery.resend(list(picked))
        messages.success(
            request,
            ngettext("Đã đưa %(n)s thư vào hàng đợi gửi lại.",
                     "Đã đưa %(n)s thư vào hàng đợi gửi lại.", count) % {"n": count},
        )  # fmt: skip
        return redirect("portal:failed-deliveries")
    page = Paginator(failed, PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "portal/failed_deliveries.html", {"page": page})


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def reminder_schedule(request: HttpRequest) -> HttpResponse:
    """Lịch đôn đốc of the office's own unit: when its communes are reminded of their
    directives' and reports' deadlines, and when their leader hears of what stays overdue.
    A unit that sets none follows its parent's, or the default."""
    unit = request.user.unit
    if unit is None or not rules.has_perm("org.edit_reminder_policy", request.user, unit):
        raise PermissionDenied
    own = ReminderPolicy.objects.filter(unit=unit).first()
    form = ReminderPolicyForm(request.POST or None, instance=own or ReminderPolicy(unit=unit))
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Đã lưu lịch đôn đốc của %(unit)s.") % {"unit": unit})
        return redirect("portal:reminder-schedule")
    above = {p.unit_id: p for p in ReminderPolicy.objects.filter(unit__in=unit.supervisor_ids)}
    inherited = next((above[pk] for pk in unit.supervisor_ids if pk in above), None)
    context = {"form": form, "unit": unit, "own": own, "inherited": inherited}
    status = 400 if request.method == "POST" else 200
    return render(request, "portal/reminder_schedule.html", context, status=status)
