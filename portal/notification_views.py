"""Thông báo: the list of a user's notifications, opening one, marking them read."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_POST, require_safe

from org.models import Notification

PER_PAGE = 30


@require_safe
@login_required
def notification_list(request: HttpRequest) -> HttpResponse:
    """The user's notifications, newest first, the unread ones marked."""
    notifications = request.user.notifications.all()
    page = Paginator(notifications, PER_PAGE).get_page(request.GET.get("page"))
    unread = request.user.notifications.unread().count()
    return render(request, "portal/notifications.html", {"page": page, "unread": unread})


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
