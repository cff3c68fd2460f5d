"""The office's reporting calendar: opening a year, deadlines, locks and extensions."""

from __future__ import annotations

import rules
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_http_methods, require_POST

from org.fields import DayField
from org.models import Unit
from org.params import parse_id
from org.rules import visible_units
from plans import services
from plans.forms import ExtensionForm, OpenYearForm, service_error
from plans.models import Period, PeriodRule, ReportingCalendar

NO_SUPERVISOR = _lazy("Hãy chọn đơn vị cấp trên mà quy định kỳ báo cáo áp dụng.")


def supervisor_of(request: HttpRequest, chosen: str) -> Unit | None:
    """The supervising unit whose deadlines and locks a page shows or sets: the one chosen
    (admins, who may have no unit of their own, pick it), else the user's own unit."""
    if chosen:
        pk = parse_id(chosen)
        if pk is None:
            raise Http404
        return get_object_or_404(visible_units(request.user).supervising(), pk=pk)
    return request.user.unit


def _overview_url(period: Period, supervisor: Unit | None) -> str:
    url = f"{reverse('plans:progress-overview')}?period={period.pk}"
    return f"{url}&unit={supervisor.pk}" if supervisor else url


def _managed_supervisor(request: HttpRequest, chosen: str) -> Unit:
    """The supervising unit the user manages periods for, or 403."""
    supervisor = supervisor_of(request, chosen)
    if supervisor is None or not rules.has_perm("plans.manage_periods", request.user, supervisor):
        raise PermissionDenied
    return supervisor


def _posted_period(request: HttpRequest, pk: int) -> tuple[Period, Unit | None, str]:
    """The period a form posts to, the supervising unit it is for, and where to go back."""
    period = get_object_or_404(Period, pk=pk)
    supervisor = supervisor_of(request, request.POST.get("unit", ""))
    return period, supervisor, _overview_url(period, supervisor)


@require_POST
@login_required
def period_lock(request: HttpRequest, pk: int) -> HttpResponse:
    """Lock or unlock a period for the communes under the user's unit (or the chosen one)."""
    period, supervisor, url = _posted_period(request, pk)
    if supervisor is None:
        messages.error(request, NO_SUPERVISOR)
        return redirect(url)
    locked = request.POST.get("locked") == "1"
    services.lock_period(period, unit=supervisor, by=request.user, locked=locked)
    messages.success(
        request,
        (_("Đã khóa kỳ %(p)s.") if locked else _("Đã mở khóa kỳ %(p)s.")) % {"p": period.label},
    )
    return redirect(url)


@require_POST
@login_required
def period_deadline(request: HttpRequest, pk: int) -> HttpResponse:
    """The report deadline for the communes under the user's unit (or the chosen one)."""
    period, supervisor, url = _posted_period(request, pk)
    if supervisor is None:
        messages.error(request, NO_SUPERVISOR)
        return redirect(url)
    field = DayField()
    try:
        deadline = field.clean(request.POST.get("deadline", ""))
        services.set_period_deadline(period, unit=supervisor, by=request.user, deadline=deadline)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Đã đặt hạn báo cáo %(p)s.") % {"p": period.label})
    return redirect(url)


OPENED = _lazy("Đã mở năm %(y)s: %(n)s kỳ báo cáo, hạn %(d)s ngày làm việc sau ngày chốt số liệu.")


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def year_open(request: HttpRequest) -> HttpResponse:
    """An office opens a reporting year: the periods and its own deadlines, N working days
    after each cut-off."""
    supervisor = _managed_supervisor(request, request.GET.get("unit", ""))
    current = ReportingCalendar.objects.filter(unit=supervisor).first()
    days = current.working_days if current else None
    years = sorted(set(Period.objects.values_list("year", flat=True)), reverse=True)
    form = OpenYearForm(
        request.POST if request.method == "POST" else None, working_days=days, opened=years
    )
    if request.method == "POST" and form.is_valid():
        year, days = form.cleaned_data["year"], form.cleaned_data["working_days"]
        try:
            opening = services.open_year(year, by=request.user, unit=supervisor, working_days=days)
        except ValidationError as error:
            form.add_error(None, service_error(error))
        else:
            messages.success(request, OPENED % {"y": year, "n": len(opening.periods), "d": days})
            return redirect(_overview_url(opening.periods[0], supervisor))
    context = {"form": form, "supervisor": supervisor, "years": years}
    return render(request, "plans/year_open.html", context, status=400 if form.errors else 200)


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def period_extend(request: HttpRequest, pk: int) -> HttpResponse:
    """Gia hạn: a later deadline for one commune of the office, with its reason."""
    period = get_object_or_404(Period, pk=pk)
    supervisor = _managed_supervisor(request, request.GET.get("unit", ""))
    communes = (
        visible_units(request.user)
        .filter(parent=supervisor)
        .planning()
        .valid_in_year(period.year)
        .order_by("name")
    )
    form = ExtensionForm(request.POST if request.method == "POST" else None, communes=communes)
    if request.method == "POST" and form.is_valid():
        try:
            services.extend_deadline(period, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, service_error(error))
        else:
            granted = {"p": period.label, "u": form.cleaned_data["unit"].full_name}
            granted["d"] = f"{form.cleaned_data['deadline']:%d/%m/%Y}"
            messages.success(request, _("Đã gia hạn %(p)s cho %(u)s đến %(d)s.") % granted)
            return redirect(_overview_url(period, supervisor))
    extensions = (
        PeriodRule.objects.filter(period=period, unit__parent=supervisor)
        .select_related("unit", "set_by")
        .order_by("unit__name")
    )
    context = {
        "form": form,
        "period": period,
        "supervisor": supervisor,
        "extensions": extensions,
        "overview_url": _overview_url(period, supervisor),
    }
    return render(request, "plans/period_extend.html", context, status=400 if form.errors else 200)
