"""The portal's own pages: home (units and their plans for a year), health, error pages."""

from __future__ import annotations

import logging

import rules
from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.db import DatabaseError, connection
from django.db.models import Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseNotAllowed, JsonResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from inspections.models import Campaign, Directive, Finding, Visit
from org.rules import visible_units
from org.search import fold, matching
from plans.models import CommunePlan, PlanItem, Programme, ProgrammeItem, ProgressReport
from portal import health as health_checks
from portal import inbox
from portal import metrics as portal_metrics
from portal.home import home_context, working_year

logger = logging.getLogger(__name__)


@require_safe
@login_required
def home(request: HttpRequest) -> HttpResponse:
    """Units the user may see, each commune with its plan for the year and item counts."""
    user = request.user
    plans = CommunePlan.objects.visible_to(user)
    programmes = Programme.objects.visible_to(user)
    year, years = working_year(request)
    units = list(
        visible_units(user)
        .planning()
        .valid_in_year(year)
        .select_related("parent")
        .order_by("parent__code", "code", "valid_from")
    )
    context = {
        **home_context(units, plans, programmes, year, years),
        "inbox": inbox.inbox(user, year, timezone.localdate()),
        "may_plan": rules.has_perm("plans.plan_in_scope", user),
        # An admin without a unit chooses the issuing unit on the programme form.
        "may_issue": rules.has_perm("plans.edit_programme", user, user.unit),
    }
    return render(request, "portal/home.html", context)


@require_safe
@login_required
@never_cache
def inbox_page(request: HttpRequest) -> HttpResponse:
    """Việc cần làm: every list of the user's inbox, on a page of its own."""
    year, _years = working_year(request)
    groups = inbox.inbox(request.user, year, timezone.localdate(), shown=inbox.PAGE_SHOWN)
    return render(request, "portal/inbox.html", {"inbox": groups, "year": year})


@require_safe
@never_cache
def inbox_count(request: HttpRequest) -> HttpResponse:
    """The menu's counts of things to do and of unread notifications (the second swapped in
    out of band), fetched by htmx after the page has loaded so that no page pays the inbox's
    queries for its menu. Signed out (the session ended while the page was open), nothing:
    a redirect to the login page would be swapped into the menu."""
    if not request.user.is_authenticated:
        return HttpResponse(status=204)
    year, _years = working_year(request)
    groups = inbox.inbox(request.user, year, timezone.localdate())
    unread = request.user.notifications.unread().count()
    context = {"count": inbox.count(groups), "unread": unread}
    return render(request, "portal/_inbox_count.html", context)


SEARCH_LIMIT = 50


def search_groups(user, query: str) -> dict[str, QuerySet]:
    """What the search box looks in, each within the user's scope, newest first."""
    scope = visible_units(user)
    plans = CommunePlan.objects.visible_to(user)
    visits = Visit.objects.visible_to(user)
    campaigns = (
        Campaign.objects.visible_to(user)
        if user.has_perm("inspections.view_campaigns")
        else Campaign.objects.none()
    )
    programmes = Programme.objects.visible_to(user)
    return {
        "units": matching(scope.planning(), query, "name", "other_names")
        .select_related("parent")
        .order_by("code", "valid_from"),
        "plans": matching(plans, query, "title", "number", "unit__name", "unit__other_names")
        .select_related("unit")
        .order_by("-year", "unit__code"),
        "items": matching(PlanItem.objects.filter(plan__unit__in=scope), query, "text")
        .select_related("plan__unit")
        .order_by("-plan__year", "plan__unit__code", "kind", "order"),
        "programmes": matching(programmes, query, "title", "number")
        .select_related("unit")
        .order_by("-year", "kind"),
        "programme_items": matching(
            ProgrammeItem.objects.filter(programme__in=programmes), query, "text"
        )
        .select_related("programme__unit")
        .order_by("-programme__year", "programme__kind", "kind", "order"),
        "reports": matching(
            ProgressReport.objects.filter(plan__in=plans),
            query,
            "results",
            "shortcomings",
            "causes",
            "next_tasks",
        )
        .select_related("plan__unit", "period")
        .order_by("-period__end", "plan__unit__code"),
        "visits": matching(
            visits, query, "topic", "chair_role", "notice_number", "host__name", "host__other_names"
        )
        .select_related("host")
        .order_by("-date", "host__code"),
        "findings": matching(
            Finding.objects.filter(Q(visit__in=visits) | Q(campaign__in=campaigns)), query, "text"
        )
        .select_related("visit__host", "campaign")
        .order_by("-pk"),
        "directives": matching(Directive.objects.visible_to(user), query, "text", "lead")
        .select_related("unit", "visit")
        .order_by("-visit__date", "order"),
    }


@require_safe
@login_required
def search(request: HttpRequest) -> HttpResponse:
    """One box for units, plans and their items, programmes and their items, reports, visits,
    findings and directives, ignoring diacritics and case: "my qui" finds "Mỹ Quí",
    "nong thon moi" finds "nông thôn mới"."""
    query = request.GET.get("q", "")[:200]
    context: dict[str, object] = {"query": query}
    if fold(query):
        groups = search_groups(request.user, query)
        for name, queryset in groups.items():
            rows = list(queryset[: SEARCH_LIMIT + 1])
            context[name] = rows[:SEARCH_LIMIT]
            context[f"{name}_more"] = len(rows) > SEARCH_LIMIT
        context["found"] = any(context[name] for name in groups)
    return render(request, "portal/search.html", context)


@require_safe
@never_cache
def health(request: HttpRequest) -> JsonResponse:
    """Public liveness and database check for the load balancer."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except DatabaseError:
        logger.exception("health check: database unavailable")
        response = JsonResponse({"status": "unavailable"}, status=503)
        response["Retry-After"] = "30"
        return response
    return JsonResponse({"status": "ok"})


@require_safe
@never_cache
def readiness(request: HttpRequest) -> JsonResponse:
    """Public readiness check for the load balancer: database, cache, task queue and the
    file storages, each with its time (README: Health and metrics). 503 with Retry-After
    and the names of the failing checks when one fails."""
    outcomes = health_checks.run_checks()
    failing = [name for name, outcome in outcomes.items() if outcome.status != "ok"]
    body: dict[str, object] = {
        "status": "unavailable" if failing else "ok",
        "checks": {name: outcome.as_json() for name, outcome in outcomes.items()},
    }
    if failing:
        body["failing"] = failing
        response = JsonResponse(body, status=503)
        response["Retry-After"] = "30"
        return response
    return JsonResponse(body)


@never_cache
def metrics(request: HttpRequest) -> HttpResponse:
    """Prometheus metrics, for internal addresses only: anyone else is told there is no such
    page (404, before the method is looked at), so the address does not advertise itself."""
    if not portal_metrics.is_internal(request):
        raise Http404
    if request.method not in {"GET", "HEAD"}:
        return HttpResponseNotAllowed(["GET", "HEAD"])
    return HttpResponse(portal_metrics.exposition(), content_type=portal_metrics.CONTENT_TYPE)


def _error_page(request: HttpRequest, template: str, status: int, **extra: str) -> HttpResponse:
    # Rendered without context processors or models: the database may be what failed.
    context = {"request_id": getattr(request, "request_id", ""), **extra}
    return HttpResponse(render_to_string(template, context), status=status)


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _error_page(request, "400.html", 400)


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _error_page(request, "403.html", 403)


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _error_page(request, "404.html", 404)


def server_error(request: HttpRequest) -> HttpResponse:
    return _error_page(request, "500.html", 500)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """A form refused by the CSRF check (most often one left open past the session, or
    opened before signing in again): what happened and how to go on, in Vietnamese."""
    back = request.path if request.method == "POST" else ""
    return _error_page(request, "403_csrf.html", 403, back=back)


def locked_out(
    request: HttpRequest,
    original_response: HttpResponse | None = None,
    credentials: dict | None = None,
) -> HttpResponse:
    """django-axes' answer to a locked-out login: how many failures, how long to wait."""
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    context = {"failure_limit": settings.AXES_FAILURE_LIMIT, "minutes": minutes}
    return render(request, "portal/locked_out.html", context, status=429)
