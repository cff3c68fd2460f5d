"""The home page's reads: the years a user may choose between, the units they may see grouped
under their parent, each commune with its plan for the year, and the year's programmes."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from itertools import groupby

from django.db.models import QuerySet
from django.urls import reverse
from django.utils.translation import gettext as _

from inspections.models import Directive
from org.models import Unit, User
from org.rules import is_commune_staff
from plans.due import due_row, period_rows, plan_return_reasons, report_return_reasons
from plans.models import CommunePlan, PlanStatus, Programme, ReportStatus


def years_with_data(plans: QuerySet[CommunePlan], programmes: QuerySet[Programme]) -> list[int]:
    """Years with a plan or a programme among those given, latest first."""
    return sorted(
        set(plans.order_by().values_list("year", flat=True).distinct())
        | set(programmes.order_by().values_list("year", flat=True).distinct()),
        reverse=True,
    )


def home_context(
    units: list[Unit],
    plans: QuerySet[CommunePlan],
    programmes: QuerySet[Programme],
    year: int,
    years: list[int],
) -> dict[str, object]:
    """`units` (ordered by parent) grouped under their parent, each with its plan for `year`
    among `plans`; the year is offered even when nothing was planned for it."""
    if year not in years:
        years = sorted([*years, year], reverse=True)
    plan_by_unit = {
        # the latest revision of each commune's plan wins
        plan.unit_id: plan
        for plan in plans.for_year(year).with_item_counts().order_by("revision")
    }
    rows = [(unit, plan_by_unit.get(unit.pk)) for unit in units]
    groups = [
        (parent, list(members)) for parent, members in groupby(rows, key=lambda row: row[0].parent)
    ]
    return {
        "year": year,
        "years": years,
        "groups": groups,
        "unit_count": len(units),
        "planned_count": sum(1 for _unit, plan in rows if plan is not None),
        "programmes": programmes.for_year(year)
        .select_related("unit")
        .order_by("unit__code", "kind"),
    }


@dataclass(frozen=True)
class Todo:
    """One thing a commune must do, one click away."""

    text: str
    url: str
    deadline: datetime.date | None = None
    overdue: bool = False
    note: str = ""


# How many overdue reports the home page lists before pointing at the reporting record.
OVERDUE_SHOWN = 5


def commune_todo(user: User, year: int, today: datetime.date) -> dict[str, object]:
    """What commune staff owe for `year`: the report due now with its deadline, the overdue
    ones, returned reports and plans with the reason, directives still unanswered. Empty for
    anyone else. A fixed number of queries."""
    unit = user.unit
    if unit is None or not is_commune_staff(user):
        return {}
    plans = list(
        CommunePlan.objects.filter(unit=unit, year=year)
        .exclude(status=PlanStatus.SUPERSEDED)
        .select_related("unit__parent")
        .order_by("-revision")[:1]
    )
    reports: list[Todo] = []
    overdue: list[Todo] = []
    for plan in plans:
        if plan.status != PlanStatus.APPROVED:
            continue
        rows = period_rows(plan, today)
        owed = due_row(rows)
        reasons = report_return_reasons([row.report for row in rows if row.report is not None])
        for row in rows:
            url = reverse("plans:report-edit", args=[plan.pk, row.period.pk])
            if row.report is not None and row.report.status == ReportStatus.RETURNED:
                reason = reasons.get(row.report.pk, "")
                reports.append(
                    Todo(
                        _("Sửa và gửi lại báo cáo %(p)s") % {"p": row.period.label},
                        url,
                        row.schedule.deadline,
                        row.overdue,
                        reason,
                    )
                )
            elif row is owed and not row.overdue:
                reports.append(
                    Todo(_("Báo cáo %(p)s") % {"p": row.period.label}, url, row.schedule.deadline)
                )
            elif row.overdue:
                overdue.append(
                    Todo(
                        _("Báo cáo %(p)s") % {"p": row.period.label},
                        url,
                        row.schedule.deadline,
                        True,
                    )
                )
    returned = plan_return_reasons(plans)
    plan_todos = [
        Todo(
            _("Sửa và trình lại kế hoạch năm %(year)s") % {"year": plan.year},
            reverse("plans:plan-edit", args=[plan.pk]),
            note=returned[plan.pk].note,
        )
        for plan in plans
        if plan.pk in returned
    ]
    directives = [
        Todo(
            directive.text,
            directive.get_absolute_url(),
            directive.deadline,
            directive.deadline < today,
        )
        for directive in Directive.objects.filter(unit=unit).unanswered().order_by("deadline", "pk")
    ]
    return {
        "plans": plan_todos,
        "reports": reports,
        "overdue": overdue[:OVERDUE_SHOWN],
        "overdue_more": max(len(overdue) - OVERDUE_SHOWN, 0),
        "record_url": reverse("plans:plan-progress", args=[plans[0].pk]) if plans else "",
        "directives": directives,
    }
