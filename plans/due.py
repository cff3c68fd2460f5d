"""What a commune owes on its plan: each period's reporting record, the report due now, the
ones overdue, and why a plan or a report was sent back."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Q
from django.utils.translation import gettext as _

from plans.models import (
    CommunePlan,
    Period,
    PlanStatus,
    PlanStatusChange,
    ProgressReport,
    ReportStatus,
    Schedule,
    communes_schedules,
    schedules,
)


@dataclass(frozen=True)
class PeriodRow:
    """One period of a plan's year with the plan's report for it (if any) and its schedule."""

    period: Period
    report: ProgressReport | None
    schedule: Schedule
    today: datetime.date

    @property
    def submitted(self) -> bool:
        return self.report is not None and self.report.status == ReportStatus.SUBMITTED

    @property
    def on_time(self) -> bool | None:
        return self.schedule.on_time(self.report.submitted_at) if self.report else None

    @property
    def late(self) -> bool:
        """Sent after its deadline."""
        return self.submitted and self.on_time is False

    @property
    def overdue(self) -> bool:
        """Not sent and past its deadline."""
        deadline = self.schedule.deadline
        return not self.submitted and deadline is not None and deadline < self.today

    @property
    def chip_class(self) -> str:
        """The period chip's classes: its kind, its report's status, late or overdue."""
        classes = [f"period--{self.period.kind}"]
        if self.report is not None:
            classes.append(f"period--{self.report.status}")
        if self.late:
            classes.append("period--late")
        elif self.overdue:
            classes.append("period--overdue")
        return " ".join(classes)

    @property
    def state_label(self) -> str:
        """What the chip says under the period: "đúng hạn", "gửi trễ hạn", "quá hạn"…"""
        if self.late:
            return _("gửi trễ hạn")
        if self.submitted:
            return _("đúng hạn")
        status = self.report.get_status_display().lower() if self.report is not None else ""
        if self.overdue:
            return f"{status}, {_('quá hạn')}" if status else _("quá hạn")
        return status or _("chưa báo cáo")


def period_rows(plan: CommunePlan, today: datetime.date) -> list[PeriodRow]:
    """Every period of the plan's year in time order (a month before the quarter it closes,
    the quarter before the half-year, the year last), with the plan's report: the reporting
    record. Two queries and the schedules'.

    A revision's record includes the reports submitted on the plans it revises (the
    revision's own report wins where both reported a period).
    """
    reports = {
        r.period_id: r
        for r in ProgressReport.objects.filter(
            Q(plan=plan) | Q(status=ReportStatus.SUBMITTED),
            plan__unit_id=plan.unit_id,
            plan__year=plan.year,
            plan__revision__lte=plan.revision,
        ).order_by("plan__revision")
    }
    periods = sorted(
        Period.objects.filter(year=plan.year), key=lambda p: (p.end, -p.start.toordinal())
    )
    timing = schedules(periods, plan.unit.parent_id, plan.unit_id)
    return [
        PeriodRow(period, reports.get(period.pk), timing[period.pk], today) for period in periods
    ]


def overdue_periods(plans: list[CommunePlan], today: datetime.date) -> dict[int, list[Period]]:
    """For many plans of one year at once, the periods each one's reporting record shows as
    overdue (`PeriodRow.overdue`: unsent, past the commune's deadline), in time order: plan
    id → periods. A report sent on an earlier version of the plan counts, as in
    `period_rows`. Three queries, whatever the number of plans."""
    if not plans:
        return {}
    year = plans[0].year
    periods = sorted(Period.objects.filter(year=year), key=lambda p: (p.end, -p.start.toordinal()))
    timing = communes_schedules(periods, [(plan.unit.parent_id, plan.unit_id) for plan in plans])
    sent = set(
        ProgressReport.objects.filter(
            plan__unit__in=[plan.unit_id for plan in plans],
            plan__year=year,
            status=ReportStatus.SUBMITTED,
        ).values_list("plan__unit_id", "period_id")
    )
    return {
        plan.pk: [
            period
            for period in periods
            if (plan.unit_id, period.pk) not in sent
            and PeriodRow(period, None, timing[plan.unit_id][period.pk], today).overdue
        ]
        for plan in plans
    }


def due_row(rows: list[PeriodRow]) -> PeriodRow | None:
    """The report to write now: the unsent one with the nearest deadline not yet passed,
    among the periods already begun; else the earliest overdue one."""
    unsent = [row for row in rows if not row.submitted and row.period.start <= row.today]
    upcoming = [row for row in unsent if not row.overdue]
    if upcoming:
        return min(upcoming, key=lambda row: row.schedule.deadline or row.period.end)
    return next((row for row in unsent if row.overdue), None)


def plan_return_reasons(plans: list[CommunePlan]) -> dict[int, PlanStatusChange]:
    """The transition that sent each returned plan back (its note is the reason), until the
    commune resubmits: plan id → that change. One query."""
    returned = [plan.pk for plan in plans if plan.status == PlanStatus.RETURNED]
    if not returned:
        return {}
    changes = PlanStatusChange.objects.filter(
        plan_id__in=returned, to_status=PlanStatus.RETURNED
    ).select_related("by")
    return {change.plan_id: change for change in changes.order_by("at", "pk")}


def report_return_reason(report: ProgressReport | None) -> str:
    """Why a returned report was sent back (the reason its history keeps), until resent."""
    if report is None:
        return ""
    return report_return_reasons([report]).get(report.pk, "")


def report_return_reasons(reports: list[ProgressReport]) -> dict[int, str]:
    """`report_return_reason` of each returned report among `reports`, in one query."""
    returned = [report.pk for report in reports if report.status == ReportStatus.RETURNED]
    if not returned:
        return {}
    records = (
        ProgressReport.history.filter(id__in=returned, status=ReportStatus.RETURNED)
        .order_by("id", "-history_date", "-history_id")
        .values_list("id", "history_change_reason")
    )
    reasons: dict[int, str] = {}
    for pk, reason in records:
        reasons.setdefault(pk, reason or "")
    return reasons
