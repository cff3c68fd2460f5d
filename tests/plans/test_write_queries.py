"""Write paths cost a bounded number of queries, pinned like the pages' counts.

Measured before these pins (the demo's Tháp Mười, 13 communes): moving one period's
deadline cost 164 queries, about 12 per commune (some 1 800 for a 148-commune province),
because every commune's summaries were recomputed, later periods included; it is now 13
whatever the number of communes. Saving one value of a report cost 42 (the report row and
its history rewritten, every later period's summary recomputed and written one by one); it
is now 23. The office's entry for many communes cost 84 per commune (about 12 400 for a
148-commune province); it is now 19 for the whole batch, whatever the number of communes.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from org.models import Unit, User
from plans import services
from plans.models import (
    CommunePlan,
    ItemKind,
    Period,
    PlanStatus,
    ProgressReport,
    ReportStatus,
    ReportSummary,
)
from tests.builders import make_plan, make_unit

pytestmark = pytest.mark.django_db

# The rule and the checks of full_clean (its keys, its uniqueness), its save and history row,
# the communes' extensions, the period's submitted summaries, one bulk update, savepoints.
DEADLINE_QUERIES = 13
# The version claim, the report's status and its plan's, the lock, the items and results, the
# one changed result with its check and history, the tasks, then the summaries of this period
# and the later ones of its kind: read once, and only the changed ones written in bulk.
ONE_VALUE_SAVE_QUERIES = 23
# The office's entry for a batch of communes: the plans locked, the items, the reports, the
# locks, the results; new reports and results with their history in bulk, the changed
# results with theirs, the reports' versions; then the batch's summaries as above.
ENTRY_QUERIES = 19


def _count(call) -> int:
    with CaptureQueriesContext(connection) as queries:
        call()
    return len(queries)


def _more_submitted_communes(district: Unit, period: Period, count: int) -> None:
    for n in range(count):
        commune = make_unit(district, name=f"Xã thêm {n}")
        plan = make_plan(commune, year=period.year)
        CommunePlan.objects.filter(pk=plan.pk).update(status=PlanStatus.APPROVED)
        submitted = timezone.make_aware(datetime.datetime(period.year, 6, 25, 9))
        report = ProgressReport.objects.create(
            plan=plan, period=period, status=ReportStatus.SUBMITTED, submitted_at=submitted
        )
        ReportSummary.objects.create(
            plan=plan, period=period, unit=commune, report=report, submitted_at=submitted
        )


def test_moving_a_deadline_costs_the_same_for_13_or_33_communes() -> None:
    office = User.objects.get(username="vanphong")
    half = Period.objects.get(kind="half", year=2022, index=1)
    later = dict(
        ReportSummary.objects.filter(period__year=2022)
        .exclude(period=half)
        .values_list("pk", "updated_at")
    )

    def move(deadline: datetime.date):
        return lambda: services.set_period_deadline(
            half, unit=office.unit, by=office, deadline=deadline
        )

    # Each move below changes some reports' timeliness, so each writes the one bulk update.
    assert _count(move(datetime.date(2022, 7, 15))) == DEADLINE_QUERIES  # the rule is created
    assert _count(move(half.start)) == DEADLINE_QUERIES - 1  # … then changed
    _more_submitted_communes(office.unit, half, 20)
    assert _count(move(datetime.date(2022, 7, 20))) == DEADLINE_QUERIES - 1
    # No other period's rows were written.
    assert (
        dict(
            ReportSummary.objects.filter(period__year=2022)
            .exclude(period=half)
            .values_list("pk", "updated_at")
        )
        == later
    )


def test_timeliness_follows_the_moved_deadline_and_a_commune_s_extension() -> None:
    office = User.objects.get(username="vanphong")
    half = Period.objects.get(kind="half", year=2022, index=1)
    late = ReportSummary.objects.get(period=half, unit__name="Trường Xuân")
    services.extend_deadline(
        half, unit=late.unit, by=office, deadline=datetime.date(2022, 7, 30), reason="Lũ"
    )
    services.set_period_deadline(half, unit=office.unit, by=office, deadline=half.start)
    late.refresh_from_db()
    assert late.on_time is True  # its own extension still holds
    others = ReportSummary.objects.filter(period=half, unit__parent=office.unit).exclude(pk=late.pk)
    assert not others.filter(on_time=True).exists()


def test_saving_one_value_of_a_report_costs_a_fixed_count() -> None:
    myqui = User.objects.get(username="myqui")
    plan = CommunePlan.objects.get(unit__name="Mỹ Quý", year=2023, status=PlanStatus.APPROVED)
    period = Period.objects.get(kind="half", year=2023, index=1)
    report = services.open_report(plan, period, by=myqui)
    target = plan.items.filter(kind=ItemKind.TARGET).first()

    def save(value: int):
        report.refresh_from_db()
        return lambda: services.save_report(
            report,
            by=myqui,
            expected_version=report.version,
            narrative={},
            targets={target.pk: services.TargetEntry(Decimal(value))},
            tasks={},
        )

    first = _count(save(1))
    assert _count(save(2)) == first == ONE_VALUE_SAVE_QUERIES


def test_the_office_s_entry_costs_the_same_for_any_number_of_communes() -> None:
    office = User.objects.get(username="vanphong")
    period = Period.objects.get(kind="month", year=2023, index=5)
    plans = list(
        CommunePlan.objects.filter(
            unit__parent=office.unit, year=2023, status=PlanStatus.APPROVED
        ).order_by("unit__code")
    )
    entries = [(p, p.items.filter(kind=ItemKind.TARGET).first().pk, Decimal(5)) for p in plans]
    assert len(entries) == 6

    def enter(batch, value):
        return lambda: services.enter_target_values(
            period, by=office, entries=[(p, i, Decimal(value)) for p, i, _v in batch]
        )

    assert _count(enter(entries[:2], 5)) == ENTRY_QUERIES
    assert _count(enter(entries[2:6], 5)) == ENTRY_QUERIES  # twice the communes
    assert _count(enter(entries, 6)) <= ENTRY_QUERIES  # all six exist now: changed
    # nothing written when nothing differs
    assert (
        services.enter_target_values(
            period, by=office, entries=[(p, i, Decimal(6)) for p, i, _v in entries]
        )
        == 0
    )


def test_the_office_s_entry_writes_history_versions_and_summaries() -> None:
    from plans.models import TargetResult

    office = User.objects.get(username="vanphong")
    period = Period.objects.get(kind="month", year=2023, index=5)
    plan = CommunePlan.objects.get(unit__name="Mỹ Quý", year=2023, status=PlanStatus.APPROVED)
    item = plan.items.filter(kind=ItemKind.TARGET).first()
    assert services.enter_target_values(period, by=office, entries=[(plan, item.pk, Decimal(7))])
    report = ProgressReport.objects.get(plan=plan, period=period)
    result = TargetResult.objects.get(report=report, item=item)
    assert result.history.first().history_user == office
    assert report.history.first().history_user == office
    version = report.version
    services.enter_target_values(period, by=office, entries=[(plan, item.pk, Decimal(8))])
    report.refresh_from_db()
    result.refresh_from_db()
    assert report.version == version + 1 and result.value == 8
    assert [h.value for h in result.history.all()[:2]] == [Decimal(8), Decimal(7)]
    assert ReportSummary.objects.filter(plan=plan, period=period, report=report).exists()
