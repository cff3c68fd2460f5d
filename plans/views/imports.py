"""Excel imports: download a pre-filled template, upload it, read the preview, confirm.

Nothing is written until the confirmation; then every row or none, through the same
services as the editor and the report form, with the file's name in the history.
"""

from __future__ import annotations

from collections.abc import Callable

import rules
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from org import xlsx_import
from org.rules import visible_units
from org.xlsx_import import Refused, Upload
from plans import imports, services
from plans.entry import commune_targets, period_results
from plans.models import CommunePlan, Period, PlanStatus
from plans.services.reporting import EDITABLE_REPORT_STATUSES
from plans.views.editor import field_choices
from plans.views.reports import _plan as visible_plan
from plans.views.reports import _report, entry_choice

NO_FILE = _("Hãy chọn một tệp Excel (.xlsx) để tải lên.")


def _plan(request: HttpRequest, pk: int) -> CommunePlan:
    plan = visible_plan(request, pk)
    if not rules.has_perm("plans.edit_commune_plan", request.user, plan.unit):
        raise PermissionDenied
    return plan


def _uploaded(request: HttpRequest) -> tuple[str, bytes]:
    """The posted file's name and content, refused before reading when too large."""
    upload = request.FILES.get("file")
    if upload is None:
        raise Refused(NO_FILE)
    if upload.size > xlsx_import.max_bytes():
        raise xlsx_import.too_large()
    return upload.name, upload.read()


def _page(request, context: dict, status: int = 200) -> HttpResponse:
    context.setdefault("limit_mb", f"{xlsx_import.max_bytes() / (1024 * 1024):g}")
    return render(request, "plans/import.html", context, status=status)


def _flow(
    request: HttpRequest,
    context: dict,
    purpose: str,
    headers: list[str],
    kind: str,
    preview_of: Callable[[Upload], imports.Preview],
    save: Callable[[imports.Preview, str], None],
    done_url: str,
) -> HttpResponse:
    """The upload (POST with a file), the confirmation (POST with the token) or the form."""
    if request.method != "POST":
        return _page(request, context)
    token = request.POST.get("token", "")
    if "cancel" in request.POST:
        xlsx_import.unstage(request, token)
        messages.info(request, _("Đã hủy, không nhập gì."))
        return redirect(done_url)
    try:
        if token:
            staged = xlsx_import.staged(request, token, purpose)
            if staged is None:
                raise Refused(_("Tệp chờ nhập không còn: hãy tải tệp lên lại."))
            name, content = staged
        else:
            name, content = _uploaded(request)
        upload = xlsx_import.read(name, content, headers, kind=kind)
        preview = preview_of(upload)
    except Refused as refusal:
        xlsx_import.unstage(request, token)
        return _page(request, context | {"refusal": str(refusal)}, status=400)
    context |= {"preview": preview}
    if preview.errors or preview.conflict:
        xlsx_import.unstage(request, token)
        return _page(request, context, status=409 if preview.conflict else 400)
    if not token:
        if preview.changed:
            try:
                context["token"] = xlsx_import.stage(request, upload, content, purpose)
            except Refused as refusal:  # the store is full or cannot be written
                return _page(request, context | {"refusal": str(refusal)}, status=503)
        return _page(request, context)
    try:
        save(preview, _("Nhập từ tệp Excel: %(name)s") % {"name": name})
    except services.EditConflict:
        xlsx_import.unstage(request, token)
        conflict = _("Dữ liệu đã được sửa trong lúc xem trước: hãy tải mẫu mới.")
        return _page(request, context | {"refusal": conflict, "preview": None}, status=409)
    except (ValidationError, PermissionDenied) as error:
        xlsx_import.unstage(request, token)
        refusal = " ".join(getattr(error, "messages", [str(error)]))
        return _page(request, context | {"refusal": refusal, "preview": None}, status=400)
    xlsx_import.unstage(request, token)
    messages.success(
        request,
        _("Đã nhập %(n)s dòng thay đổi từ tệp “%(name)s”.") % {"n": preview.changed, "name": name},
    )
    return redirect(done_url)


@require_safe
@login_required
def plan_import_template(request: HttpRequest, pk: int) -> HttpResponse:
    plan = _plan(request, pk)
    items = list(plan.items.select_related("field"))
    return imports.plan_template(plan, items)


@require_http_methods(["GET", "POST"])
@login_required
def plan_import(request: HttpRequest, pk: int) -> HttpResponse:
    """Bring a plan's items in from its template."""
    plan = _plan(request, pk)
    context = {
        "title": _("Nhập kế hoạch từ Excel"),
        "subject": plan,
        "back_url": plan.get_absolute_url(),
        "template_url": f"{plan.get_absolute_url()}import/template.xlsx",
        "editable": plan.is_editable,
        "not_editable": _("Kế hoạch đang ở trạng thái “%(status)s”, không thể nhập.")
        % {"status": plan.get_status_display()},
    }
    if not plan.is_editable and request.method == "POST":
        return _page(request, context, status=400)
    fields = field_choices()

    def save(preview: imports.Preview, reason: str) -> None:
        services.save_plan(
            plan,
            by=request.user,
            expected_version=int(preview.upload.meta["version"]),
            header={},
            changes=preview.apply,
            reason=reason,
        )

    return _flow(
        request,
        context,
        f"plan:{plan.pk}",
        imports.plan_headers(),
        imports.PLAN_KIND,
        lambda upload: imports.plan_preview(plan, upload, fields),
        save,
        plan.get_absolute_url(),
    )


def _report_target(request: HttpRequest, plan_pk: int, period_pk: int):
    plan = visible_plan(request, plan_pk)
    if not rules.has_perm("plans.report_progress", request.user, plan.unit):
        raise PermissionDenied
    period = get_object_or_404(Period, pk=period_pk, year=plan.year)
    report = _report(plan, period)
    items = list(plan.items.all())
    results = {r.item_id: r for r in report.target_results.all()} if report else {}
    progress = {p.item_id: p for p in report.task_progress.all()} if report else {}
    return plan, period, report, items, results, progress


@require_safe
@login_required
def report_import_template(request: HttpRequest, plan_pk: int, period_pk: int) -> HttpResponse:
    plan, period, report, items, results, progress = _report_target(request, plan_pk, period_pk)
    return imports.report_template(plan, period, report, items, results, progress)


@require_http_methods(["GET", "POST"])
@login_required
def report_import(request: HttpRequest, plan_pk: int, period_pk: int) -> HttpResponse:
    """Bring a period report's values, task states and sections in from its template; the
    report is saved, not sent: the commune sends it from the report form."""
    plan, period, report, items, results, progress = _report_target(request, plan_pk, period_pk)
    form_url = f"{plan.get_absolute_url()}reports/{period.pk}/"
    editable = plan.status == PlanStatus.APPROVED and (
        report is None or report.status in EDITABLE_REPORT_STATUSES
    )
    context = {
        "title": _("Nhập báo cáo từ Excel"),
        "subject": f"{plan.unit.display_name} – {period.label}",
        "back_url": form_url,
        "template_url": f"{form_url}import/template.xlsx",
        "editable": editable,
        "not_editable": _("Báo cáo đã gửi hoặc kế hoạch chưa được duyệt: không thể nhập."),
    }
    if not editable and request.method == "POST":
        return _page(request, context, status=400)

    def save(preview: imports.Preview, reason: str) -> None:
        narrative, targets, tasks = preview.apply
        services.enter_report(
            plan,
            period,
            by=request.user,
            expected_version=int(preview.upload.meta["version"]),
            narrative=narrative,
            targets=targets,
            tasks=tasks,
            reason=reason,
        )

    return _flow(
        request,
        context,
        f"report:{plan.pk}:{period.pk}",
        imports.report_headers(),
        imports.REPORT_KIND,
        lambda upload: imports.report_preview(
            plan, period, report, upload, items, results, progress
        ),
        save,
        form_url,
    )


def _entry_target(request: HttpRequest):
    _targets, item, _periods, period = entry_choice(request)
    if item is None or period is None:
        raise Http404
    items = commune_targets(item, period, visible_units(request.user))
    return item, period, items, period_results(items, period)


def _entry_query(item, period) -> str:
    return f"?item={item.pk}&period={period.pk}"


@require_safe
@login_required
def entry_import_template(request: HttpRequest) -> HttpResponse:
    item, period, items, results = _entry_target(request)
    return imports.entry_template(item, period, items, results)


@require_http_methods(["GET", "POST"])
@login_required
def entry_import(request: HttpRequest) -> HttpResponse:
    """The office's table of one district target for many communes, from its template."""
    item, period, items, results = _entry_target(request)
    query = _entry_query(item, period)
    entry_url = reverse("plans:target-entry") + query
    context = {
        "title": _("Nhập giá trị các xã từ Excel"),
        "subject": f"{item.text[:80]} – {period.label}",
        "back_url": entry_url,
        "template_url": reverse("plans:entry-import-template") + query,
        "hidden": {"item": item.pk, "period": period.pk},
        "editable": True,
    }

    def save(preview: imports.Preview, reason: str) -> None:
        services.enter_target_values(period, by=request.user, entries=preview.apply, reason=reason)

    return _flow(
        request,
        context,
        f"entry:{item.pk}:{period.pk}",
        imports.entry_headers(),
        imports.ENTRY_KIND,
        lambda upload: imports.entry_preview(item, period, items, results, upload),
        save,
        entry_url,
    )
