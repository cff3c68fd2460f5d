"""Progress reports: open, fill in, submit, return; period locks; maintained summaries.

`ReportSummary` rows are rewritten in the same transaction as every report write, so the
pages that compare communes never aggregate raw results per request.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from org.models import NotificationKind, Unit, User
from org.notify import commune_staff, notify
from org.signals import bulk_saved
from plans.models import (
    TASK_KINDS,
    CommunePlan,
    ItemKind,
    Period,
    PeriodRule,
    PlanItem,
    PlanStatus,
    ProgressReport,
    ReportStatus,
    ReportSummary,
    Schedule,
    TargetResult,
    TaskProgress,
    TaskState,
    communes_schedules,
    schedule,
)
from plans.reminders import report_topic
from plans.services.planning import claim_version, require, with_actor
from plans.services.summaries import refresh_many, refresh_summaries

# A plan's commune and the units above it, which the permission checks walk.
UNIT_ANCESTRY = ("unit__parent__parent__parent",)

NARRATIVE_FIELDS = ("results", "shortcomings", "causes", "next_tasks")
EDITABLE_REPORT_STATUSES = (ReportStatus.DRAFT, ReportStatus.RETURNED)
# A deadline may fall inside the period (the 20th of its last month) or up to this long after.
MAX_DEADLINE_DAYS_AFTER_END = 60


@dataclass
class TargetEntry:
    value: Decimal | None
    note: str = ""
    evidence: str = ""


@dataclass
class TaskEntry:
    state: str
    note: str = ""


@transaction.atomic
def open_report(
    plan: CommunePlan, period: Period, *, by: User, late_reason: str = ""
) -> ProgressReport:
    """The plan's report for the period, created as a draft on first use.

    Only approved plans are reported on. A period locked by the commune's supervising unit
    takes a new report only with a late-entry reason, which only that unit's office staff may
    give; the reason is kept on the report and in its history.
    """
    return _open_report(plan, period, by=by, late_reason=late_reason)[0]


def _open_report(
    plan: CommunePlan, period: Period, *, by: User, late_reason: str
) -> tuple[ProgressReport, bool]:
    """`open_report`, also saying whether the report was created just now."""
    require(by, "plans.report_progress", plan.unit)
    # Two people opening the same report at once wait for each other on the plan's row; the
    # second then finds the first one's report instead of meeting an IntegrityError.
    # (No-key: rows that merely reference the plan are not held up.)
    status = (
        CommunePlan.objects.select_for_update(no_key=True)
        .values_list("status", flat=True)
        .get(pk=plan.pk)
    )
    _refuse_superseded(status)
    report = ProgressReport.objects.filter(plan=plan, period=period).first()
    if report is not None:
        return report, False
    if status != PlanStatus.APPROVED:
        raise ValidationError(_("Chỉ báo cáo kết quả cho kế hoạch đã duyệt."))
    if period.year != plan.year:
        raise ValidationError(_("Kỳ báo cáo không thuộc năm của kế hoạch."))
    if schedule(period, plan.unit.parent_id).locked:
        if not late_reason.strip():
            raise ValidationError(
                _("Kỳ %(period)s đã khóa; cần văn phòng cho phép nhập bổ sung.")
                % {"period": period.label}
            )
        require(by, "plans.manage_periods", plan.unit.parent)
    report = ProgressReport(plan=plan, period=period, late_reason=late_reason.strip())
    report.full_clean()
    with_actor(report, by, late_reason.strip()).save()
    refresh_summaries(plan, period)
    return report, True


def _allow_late_entry(report: ProgressReport, *, by: User, late_reason: str) -> None:
    """A report begun before its period was locked, or returned after, is completed with the
    office's late-entry reason, recorded on the report and in its history."""
    if report.late_reason or not schedule(report.period, report.plan.unit.parent_id).locked:
        return
    require(by, "plans.manage_periods", report.plan.unit.parent)
    report.late_reason = late_reason.strip()
    report.full_clean()
    with_actor(report, by, report.late_reason).save(update_fields=["late_reason", "updated_at"])


def _refuse_superseded(plan_status: str) -> None:
    """A superseded plan's reports are the record of the time before its revision."""
    if plan_status == PlanStatus.SUPERSEDED:
        raise ValidationError(
            _("Kế hoạch đã được điều chỉnh; hãy báo cáo trên kế hoạch điều chỉnh đã duyệt.")
        )


@transaction.atomic
def enter_report(
    plan: CommunePlan,
    period: Period,
    *,
    by: User,
    expected_version: int,
    narrative: dict[str, str],
    targets: dict[int, TargetEntry],
    tasks: dict[int, TaskEntry],
    late_reason: str = "",
    submit: bool = False,
    reason: str = "",
) -> ProgressReport:
    """The report form in one transaction: open the report on first use, save everything,
    and submit it if asked. A refusal at any step leaves nothing behind.

    `expected_version` is the version of the report the form was opened with, 0 if there was
    no report yet. If the report exists and has another version — someone saved or opened it
    in between — nothing is written and `EditConflict` is raised.
    """
    report, created = _open_report(plan, period, by=by, late_reason=late_reason)
    if not created and late_reason.strip():
        _allow_late_entry(report, by=by, late_reason=late_reason)
    save_report(
        report,
        by=by,
        expected_version=report.version if created else expected_version,
        narrative=narrative,
        targets=targets,
        tasks=tasks,
        reason=reason,
    )
    if submit:
        report = submit_report(report, by=by)
    return report


@transaction.atomic
def save_report(
    report: ProgressReport,
    *,
    by: User,
    expected_version: int,
    narrative: dict[str, str],
    targets: dict[int, TargetEntry],
    tasks: dict[int, TaskEntry],
    reason: str = "",
) -> ProgressReport:
    """Save every value, task state and narrative section of a report, or nothing; `reason`
    goes into the history of every row written."""
    require(by, "plans.report_progress", report.plan.unit)
    # First the version: someone who started from an older one (even if it has been
    # submitted since) is shown what is there now rather than a bare refusal.
    claim_version(ProgressReport, report, expected_version)
    report.refresh_from_db(fields=["status", "late_reason", *NARRATIVE_FIELDS])
    _refuse_superseded(CommunePlan.objects.values_list("status", flat=True).get(pk=report.plan_id))
    if report.status not in EDITABLE_REPORT_STATUSES:
        raise ValidationError(_("Báo cáo đã gửi, không thể sửa (trừ khi được trả lại)."))
    if schedule(report.period, report.plan.unit.parent_id).locked and not report.late_reason:
        raise ValidationError(_("Kỳ %(period)s đã khóa.") % {"period": report.period.label})
    # Only what changed is written: the narrative (and the report's history row) when a
    # section differs, each value or task state that differs, then the summaries that move.
    if any(
        getattr(report, name) != narrative[name] for name in NARRATIVE_FIELDS if name in narrative
    ):
        for name in NARRATIVE_FIELDS:
            if name in narrative:
                setattr(report, name, narrative[name])
        report.full_clean(validate_unique=False)
        with_actor(report, by, reason).save()

    items = {item.pk: item for item in report.plan.items.select_related("field")}
    existing = {r.item_id: r for r in report.target_results.all()}
    for item_id, entry in targets.items():
        item = items.get(item_id)
        if item is None or item.kind != ItemKind.TARGET:
            raise ValidationError(_("Chỉ tiêu không thuộc kế hoạch này."))
        result = existing.get(item_id) or TargetResult(report=report, item=item)
        if result.pk and (result.value, result.note, result.evidence) == (
            entry.value,
            entry.note,
            entry.evidence,
        ):
            continue
        result.value, result.note, result.evidence = entry.value, entry.note, entry.evidence
        # The report and the item are the ones just read, one result per pair: what is left
        # to check is the row's own values.
        result.full_clean(exclude=["report", "item"], validate_unique=False)
        with_actor(result, by, reason).save()
    progress = {p.item_id: p for p in report.task_progress.all()}
    for item_id, entry in tasks.items():
        item = items.get(item_id)
        if item is None or item.kind not in TASK_KINDS:
            raise ValidationError(_("Nhiệm vụ không thuộc kế hoạch này."))
        row = progress.get(item_id) or TaskProgress(report=report, item=item)
        if row.pk and (row.state, row.note) == (entry.state, entry.note):
            continue
        row.state, row.note = entry.state, entry.note
        row.full_clean(exclude=["report", "item"], validate_unique=False)
        with_actor(row, by, reason).save()
    targets_of_plan = [item for item in items.values() if item.kind == ItemKind.TARGET]
    targets_of_plan.sort(key=lambda item: (item.order, item.pk))
    refresh_summaries(report.plan, report.period, targets=targets_of_plan)
    return report


@transaction.atomic
def submit_report(report: ProgressReport, *, by: User) -> ProgressReport:
    """Draft or returned → submitted; the submission time decides on-time or late."""
    require(by, "plans.report_progress", report.plan.unit)
    report = (
        ProgressReport.objects.select_for_update()
        .select_related("plan", "period")
        .get(pk=report.pk)
    )
    _refuse_superseded(report.plan.status)
    if report.status not in EDITABLE_REPORT_STATUSES:
        raise ValidationError(_("Báo cáo đã được gửi."))
    _refuse_empty(report)
    report.status = ReportStatus.SUBMITTED
    report.submitted_at = timezone.now()
    report.submitted_by = by
    report.version += 1
    with_actor(report, by, _("Gửi báo cáo")).save()
    refresh_summaries(report.plan, report.period)
    return report


EMPTY_REPORT = _(
    "Báo cáo chưa có giá trị chỉ tiêu, tình hình nhiệm vụ hay nội dung nào; hãy nhập trước khi gửi."
)


def _refuse_empty(report: ProgressReport) -> None:
    """A report that says nothing tells the office nothing: it may be saved, not sent."""
    if any(getattr(report, name).strip() for name in NARRATIVE_FIELDS):
        return
    if report.target_results.filter(value__isnull=False).exists():
        return
    if report.task_progress.exclude(state=TaskState.NOT_STARTED).exists():
        return
    raise ValidationError(EMPTY_REPORT)


@transaction.atomic
def return_report(report: ProgressReport, *, by: User, reason: str) -> ProgressReport:
    """Submitted → returned for correction, with the reason."""
    require(by, "plans.review_commune_plan", report.plan.unit)
    if not reason.strip():
        raise ValidationError({"reason": _("Hãy nêu lý do trả lại báo cáo.")})
    report = (
        ProgressReport.objects.select_for_update()
        .select_related("plan", "period")
        .get(pk=report.pk)
    )
    _refuse_superseded(report.plan.status)
    if report.status != ReportStatus.SUBMITTED:
        raise ValidationError(_("Chỉ trả lại được báo cáo đã gửi."))
    report.status = ReportStatus.RETURNED
    report.version += 1
    with_actor(report, by, reason.strip()).save()
    refresh_summaries(report.plan, report.period)
    notify(
        NotificationKind.REPORT_RETURNED,
        commune_staff(report.plan.unit),
        subject=f"{report.period.label} – {report.plan}",
        url=reverse("plans:report-edit", args=[report.plan_id, report.period_id]),
        key=f"{NotificationKind.REPORT_RETURNED}:{report.pk}:{report.version}",
        topic=report_topic(report.plan.unit_id, report.period_id),
        note=reason.strip(),
        actor=by,
    )
    return report


@transaction.atomic
def lock_period(period: Period, *, unit: Unit, by: User, locked: bool = True) -> PeriodRule:
    """Close (or reopen) a period for the communes under `unit`."""
    require(by, "plans.manage_periods", unit)
    rule = PeriodRule.objects.filter(unit=unit, period=period).first() or PeriodRule(
        unit=unit, period=period
    )
    rule.locked, rule.set_by = locked, by
    rule.full_clean()
    with_actor(rule, by).save()
    return rule


@transaction.atomic
def set_period_deadline(
    period: Period, *, unit: Unit, by: User, deadline: datetime.date
) -> PeriodRule:
    """The report deadline `unit` sets its communes for a period (by default N working days
    after the cut-off); the timeliness of reports already submitted follows. Only that
    period's rows are touched, in a fixed number of queries however many communes."""
    require(by, "plans.manage_periods", unit)
    latest = period.end + datetime.timedelta(days=MAX_DEADLINE_DAYS_AFTER_END)
    if not period.start <= deadline <= latest:
        raise ValidationError(
            _("Hạn báo cáo phải từ %(start)s đến %(latest)s.")
            % {"start": f"{period.start:%d/%m/%Y}", "latest": f"{latest:%d/%m/%Y}"}
        )
    rule = PeriodRule.objects.filter(unit=unit, period=period).first() or PeriodRule(
        unit=unit, period=period
    )
    rule.report_deadline, rule.set_by = deadline, by
    rule.full_clean()
    with_actor(rule, by).save()
    retime_period(period, unit, deadline)
    return rule


def retime_period(period: Period, supervisor: Unit, deadline: datetime.date | None) -> int:
    """Whether each submitted report of the period under `supervisor` met `deadline` (or the
    commune's own extension): two reads and one write, no other period's rows. Timeliness
    depends only on the submission time and the deadline, so nothing else needs recounting."""
    extended = dict(
        PeriodRule.objects.filter(
            period=period, unit__parent=supervisor, report_deadline__isnull=False
        ).values_list("unit_id", "report_deadline")
    )
    changed = []
    for summary in ReportSummary.objects.filter(
        period=period, unit__parent=supervisor, submitted_at__isnull=False
    ).only("pk", "unit_id", "submitted_at", "on_time"):
        own = Schedule(deadline=extended.get(summary.unit_id, deadline), locked=False)
        on_time = own.on_time(summary.submitted_at)
        if summary.on_time != on_time:
            summary.on_time = on_time
            changed.append(summary)
    # Summaries keep no history; the caller's save of the rule moves the page cache's version.
    ReportSummary.objects.bulk_update(changed, ["on_time"])
    return len(changed)


@transaction.atomic
def enter_target_values(
    period: Period,
    *,
    by: User,
    entries: list[tuple[CommunePlan, int, Decimal | None]],
    reason: str = "",
) -> int:
    """Office staff typing one target's value for many communes at once: all or nothing.

    Each entry is (plan, the plan's target item id, value). Reports are opened as drafts
    where needed; a submitted report, a plan not in force or a locked period refuses the
    whole batch. Only the values that differ are written, with their history; the whole
    batch costs a fixed number of queries however many communes it holds.
    """
    if not entries:
        return 0
    plans = _entry_plans(period, by, {plan.pk for plan, _item, _value in entries})
    items = PlanItem.objects.in_bulk({item_id for _plan, item_id, _value in entries})
    for plan, item_id, value in entries:
        item = items.get(item_id)
        if item is None or item.plan_id != plan.pk or item.kind != ItemKind.TARGET:
            raise ValidationError(_("Chỉ tiêu không thuộc kế hoạch này."))
        if value is not None and value < 0:
            raise ValidationError(_("Giá trị không được âm."))
    reports = _entry_reports(period, plans)
    plan_of = {report.pk: report.plan_id for report in reports.values()}
    existing = {
        (plan_of[result.report_id], result.item_id): result
        for result in TargetResult.objects.filter(
            report__in=reports.values(), item_id__in=items.keys()
        )
    }
    created, changed = [], []
    for plan, item_id, value in entries:
        result = existing.get((plan.pk, item_id))
        if result is None and value is not None:
            created.append((plan, item_id, value))
        elif result is not None and result.value != value:
            result.value = value
            changed.append(result)
    if not created and not changed:
        return 0
    written = _write_entries(period, by, plans, reports, created, changed, reason)
    refresh_many(list(plans.values()), period)
    return written


def _entry_plans(period: Period, by: User, plan_ids: set[int]) -> dict[int, CommunePlan]:
    """The entry's plans, locked as `open_report` locks one, each checked as it would be."""
    plans = {
        plan.pk: plan
        for plan in CommunePlan.objects.select_for_update(no_key=True, of=("self",))
        .select_related(*UNIT_ANCESTRY)
        .filter(pk__in=plan_ids)
    }
    for plan in plans.values():
        require(by, "plans.report_progress", plan.unit)
        _refuse_superseded(plan.status)
        if plan.status != PlanStatus.APPROVED:
            raise ValidationError(_("Chỉ báo cáo kết quả cho kế hoạch đã duyệt."))
        if plan.year != period.year:
            raise ValidationError(_("Kỳ báo cáo không thuộc năm của kế hoạch."))
    return plans


def _entry_reports(period: Period, plans: dict[int, CommunePlan]) -> dict[int, ProgressReport]:
    """Plan id → its report of the period, where there is one; refuses the batch where a
    report is already submitted or the period is locked for the commune."""
    reports = {
        report.plan_id: report
        for report in ProgressReport.objects.filter(plan__in=plans.keys(), period=period)
    }
    timing = communes_schedules([period], [(p.unit.parent_id, p.unit_id) for p in plans.values()])
    for plan in plans.values():
        report = reports.get(plan.pk)
        if report is not None and report.status not in EDITABLE_REPORT_STATUSES:
            raise ValidationError(
                _("Báo cáo của %(unit)s đã gửi, không thể sửa (trừ khi được trả lại).")
                % {"unit": plan.unit.name}
            )
        if timing[plan.unit_id][period.pk].locked and not (report and report.late_reason):
            raise ValidationError(
                _("Kỳ %(period)s đã khóa; cần văn phòng cho phép nhập bổ sung.")
                % {"period": period.label}
            )
    return reports


def _write_entries(
    period: Period,
    by: User,
    plans: dict[int, CommunePlan],
    reports: dict[int, ProgressReport],
    created: list[tuple[CommunePlan, int, Decimal | None]],
    changed: list[TargetResult],
    reason: str = "",
) -> int:
    """The new reports and results and the changed results, with their history, in bulk;
    the touched reports' versions move so an editor who opened one must reload it."""
    new_reports = [
        ProgressReport(plan=plans[pk], period=period)
        for pk in {plan.pk for plan, _item, _value in created} - reports.keys()
    ]
    if new_reports:
        reports |= {
            report.plan_id: report
            for report in bulk_create_with_history(
                new_reports, ProgressReport, default_user=by, default_change_reason=reason or None
            )
        }
    results = [
        TargetResult(report=reports[plan.pk], item_id=item_id, value=value)
        for plan, item_id, value in created
    ]
    bulk_create_with_history(
        results, TargetResult, default_user=by, default_change_reason=reason or None
    )
    bulk_update_with_history(
        changed, TargetResult, ["value"], default_user=by, default_change_reason=reason or None
    )
    touched = {result.report_id for result in [*results, *changed]}
    ProgressReport.objects.filter(pk__in=touched).update(
        version=F("version") + 1, updated_at=timezone.now()
    )
    bulk_saved.send(sender=TargetResult, instances=[*results, *changed])
    return len(results) + len(changed)
