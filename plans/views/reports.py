"""Progress pages: a commune's progress for a period, the report form, the district list."""

from __future__ import annotations

import rules
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from org.evidence import evidence_for
from org.reminders import reminder_log
from org.rules import is_admin, visible_units
from plans import services
from plans.achievement import AT_RISK_SHARE, ON_TRACK_SHARE, TargetStatus
from plans.due import due_row, period_rows, report_return_reason
from plans.entry import TargetEntryForm, commune_targets, district_targets, period_results
from plans.evidence import item_part
from plans.forms import ReasonForm, service_error
from plans.models import (
    CommunePlan,
    Period,
    PlanItem,
    PlanStatus,
    Programme,
    ProgressReport,
    ReportSummary,
    schedule,
)
from plans.overview import overview_rows
from plans.progress import (
    last_task_states,
    last_year_lines,
    plan_targets,
    plan_tasks,
    previous_values,
    target_lines,
)
from plans.reminders import report_topic
from plans.report_conflict import conflict_rows
from plans.report_forms import ReportEntries, ReportForm, form_state, implausible
from plans.rollup import rollup
from plans.services.reporting import EMPTY_REPORT
from plans.views.periods import supervisor_of


def _plan(request: HttpRequest, pk: int) -> CommunePlan:
    return get_object_or_404(
        CommunePlan.objects.visible_to(request.user).select_related("unit__parent"), pk=pk
    )


@require_safe
@login_required
def plan_progress(request: HttpRequest, pk: int) -> HttpResponse:
    """Each target's value against the target and the expected share of the year, with its
    status; each task's state; the narrative; the commune's reporting record."""
    return render(request, "plans/progress_detail.html", progress_context(request, pk))


def progress_context(request: HttpRequest, pk: int) -> dict:
    """What the progress page and the report's Excel download read."""
    plan = _plan(request, pk)
    today = timezone.localdate()
    rows = period_rows(plan, today)
    may_report = rules.has_perm("plans.report_progress", request.user, plan.unit)
    period_id = request.GET.get("period", "")
    selected = next((r for r in rows if str(r.period.pk) == period_id), None)
    if selected is None:
        # The commune opens on the report it owes; others on the latest one sent, else on
        # the period whose data are being gathered today, else the first.
        latest = max(
            (r for r in rows if r.report is not None),
            key=lambda r: (r.period.end, -r.period.start.toordinal()),
            default=None,
        )
        current = next((r for r in rows if r.period.start <= today <= r.period.end), None)
        own = request.user.unit_id == plan.unit_id and plan.status == PlanStatus.APPROVED
        owed = due_row(rows) if own else None
        selected = owed or latest or current or (rows[0] if rows else None)
    period = selected.period if selected else None
    report = selected.report if selected else None
    deadline = selected.schedule.deadline if selected else None
    targets = plan_targets(plan)
    lines = target_lines(plan, period, targets, include_drafts=True) if period else []
    last_period, last_year = last_year_lines(plan, period, targets) if period else (None, {})
    tasks = list(report.task_progress.select_related("item")) if report else []
    if report is not None and report.plan_id == plan.pk:
        report.plan = plan  # loaded with its unit, which the evidence rules read
    return {
        "plan": plan,
        "rows": rows,
        "period": period,
        "deadline": deadline,
        "report": report,
        "return_reason": report_return_reason(report),
        "reminder_log": reminder_log(report_topic(plan.unit_id, period.pk)) if period else [],
        "lines": [(line, last_year.get(line.item.pk)) for line in lines],
        "last_period": last_period if last_year else None,
        "tasks": tasks,
        # the report's files, as a whole and per target row (the targets are loaded)
        "evidence": evidence_for(request.user, report, _target_parts(targets)),
        "may_report": may_report and plan.status == PlanStatus.APPROVED,
        # A report made on the plan this one revises is read-only history here.
        "may_review": rules.has_perm("plans.review_commune_plan", request.user, plan.unit)
        and plan.status == PlanStatus.APPROVED
        and (report is None or report.plan_id == plan.pk),
        "return_form": ReasonForm(),
        "statuses": TargetStatus,
        "on_track_share": int(ON_TRACK_SHARE * 100),
        "at_risk_share": int(AT_RISK_SHARE * 100),
    }


def _target_parts(targets: list[PlanItem]) -> list[tuple[str, str]]:
    """The target rows a report's evidence file may back, as the evidence partial names them."""
    return [(item_part(t.pk), f"{t.order}. {t.text}") for t in targets]


REPORT_SENT = _lazy("Đã gửi báo cáo.")
REPORT_SAVED = _lazy("Đã lưu báo cáo (chưa gửi).")


@require_http_methods(["GET", "POST"])
@login_required
def report_edit(request: HttpRequest, plan_pk: int, period_pk: int) -> HttpResponse:
    """Enter or correct a report; "Gửi báo cáo" saves and submits in one step."""
    plan = _plan(request, plan_pk)
    if not rules.has_perm("plans.report_progress", request.user, plan.unit):
        raise PermissionDenied
    period = get_object_or_404(Period, pk=period_pk, year=plan.year)
    report = _report(plan, period)
    targets, tasks = plan_targets(plan), plan_tasks(plan)
    timing = schedule(period, plan.unit.parent_id, plan.unit_id)
    form = ReportForm(
        request.POST or None,
        targets=targets,
        tasks=tasks,
        report=report,
        previous=previous_values(plan, period, targets),
        carried=last_task_states(plan, period, tasks) if request.method == "GET" else None,
    )
    confirm = None
    if request.method == "POST" and form.is_valid():
        entries = form.entries()
        sending = "submit" in request.POST
        if sending and entries.is_empty():
            form.add_error(None, EMPTY_REPORT)
        elif sending and request.POST["submit"] != CONFIRMED:
            # Sent reports are read-only for the commune: say what goes, and what looks wrong.
            confirm = {"entries": entries, "warnings": implausible(entries, targets)}
        elif saved := _save(request, plan, period, form, entries, send=sending):
            return saved
    if report is not None:
        report.plan = plan  # loaded with its unit, which the evidence rules read
    context = {
        "plan": plan,
        "period": period,
        "report": report,
        "form": form,
        "evidence": evidence_for(request.user, report, _target_parts(targets)),
        "return_reason": report_return_reason(report),
        "reminder_log": reminder_log(report_topic(plan.unit_id, period.pk)),
        **form_state(report, timing),
        "may_allow_late": rules.has_perm("plans.manage_periods", request.user, plan.unit.parent),
    }
    context["confirm"] = confirm
    status = 400 if request.method == "POST" and confirm is None else 200
    return render(request, "plans/report_form.html", context, status=status)


# The value of "Gửi báo cáo" on the confirmation the first press shows.
CONFIRMED = "confirmed"


def _save(
    request: HttpRequest,
    plan: CommunePlan,
    period: Period,
    form: ReportForm,
    entries: ReportEntries,
    *,
    send: bool,
) -> HttpResponse | None:
    """Save (and send) the report, then go to its progress page; on a refusal, None with
    the reason on the form."""
    try:
        services.enter_report(
            plan,
            period,
            by=request.user,
            expected_version=form.cleaned_data["version"],
            late_reason=request.POST.get("late_reason", ""),
            narrative=entries.narrative,
            targets=entries.targets,
            tasks=entries.tasks,
            submit=send,
        )
    except services.EditConflict as conflict:
        return _conflict(request, plan, period, form, entries, conflict.current)
    except ValidationError as error:
        form.add_error(None, service_error(error))
        return None
    messages.success(request, REPORT_SENT if send else REPORT_SAVED)
    return redirect(f"{plan.get_absolute_url()}progress/?period={period.pk}")


def _report(plan: CommunePlan, period: Period) -> ProgressReport | None:
    return (
        ProgressReport.objects.filter(plan=plan, period=period)
        .prefetch_related("target_results", "task_progress")
        .first()
    )


def _conflict(
    request: HttpRequest,
    plan: CommunePlan,
    period: Period,
    form: ReportForm,
    mine: ReportEntries,
    current: ProgressReport,
) -> HttpResponse:
    """Someone saved the report first: their values beside what this user tried to save."""
    current = ProgressReport.objects.prefetch_related("target_results", "task_progress").get(
        pk=current.pk
    )
    context = conflict_rows(current, form.targets, form.tasks, mine)
    context |= {"plan": plan, "period": period}
    return render(request, "plans/report_conflict.html", context, status=409)


@require_POST
@login_required
def report_return(request: HttpRequest, pk: int) -> HttpResponse:
    report = get_object_or_404(
        ProgressReport.objects.filter(plan__unit__in=visible_units(request.user)).select_related(
            "plan__unit", "period"
        ),
        pk=pk,
    )
    form = ReasonForm(request.POST)
    url = f"{report.plan.get_absolute_url()}progress/?period={report.period_id}"
    if not form.is_valid():
        messages.error(request, _("Hãy nêu lý do trả lại báo cáo."))
        return redirect(url)
    try:
        services.return_report(report, by=request.user, reason=form.cleaned_data["reason"])
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Đã trả lại báo cáo cho xã."))
    return redirect(url)


@require_safe
@login_required
def progress_overview(request: HttpRequest) -> HttpResponse:
    """The district's commune list for one period: who reported on time, late or not at all,
    and how many targets of each are achieved, on track, at risk or behind."""
    return render(request, "plans/progress_overview.html", overview_context(request))


def overview_context(request: HttpRequest) -> dict:
    """What the commune list and its Excel download read."""
    if not rules.has_perm("plans.view_coverage", request.user):
        raise PermissionDenied
    scope = visible_units(request.user)
    periods = list(Period.objects.order_by("-year", "start", "-end"))
    period_id = request.GET.get("period", "")
    period = next((p for p in periods if str(p.pk) == period_id), None)
    if period is None:
        latest = (
            ReportSummary.objects.filter(unit__in=scope)
            .order_by("-period__end", "period__start")
            .first()
        )
        period = latest.period if latest else (periods[0] if periods else None)
    rows = overview_rows(period, scope) if period is not None else []
    supervisor = supervisor_of(request, request.GET.get("unit", ""))
    supervisors = []
    if is_admin(request.user) and period is not None:
        supervisors = list(
            visible_units(request.user)
            .supervising()
            .valid_in_year(period.year)
            .order_by("code", "valid_from")
        )
    context = {
        "period": period,
        "periods": [p for p in periods if period is None or p.year == period.year],
        "years": sorted({p.year for p in periods}, reverse=True),
        "rows": rows,
        "supervisor": supervisor,
        "supervisors": supervisors,
        "schedule": schedule(period, supervisor.pk if supervisor else None) if period else None,
        "may_lock": supervisor is not None
        and rules.has_perm("plans.manage_periods", request.user, supervisor),
    }
    context["may_open"] = context["may_lock"] and period is None
    return context


def entry_choice(request: HttpRequest):
    """The district targets the office may enter for, and the target and period chosen
    (?item=&period=, or posted): (targets, item or None, its year's periods, period or None)."""
    if not rules.has_perm("plans.enter_for_communes", request.user):
        raise PermissionDenied
    scope = visible_units(request.user)
    targets = district_targets(Programme.objects.visible_to(request.user).filter(unit__in=scope))
    params = request.POST if request.method == "POST" else request.GET
    item = next((t for t in targets if str(t.pk) == params.get("item", "")), None)
    periods = list(Period.objects.filter(year=item.programme.year)) if item else []
    period = next((p for p in periods if str(p.pk) == params.get("period", "")), None)
    return targets, item, periods, period


@require_http_methods(["GET", "POST"])
@login_required
def target_entry(request: HttpRequest) -> HttpResponse:
    """Office staff type one district target's values for every commune at once."""
    targets, item, periods, period = entry_choice(request)
    scope = visible_units(request.user)
    form = None
    if item is not None and period is not None:
        items = commune_targets(item, period, scope)
        results = period_results(items, period)
        form = TargetEntryForm(request.POST or None, items=items, results=results)
        if request.method == "POST" and form.is_valid():
            entries = form.entries()
            try:
                saved = services.enter_target_values(period, by=request.user, entries=entries)
            except (ValidationError, services.EditConflict) as error:
                messages.error(request, " ".join(getattr(error, "messages", [str(error)])))
            else:
                messages.success(request, _("Đã lưu %(n)s giá trị.") % {"n": saved})
                return redirect(
                    f"{reverse('plans:target-entry')}?item={item.pk}&period={period.pk}"
                )
    context = {
        "targets": targets,
        "item": item,
        "periods": periods,
        "period": period,
        "rows": form.rows if form is not None else [],
        "form": form,
    }
    status = 400 if request.method == "POST" else 200
    return render(request, "plans/target_entry.html", context, status=status)


@require_safe
@login_required
def programme_rollup(request: HttpRequest, pk: int) -> HttpResponse:
    """District targets beside the sum or average of their commune targets and results."""
    return render(request, "plans/programme_rollup.html", rollup_context(request, pk))


def rollup_context(request: HttpRequest, pk: int) -> dict:
    """What the roll-up page and its Excel download read."""
    programme = get_object_or_404(
        Programme.objects.visible_to(request.user).select_related("unit"), pk=pk
    )
    periods = list(Period.objects.filter(year=programme.year))
    period = next((p for p in periods if str(p.pk) == request.GET.get("period", "")), None)
    if period is None:
        latest = (
            ReportSummary.objects.filter(
                period__year=programme.year, unit__in=visible_units(request.user)
            )
            .exclude(submitted_at=None)
            .order_by("-period__end", "period__start")
            .first()
        )
        period = latest.period if latest else (periods[-1] if periods else None)
    lines = rollup(programme, period, visible_units(request.user)) if period else []
    return {"programme": programme, "periods": periods, "period": period, "lines": lines}
