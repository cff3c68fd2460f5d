"""Directive pages: the overdue / due-soon lists, one directive with its follow-up."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from functools import partial

import rules
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Prefetch, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from inspections import services
from inspections.forms import AnswerForm, CloseForm, CloseWithoutAnswerForm, ReopenForm
from inspections.models import DeadlineClass, Directive, DirectiveUpdate
from inspections.rates import Rates, rates
from inspections.reminders import directive_topic
from inspections.views.visits import save_form
from org import xlsx
from org.evidence import evidence_for
from org.models import Unit
from org.params import parse_id
from org.reminders import reminder_log
from org.rules import visible_units

DUE_SOON_DAYS = 14
SHOW = ("overdue", "due_soon", "open", "all")


SHOW_LABELS = {
    "overdue": _lazy("Quá hạn"),
    "due_soon": _lazy("Sắp đến hạn"),
    "open": _lazy("Chưa hoàn thành"),
    "all": _lazy("Tất cả"),
}


@dataclass
class Listed:
    """What the list and its Excel download read from the query string."""

    directives: QuerySet[Directive]
    show: str
    unit: Unit | None
    rates: Rates
    today: datetime.date


def _listed(request: HttpRequest) -> Listed:
    """Overdue, due-soon, open or all directives of the units in the user's scope."""
    today = timezone.localdate()
    show = request.GET.get("show", "open")
    show = show if show in SHOW else "all"
    directives = Directive.objects.visible_to(request.user)
    unit = None
    if request.GET.get("unit"):
        unit_pk = parse_id(request.GET["unit"])
        unit = get_object_or_404(visible_units(request.user), pk=unit_pk or 0)
        directives = directives.filter(unit=unit)
    totals = rates(directives, today)
    if show == "overdue":
        directives = directives.overdue(today)
    elif show == "due_soon":
        soon = today + datetime.timedelta(days=DUE_SOON_DAYS)
        directives = directives.open().filter(deadline__gte=today, deadline__lte=soon)
    elif show == "open":
        directives = directives.open()
    directives = directives.select_related("unit", "visit").order_by("deadline", "pk")
    return Listed(directives, show, unit, totals, today)


@require_safe
@login_required
def directive_list(request: HttpRequest) -> HttpResponse:
    listed = _listed(request)
    page = Paginator(listed.directives, 50).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "show": listed.show,
        "unit": listed.unit,
        "rates": listed.rates,
        "today": listed.today,
        "due_soon_days": DUE_SOON_DAYS,
    }
    return render(request, "inspections/directive_list.html", context)


@require_safe
@login_required
def directive_export(request: HttpRequest) -> HttpResponse:
    """The list as it is filtered, every page of it, with the four classes counted on top."""
    listed = _listed(request)
    scope = [
        _("Đơn vị: %(unit)s") % {"unit": listed.unit.full_name if listed.unit else _("mọi đơn vị")},
        _("Mục: %(show)s") % {"show": SHOW_LABELS[listed.show]},
        xlsx.made_on(listed.today),
    ]
    totals = listed.rates
    classes = [(label, count) for _class, label, count in totals.counts()]
    classes.append((_("Tổng số"), totals.total))
    columns = (
        xlsx.Column(_("Đơn vị"), 28),
        xlsx.Column(_("Nội dung chỉ đạo"), 70),
        xlsx.Column(_("Chủ trì"), 24),
        xlsx.Column(_("Ngày kiểm tra"), 13, xlsx.DATE),
        xlsx.Column(_("Thời hạn"), 13, xlsx.DATE),
        xlsx.Column(_("Ngày hoàn thành"), 13, xlsx.DATE),
        xlsx.Column(_("Tình trạng"), 26),
    )
    rows = (
        (
            d.unit.full_name,
            d.text,
            d.lead,
            d.visit.date,
            d.deadline,
            d.completed_on,
            DeadlineClass(d.deadline_class(listed.today)).label,
        )
        for d in listed.directives.iterator(chunk_size=2000)
    )
    tables = [
        xlsx.Table(_("Ý kiến chỉ đạo"), columns, rows, scope, sheet_name=_("Chỉ đạo")),
        xlsx.Table(
            _("Tỷ lệ thực hiện theo thời hạn"),
            (xlsx.Column(_("Phân loại"), 30), xlsx.Column(_("Số chỉ đạo"), 12, xlsx.INTEGER)),
            classes,
            scope,
            sheet_name=_("Tỷ lệ"),
        ),
    ]
    name = xlsx.filename("chi-dao", listed.unit.short_name if listed.unit else "", listed.show)
    return xlsx.download(name, tables)


def _directive(request: HttpRequest, pk: int) -> Directive:
    return get_object_or_404(
        Directive.objects.visible_to(request.user)
        .select_related(
            "unit__parent", "visit__host", "field", "verified_by", "plan_item__plan", "finding"
        )
        .prefetch_related(
            Prefetch("updates", queryset=DirectiveUpdate.objects.select_related("by"))
        ),
        pk=pk,
    )


@require_safe
@login_required
def directive_detail(request: HttpRequest, pk: int) -> HttpResponse:
    directive = _directive(request, pk)
    return _render_directive(request, directive)


def _render_directive(
    request,
    directive,
    answer_form=None,
    close_form=None,
    reopen_form=None,
    status: int = 200,
) -> HttpResponse:
    user = request.user
    may_verify = rules.has_perm("inspections.verify_directive", user, directive)
    context = {
        "directive": directive,
        "deadline_class": directive.deadline_class(),
        "classes": DeadlineClass,
        "may_answer": directive.completed_on is None
        and rules.has_perm("inspections.answer_directive", user, directive.unit),
        "may_verify": may_verify,
        "may_withdraw": directive.completed_on is None
        and not directive.updates.all()
        and rules.has_perm("inspections.record_visit", user, directive.visit),
        "answer_form": answer_form or AnswerForm(),
        "answered": bool(directive.updates.all()),
        "close_form": close_form
        or _close_form(directive)(initial={"completed_on": timezone.localdate()}),
        "reopen_form": reopen_form or ReopenForm(),
        "reminder_log": reminder_log(directive_topic(directive.pk)),
        "evidence": evidence_for(user, directive),
    }
    return render(request, "inspections/directive_detail.html", context, status=status)


@require_POST
@login_required
def directive_answer(request: HttpRequest, pk: int) -> HttpResponse:
    directive = _directive(request, pk)
    form = AnswerForm(request.POST)
    save = partial(services.answer_directive, directive, by=request.user)
    if save_form(request, form, save, _("Đã gửi báo cáo thực hiện.")):
        return redirect(directive)
    return _render_directive(request, directive, answer_form=form, status=400)


def _close_form(directive: Directive) -> type[CloseForm]:
    """Verification follows the unit's report; without one, closing is explicit, with a reason."""
    return CloseForm if directive.updates.all() else CloseWithoutAnswerForm


@require_POST
@login_required
def directive_close(request: HttpRequest, pk: int) -> HttpResponse:
    directive = _directive(request, pk)
    form = _close_form(directive)(request.POST)
    save = partial(services.close_directive, directive, by=request.user)
    if save_form(request, form, save, _("Đã xác nhận hoàn thành.")):
        return redirect(directive)
    return _render_directive(request, directive, close_form=form, status=400)


@require_POST
@login_required
def directive_reopen(request: HttpRequest, pk: int) -> HttpResponse:
    directive = _directive(request, pk)
    form = ReopenForm(request.POST)
    save = partial(services.reopen_directive, directive, by=request.user)
    if save_form(request, form, save, _("Đã mở lại ý kiến chỉ đạo.")):
        return redirect(directive)
    return _render_directive(request, directive, reopen_form=form, status=400)


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def directive_delete(request: HttpRequest, pk: int) -> HttpResponse:
    """Withdraw a directive issued by mistake (confirmation first)."""
    directive = _directive(request, pk)
    if not rules.has_perm("inspections.record_visit", request.user, directive.visit):
        raise PermissionDenied
    if request.method == "POST":
        try:
            services.delete_directive(directive, by=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect(directive)
        messages.success(request, _("Đã thu hồi ý kiến chỉ đạo."))
        return redirect(directive.visit)
    context = {
        "object": directive,
        "what": _("ý kiến chỉ đạo"),
        "cancel_url": directive.get_absolute_url(),
    }
    return render(request, "inspections/confirm_delete.html", context)
