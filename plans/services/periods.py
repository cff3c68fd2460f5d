"""Opening a year: its reporting periods, their cut-off windows and deadlines, and the
extensions (gia hạn) an office grants one commune.

Windows and deadlines follow Nghị định 09/2019/NĐ-CP (see `plans.reporting_calendar`).
A year can be opened by an office in the browser, by `manage.py open_year`, or again at any
time: what exists is kept, only what is missing is created.
"""

from __future__ import annotations

import csv
import datetime
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from org.models import Unit, User
from plans.models import (
    PERIODS_PER_YEAR,
    Holiday,
    Period,
    PeriodRule,
    ReportingCalendar,
    schedule,
)
from plans.reporting_calendar import DEFAULT_WORKING_DAYS, MAX_WORKING_DAYS, report_deadline
from plans.services.planning import require, with_actor
from plans.services.reporting import retime_period

HOLIDAYS_FILE = Path(settings.BASE_DIR) / "data" / "holidays.csv"
# How long after a period's cut-off an extension (gia hạn) may run.
MAX_EXTENSION_DAYS = 90


@dataclass
class YearOpening:
    year: int
    periods: list[Period]
    created: int
    holidays: int
    deadlines_set: int = 0


def load_holidays(year: int, path: Path = HOLIDAYS_FILE) -> int:
    """The shipped holidays of `year` (and of the next year's first weeks, which December's
    deadlines may reach), added where the table has none for that year: an administrator's
    corrections are never overwritten. Returns how many days were added."""
    with path.open(encoding="utf-8", newline="") as handle:
        shipped = [
            Holiday(day=datetime.date.fromisoformat(row["day"].strip()), name=row["name"].strip())
            for row in csv.DictReader(handle)
            if row["day"].strip()
        ]
    taken = set(
        Holiday.objects.filter(day__year__in=(year, year + 1)).values_list("day__year", flat=True)
    )
    missing = [h for h in shipped if h.day.year in {year, year + 1} - taken]
    Holiday.objects.bulk_create(missing)  # no history, and no page caches holidays
    return len(missing)


def holidays_between(first: datetime.date, last: datetime.date) -> set[datetime.date]:
    return set(Holiday.objects.filter(day__gte=first, day__lte=last).values_list("day", flat=True))


def _deadlines(periods: list[Period], working_days: int) -> dict[datetime.date, datetime.date]:
    """The deadline of each cut-off day among `periods`, `working_days` working days after it
    (one query for the holidays)."""
    last = max(p.end for p in periods) + datetime.timedelta(days=3 * MAX_WORKING_DAYS)
    holidays = holidays_between(min(p.end for p in periods), last)
    return {p.end: report_deadline(p.end, working_days, holidays) for p in periods}


@transaction.atomic
def create_periods(year: int) -> list[Period]:
    """Make sure the year's 19 reporting periods exist (12 months, 4 quarters, 2 halves,
    1 year), each with its cut-off window and the default deadline, 2 working days after it."""
    load_holidays(year)
    existing = {(p.kind, p.index): p for p in Period.objects.filter(year=year)}
    missing = []
    for kind, count in PERIODS_PER_YEAR.items():
        for index in range(1, count + 1):
            if (kind, index) not in existing:
                start, end = Period.bounds(kind, year, index)
                missing.append(Period(kind=kind, year=year, index=index, start=start, end=end))
    if missing:
        deadlines = _deadlines(missing, DEFAULT_WORKING_DAYS)
        for period in missing:
            period.report_deadline = deadlines[period.end]
            period.full_clean()
            period.save()
            existing[(period.kind, period.index)] = period
    return sorted(existing.values(), key=lambda p: (p.start, -p.end.toordinal()))


@transaction.atomic
def open_year(
    year: int, *, by: User | None, unit: Unit | None = None, working_days: int | None = None
) -> YearOpening:
    """Open `year` for reporting: its periods (shared by every unit) and, for a supervising
    `unit`, the deadline of each period `working_days` working days after its cut-off
    (remembered for the next years; default 2). Deadlines the unit already set are kept.

    `by` is None only for the command line, run by whoever administers the server.
    """
    if by is not None:
        require(by, "plans.manage_periods", unit)
    if unit is not None and unit.is_planning:
        raise ValidationError(_("Chỉ đơn vị cấp trên mới mở năm báo cáo cho các xã."))
    if working_days is not None and not 1 <= working_days <= MAX_WORKING_DAYS:
        raise ValidationError(_("Số ngày làm việc phải từ 1 đến 30."))
    before = Period.objects.filter(year=year).count()
    holidays = load_holidays(year)
    periods = create_periods(year)
    opening = YearOpening(
        year=year, periods=periods, created=len(periods) - before, holidays=holidays
    )
    if unit is not None:
        opening.deadlines_set = _set_unit_deadlines(periods, unit, by, working_days)
    return opening


def _set_unit_deadlines(
    periods: list[Period], unit: Unit, by: User | None, working_days: int | None
) -> int:
    calendar = ReportingCalendar.objects.filter(unit=unit).first()
    if calendar is None or (working_days is not None and working_days != calendar.working_days):
        calendar = calendar or ReportingCalendar(unit=unit)
        calendar.working_days = working_days or calendar.working_days
        calendar.full_clean()
        with_actor(calendar, by).save()
    deadlines = _deadlines(periods, calendar.working_days)
    rules = {
        rule.period_id: rule for rule in PeriodRule.objects.filter(unit=unit, period__in=periods)
    }
    written = 0
    for period in periods:
        rule = rules.get(period.pk) or PeriodRule(unit=unit, period=period)
        if rule.report_deadline is not None or deadlines[period.end] == period.report_deadline:
            continue
        rule.report_deadline = deadlines[period.end]
        rule.set_by = by
        rule.full_clean()
        with_actor(rule, by).save()
        written += 1
    return written


@transaction.atomic
def extend_deadline(
    period: Period, *, unit: Unit, by: User, deadline: datetime.date, reason: str
) -> PeriodRule:
    """Gia hạn: a later deadline for one commune, granted by the office above it, with the
    reason recorded. The commune's report already submitted is judged against it."""
    require(by, "plans.manage_periods", unit.parent)
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": _("Hãy ghi lý do gia hạn.")})
    current = schedule(period, unit.parent_id).deadline
    if current is not None and deadline <= current:
        raise ValidationError(
            {"deadline": _("Hạn mới phải sau hạn hiện tại (%(d)s).") % {"d": f"{current:%d/%m/%Y}"}}
        )
    latest = period.end + datetime.timedelta(days=MAX_EXTENSION_DAYS)
    if deadline > latest:
        raise ValidationError(
            {"deadline": _("Hạn gia hạn không được sau %(d)s.") % {"d": f"{latest:%d/%m/%Y}"}}
        )
    rule = PeriodRule.objects.filter(unit=unit, period=period).first() or PeriodRule(
        unit=unit, period=period
    )
    rule.report_deadline, rule.reason, rule.set_by = deadline, reason, by
    rule.full_clean()
    with_actor(rule, by, reason).save()
    # Only timeliness depends on the deadline: the period's submitted reports are re-judged,
    # this commune's against its new deadline, in a fixed number of queries.
    retime_period(period, unit.parent, current)
    return rule
