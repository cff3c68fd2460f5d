"""The plan chain's objects that carry evidence files (`org.evidence`): a progress report
(as a whole and per target row), a commune plan and a programme (their signed scans)."""

from __future__ import annotations

import rules
from django.db.models import QuerySet

from org.evidence import EvidenceKind, register
from org.rules import visible_units
from plans.models import CommunePlan, ItemKind, PlanStatus, Programme, ProgressReport, ReportStatus


def item_part(item_id: int) -> str:
    """The part key of a report's target row."""
    return f"item:{item_id}"


def _reports(user) -> QuerySet[ProgressReport]:
    return ProgressReport.objects.filter(plan__unit__in=visible_units(user)).select_related(
        "plan__unit__parent", "period"
    )


def _may_attach_to_report(user, report: ProgressReport) -> bool:
    # The people who enter the report, while it is still theirs to change: a sent report is
    # read-only until returned, and a report on a superseded plan is history.
    return (
        report.status != ReportStatus.SUBMITTED
        and report.plan.status == PlanStatus.APPROVED
        and rules.has_perm("plans.report_progress", user, report.plan.unit)
    )


def _report_page(report: ProgressReport) -> str:
    return f"{report.plan.get_absolute_url()}progress/?period={report.period_id}"


def _report_parts(report: ProgressReport) -> list[tuple[str, str]]:
    targets = report.plan.items.filter(kind=ItemKind.TARGET).order_by("order")
    return [(item_part(item.pk), f"{item.order}. {item.text}") for item in targets]


def _may_attach_to_plan(user, plan: CommunePlan) -> bool:
    # The signed plan is scanned after approval: any plan still in force takes files.
    return plan.status != PlanStatus.SUPERSEDED and rules.has_perm(
        "plans.edit_commune_plan", user, plan.unit
    )


def register_evidence() -> None:
    register(
        EvidenceKind(
            key="report",
            model=ProgressReport,
            visible=_reports,
            may_attach=_may_attach_to_report,
            page_url=_report_page,
            parts=_report_parts,
        )
    )
    register(
        EvidenceKind(
            key="plan",
            model=CommunePlan,
            visible=lambda user: CommunePlan.objects.visible_to(user).select_related(
                "unit__parent"
            ),
            may_attach=_may_attach_to_plan,
            page_url=lambda plan: plan.get_absolute_url(),
        )
    )
    register(
        EvidenceKind(
            key="programme",
            model=Programme,
            visible=lambda user: Programme.objects.visible_to(user).select_related("unit__parent"),
            may_attach=lambda user, programme: rules.has_perm(
                "plans.edit_programme", user, programme.unit
            ),
            page_url=lambda programme: programme.get_absolute_url(),
        )
    )
