"""Nothing typed is lost when a session ends.

A signed-in session lasts ``SESSION_COOKIE_AGE`` after the user's last request (sliding
expiry): it is saved again, pushing its expiry back, at most every ``SLIDE_SECONDS``, so most
requests write nothing. A form posted after the session has ended is kept in the new,
anonymous session; after signing in again the user finds it on the "kept" page and sends it
once more with one click (a fresh CSRF token, the same fields, the same address).
"""

from __future__ import annotations

import time
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render, resolve_url
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods
from django_htmx.http import HttpResponseClientRedirect

SEEN = "portal:seen"
KEPT = "portal:kept"
SLIDE_SECONDS = 5 * 60
# a form larger than this is not kept (the session is a database row)
KEPT_MAX_FIELDS = 1000
KEPT_MAX_CHARS = 200_000
# posts an anonymous user may make: nothing to keep there
# (/metrics answers an outside address 404 whatever the method, so it does not show itself)
OPEN_VIEWS = {"portal:login", "portal:logout", "set_language", "portal:metrics"}


def seen_at_login(sender, request: HttpRequest | None = None, **kwargs) -> None:
    if request is not None and hasattr(request, "session"):
        request.session[SEEN] = int(time.time())


class SessionKeeperMiddleware:
    """Slides the expiry of a signed-in session; keeps a form posted after it expired."""

    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated:
            now = int(time.time())
            if now - request.session.get(SEEN, 0) >= SLIDE_SECONDS:
                request.session[SEEN] = now  # modified: saved with a new expiry
        return self.get_response(request)

    def process_view(self, request: HttpRequest, view_func, view_args, view_kwargs):
        if request.method != "POST" or request.user.is_authenticated:
            return None
        match = request.resolver_match
        if match is None or match.view_name in OPEN_VIEWS or match.namespace == "admin":
            return None
        data = [
            [name, value]
            for name, values in request.POST.lists()
            if name != "csrfmiddlewaretoken"
            for value in values
        ]
        if len(data) <= KEPT_MAX_FIELDS and sum(len(v) for _n, v in data) <= KEPT_MAX_CHARS:
            request.session[KEPT] = {
                "path": request.get_full_path(),
                "data": data,
                "files": bool(request.FILES),
            }
            messages.warning(
                request,
                _(
                    "Phiên làm việc đã hết hạn trước khi biểu mẫu được gửi. Dữ liệu bạn nhập "
                    "đã được giữ lại: hãy đăng nhập lại để gửi tiếp."
                ),
            )
            after = reverse("portal:kept")
        else:
            messages.warning(request, _("Phiên làm việc đã hết hạn. Hãy đăng nhập lại."))
            after = request.path
        login = f"{resolve_url(settings.LOGIN_URL)}?{urlencode({'next': after})}"
        if getattr(request, "htmx", False):
            return HttpResponseClientRedirect(login)  # the whole page goes, not a part
        return redirect(login)


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def kept(request: HttpRequest) -> HttpResponse:
    """The form kept when the session ended: sent again by the user, or discarded."""
    form = request.session.get(KEPT)
    if request.method == "POST":
        request.session.pop(KEPT, None)
        messages.info(request, _("Đã bỏ dữ liệu được giữ lại."))
        return redirect("portal:home")
    if form and request.method == "GET":
        # Sent from this page or not, it is offered once: the hidden form below holds it.
        # (A HEAD request, a link checker's or a browser's prefetch, leaves it in place.)
        del request.session[KEPT]
    return render(request, "portal/kept.html", {"form": form})
