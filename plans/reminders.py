"""The period reports a reminder pass chases: each approved plan's unsent reports whose
deadline is near or past, until the supervising unit locks the period."""

from __future__ import annotations

import datetime

from django.urls import reverse
from django.utils.translation import gettext as _

from org.reminders import Deadline, WorkingDay, weekday_or_listed
from plans.models import (
    CommunePlan,
    Holiday,
    Period,
    PlanStatus,
    ProgressReport,
    ReportStatus,
    communes_schedules,
)

# A reminder comes at most this many days before a deadline (the policy's longest lead).
LOOKAHEAD = datetime.timedelta(days=60)


def report_topic(unit_id: int, period_id: int) -> str:
    """What a period report's notifications are about: its đôn đốc log reads by it."""
    return f"report:{unit_id}:{period_id}"


def report_deadlines(today: datetime.date) -> list[Deadline]:
    """The reports owed on the approved plans of this year and the last: a period with a
    deadline no further than LOOKAHEAD ahead, not sent, not locked. Four queries a year."""
    deadlines = []
    for year in (today.year - 1, today.year):
        plans = list(
            CommunePlan.objects.filter(year=year, status=PlanStatus.APPROVED).select_related(
                "unit__parent"
            )
        )
        if not plans:
            continue
        periods = list(Period.objects.filter(year=year))
        timing = communes_schedules(
            periods, [(plan.unit.parent_id, plan.unit_id) for plan in plans]
        )
        sent = set(
            ProgressReport.objects.filter(
                plan__year=year, status=ReportStatus.SUBMITTED
            ).values_list("plan__unit_id", "period_id")
        )
        for plan in plans:
            unit = plan.unit
            for period in periods:
                schedule = timing[unit.pk][period.pk]
                if (
                    schedule.deadline is None
                    or schedule.locked
                    or (unit.pk, period.pk) in sent
                    or schedule.deadline > today + LOOKAHEAD
                ):
                    continue
                deadlines.append(
                    Deadline(
                        topic=report_topic(unit.pk, period.pk),
                        unit_id=unit.pk,
                        unit_name=unit.full_name,
                        supervisors=unit.supervisor_ids,
                        due=schedule.deadline,
                        what=_("Báo cáo %(period)s") % {"period": period.label},
                        url=reverse("plans:report-edit", args=[plan.pk, period.pk]),
                    )
                )
    return deadlines


def working_days(today: datetime.date) -> WorkingDay:
    """The working-day test around `today`: weekends and the holidays on record are off."""
    first, last = today - datetime.timedelta(days=400), today + LOOKAHEAD * 2
    days = Holiday.objects.filter(day__gte=first, day__lte=last).values_list("day", flat=True)
    return weekday_or_listed(days)
