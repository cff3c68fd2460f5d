"""Progress reports: the services, the summaries they maintain, and the demo facts."""

from __future__ import annotations

import random
from collections import Counter
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from org.models import User
from plans import services
from plans.achievement import assess
from plans.models import (
    TASK_KINDS,
    CommunePlan,
    ItemKind,
    Period,
    ProgressReport,
    ReportStatus,
    ReportSummary,
    TargetResult,
    TaskProgress,
)
from plans.services.reporting import EMPTY_REPORT
from tests.conftest import demo_plan

pytestmark = pytest.mark.django_db


@pytest.fixture
def myqui() -> User:
    return User.objects.get(username="myqui")


@pytest.fixture
def vanphong() -> User:
    return User.objects.get(username="vanphong")


@pytest.fixture
def plan_2023() -> CommunePlan:
    return demo_plan("Mỹ Quý", 2023)


def period(kind: str, year: int, index: int) -> Period:
    return Period.objects.get(kind=kind, year=year, index=index)


def fill(report: ProgressReport, by: User, value: Decimal | None = Decimal(1), state="in_progress"):
    plan = report.plan
    targets = {
        item.pk: services.TargetEntry(value) for item in plan.items.filter(kind=ItemKind.TARGET)
    }
    tasks = {item.pk: services.TaskEntry(state) for item in plan.items.filter(kind__in=TASK_KINDS)}
    return services.save_report(
        report,
        by=by,
        expected_version=report.version,
        narrative={"results": "Kết quả"},
        targets=targets,
        tasks=tasks,
    )


def test_a_commune_reports_and_submits_its_half_year(myqui: User, plan_2023: CommunePlan) -> None:
    half = period("half", 2023, 1)
    report = services.open_report(plan_2023, half, by=myqui)
    assert report.status == ReportStatus.DRAFT
    fill(report, myqui)
    summary = ReportSummary.objects.get(plan=plan_2023, period=half)
    assert summary.submitted_at is None  # drafts do not count yet
    services.submit_report(report, by=myqui)
    summary.refresh_from_db()
    assert summary.submitted_at is not None
    assert summary.on_time is False  # submitted in 2026 for a 2023 deadline
    assert summary.tasks_in_progress == plan_2023.items.filter(kind__in=TASK_KINDS).count()
    with pytest.raises(ValidationError, match="đã gửi"):
        fill(ProgressReport.objects.get(pk=report.pk), myqui)


def test_only_approved_plans_are_reported_on(vanphong: User) -> None:
    draft = demo_plan("Mỹ Hòa", 2023)
    with pytest.raises(ValidationError, match="đã duyệt"):
        services.open_report(draft, period("month", 2023, 4), by=vanphong)


def test_another_commune_cannot_report(plan_2023: CommunePlan) -> None:
    with pytest.raises(PermissionDenied):
        services.open_report(
            plan_2023, period("month", 2023, 4), by=User.objects.get(username="phudien")
        )


def test_a_locked_period_takes_late_entries_only_from_office_staff_with_a_reason(
    myqui: User, vanphong: User, plan_2023: CommunePlan
) -> None:
    april = period("month", 2023, 4)
    services.lock_period(april, unit=plan_2023.unit.parent, by=vanphong)
    with pytest.raises(ValidationError, match="đã khóa"):
        services.open_report(plan_2023, april, by=myqui)
    with pytest.raises(PermissionDenied):
        services.open_report(plan_2023, april, by=myqui, late_reason="Xin nhập bổ sung")
    report = services.open_report(
        plan_2023, april, by=vanphong, late_reason="Xã gửi bản giấy đúng hạn, văn phòng nhập hộ"
    )
    assert report.late_reason.startswith("Xã gửi bản giấy")
    assert report.history.first().history_change_reason.startswith("Xã gửi bản giấy")
    fill(report, vanphong)  # the recorded exception lets the entry through


def _enter(report: ProgressReport, by: User, late_reason: str = "", submit: bool = False):
    target = report.plan.items.filter(kind=ItemKind.TARGET).first()
    report.refresh_from_db()
    return services.enter_report(
        report.plan,
        report.period,
        by=by,
        expected_version=report.version,
        narrative={"results": "Bổ sung"},
        targets={target.pk: services.TargetEntry(Decimal(3))},
        tasks={},
        late_reason=late_reason,
        submit=submit,
    )


def test_a_draft_begun_before_the_lock_is_completed_with_the_office_s_reason(
    myqui: User, vanphong: User, plan_2023: CommunePlan
) -> None:
    april = period("month", 2023, 4)
    draft = services.open_report(plan_2023, april, by=myqui)
    services.lock_period(april, unit=plan_2023.unit.parent, by=vanphong)
    with pytest.raises(ValidationError, match="đã khóa"):
        _enter(draft, myqui)
    with pytest.raises(PermissionDenied):
        _enter(draft, myqui, late_reason="Xã xin nhập tiếp")
    _enter(draft, vanphong, late_reason="Xã mất điện ngày chốt; cho hoàn thành")
    draft.refresh_from_db()
    assert draft.late_reason == "Xã mất điện ngày chốt; cho hoàn thành"
    assert draft.history.filter(history_user=vanphong).exists()
    # The recorded exception lets the commune finish and send it.
    assert _enter(draft, myqui, submit=True).status == ReportStatus.SUBMITTED


def test_a_report_returned_after_the_lock_can_be_corrected(
    myqui: User, vanphong: User, plan_2023: CommunePlan
) -> None:
    april = period("month", 2023, 4)
    report = services.open_report(plan_2023, april, by=myqui)
    fill(report, myqui)
    services.submit_report(report, by=myqui)
    services.lock_period(april, unit=plan_2023.unit.parent, by=vanphong)
    services.return_report(report, by=vanphong, reason="Sai số liệu thu ngân sách")
    with pytest.raises(ValidationError, match="đã khóa"):
        _enter(report, myqui)
    _enter(report, vanphong, late_reason="Trả lại sau khi khóa để sửa số liệu")
    assert _enter(report, myqui, submit=True).status == ReportStatus.SUBMITTED


def test_commune_staff_cannot_lock_periods(myqui: User) -> None:
    with pytest.raises(PermissionDenied):
        services.lock_period(period("month", 2023, 5), unit=myqui.unit.parent, by=myqui)


def test_each_district_locks_its_own_communes_only(myqui: User, plan_2023) -> None:
    from org.models import Role, Unit
    from tests.builders import make_user

    cao_lãnh = Unit.objects.get(code="873")
    other_office = make_user(cao_lãnh, role=Role.DISTRICT_STAFF)
    may = period("month", 2023, 5)
    with pytest.raises(PermissionDenied):
        services.lock_period(may, unit=plan_2023.unit.parent, by=other_office)
    services.lock_period(may, unit=cao_lãnh, by=other_office)
    # Cao Lãnh's lock does not close the period for Tháp Mười's communes.
    report = services.open_report(plan_2023, may, by=myqui)
    fill(report, myqui)


def test_a_returned_report_is_corrected_and_resubmitted(
    myqui: User, vanphong: User, plan_2023: CommunePlan
) -> None:
    report = services.open_report(plan_2023, period("month", 2023, 4), by=myqui)
    fill(report, myqui)
    services.submit_report(report, by=myqui)
    with pytest.raises(PermissionDenied):
        services.return_report(report, by=myqui, reason="tự trả")
    with pytest.raises(ValidationError):
        services.return_report(report, by=vanphong, reason=" ")
    services.return_report(report, by=vanphong, reason="Thiếu số liệu thu ngân sách")
    report.refresh_from_db()
    assert report.status == ReportStatus.RETURNED
    summary = ReportSummary.objects.get(report=report)
    assert summary.submitted_at is None
    fill(report, myqui, value=Decimal(2))
    services.submit_report(report, by=myqui)
    assert ReportSummary.objects.get(report=report).submitted_at is not None


def test_a_report_cannot_carry_values_for_another_plans_targets(myqui: User, plan_2023) -> None:
    report = services.open_report(plan_2023, period("month", 2023, 4), by=myqui)
    foreign = demo_plan("Phú Điền", 2023).items.filter(kind=ItemKind.TARGET).first()
    with pytest.raises(ValidationError):
        services.save_report(
            report,
            by=myqui,
            expected_version=report.version,
            narrative={},
            targets={foreign.pk: services.TargetEntry(Decimal(5))},
            tasks={},
        )
    assert not TargetResult.objects.filter(item=foreign, report=report).exists()


# --- the summaries equal a straightforward recomputation from raw rows -------------------


def recompute(plan: CommunePlan, each: Period) -> dict[str, int] | None:
    """Counts for one plan and period, from the raw rows, without the production helpers."""
    report = ProgressReport.objects.filter(plan=plan, period=each).first()
    if report is None:
        return None
    submitted = report.status == ReportStatus.SUBMITTED
    counts: Counter = Counter()
    for item in plan.items.filter(kind=ItemKind.TARGET):
        rows = list(
            TargetResult.objects.filter(
                item=item,
                report__status=ReportStatus.SUBMITTED,
                report__period__kind=each.kind,
                report__period__year=each.year,
                report__period__end__lte=each.end,
                value__isnull=False,
            ).order_by("report__period__end")
        )
        if item.accumulation == "cumulative":
            value = sum((r.value for r in rows), Decimal(0)) if rows else None
        else:
            value = rows[-1].value if rows and rows[-1].report.period_id == each.pk else None
        status = assess(
            direction=item.direction,
            accumulation=item.accumulation,
            target=item.target_value,
            baseline=item.baseline,
            value=value,
            expected=Decimal(each.end.month) / 12,
        ).status
        counts[f"targets_{status}"] += 1
    if submitted:
        for task in TaskProgress.objects.filter(report=report):
            counts[f"tasks_{task.state}"] += 1
    return dict(counts)


def stored(summary: ReportSummary) -> dict[str, int]:
    names = [
        "targets_achieved",
        "targets_on_track",
        "targets_at_risk",
        "targets_behind",
        "targets_no_data",
        "tasks_not_started",
        "tasks_in_progress",
        "tasks_done",
        "tasks_late",
    ]
    return {name: getattr(summary, name) for name in names if getattr(summary, name)}


@pytest.mark.parametrize("seed", range(4))
def test_summaries_match_the_raw_rows_after_any_sequence_of_writes(
    seed: int, myqui: User, vanphong: User, plan_2023: CommunePlan
) -> None:
    rng = random.Random(seed)
    quarters = [period("quarter", 2023, i) for i in (2, 3, 4)]
    targets = list(plan_2023.items.filter(kind=ItemKind.TARGET))
    tasks = list(plan_2023.items.filter(kind__in=TASK_KINDS))
    for _step in range(12):
        each = rng.choice(quarters)
        report = services.open_report(plan_2023, each, by=myqui)
        action = rng.choice(["save", "save", "submit", "return"])
        if action == "save" and report.status != ReportStatus.SUBMITTED:
            services.save_report(
                report,
                by=myqui,
                expected_version=report.version,
                narrative={},
                targets={
                    t.pk: services.TargetEntry(
                        None if rng.random() < 0.2 else Decimal(rng.randint(0, 120))
                    )
                    for t in rng.sample(targets, k=rng.randint(1, len(targets)))
                },
                tasks={
                    t.pk: services.TaskEntry(
                        rng.choice(["not_started", "in_progress", "done", "late"])
                    )
                    for t in rng.sample(tasks, k=rng.randint(0, len(tasks)))
                },
            )
        elif action == "submit" and report.status != ReportStatus.SUBMITTED:
            try:
                services.submit_report(report, by=myqui)
            except ValidationError as refused:  # only a report with nothing in it yet
                assert refused.messages == [str(EMPTY_REPORT)]
        elif action == "return" and report.status == ReportStatus.SUBMITTED:
            services.return_report(report, by=vanphong, reason="Kiểm tra lại số liệu")
        for checked in [*quarters, period("quarter", 2023, 1)]:
            expected = recompute(plan_2023, checked)
            summary = ReportSummary.objects.filter(plan=plan_2023, period=checked).first()
            if expected is None:
                assert summary is None
            else:
                assert stored(summary) == expected, (seed, checked)


# --- the demo ----------------------------------------------------------------------------


def test_hưng_thạnh_misses_its_poor_household_target_in_2022() -> None:
    from plans.progress import plan_targets, target_lines

    plan = demo_plan("Hưng Thạnh", 2022)
    lines = target_lines(plan, period("year", 2022, 1), plan_targets(plan))
    poor = next(line for line in lines if "hộ nghèo" in line.item.text)
    assert poor.item.direction == "decrease"
    assert poor.value > poor.item.target_value
    assert poor.status == "behind"


def test_one_commune_never_reported_the_third_quarter() -> None:
    q3 = period("quarter", 2022, 3)
    reporting = set(ReportSummary.objects.filter(period=q3).values_list("unit__name", flat=True))
    approved = set(
        CommunePlan.objects.filter(year=2022, status="approved").values_list(
            "unit__name", flat=True
        )
    )
    assert approved - reporting == {"Đốc Binh Kiều"}


def test_the_demo_has_late_and_behind_communes() -> None:
    half = period("half", 2022, 1)
    summaries = {
        s.unit.name: s for s in ReportSummary.objects.filter(period=half).select_related("unit")
    }
    assert summaries["Trường Xuân"].on_time is False
    assert summaries["Mỹ Quý"].on_time is True
    assert summaries["Thạnh Lợi"].targets_behind > summaries["Mỹ Quý"].targets_behind


# --- the report form's one transaction ----------------------------------------------------


def test_entering_a_new_report_opens_saves_and_submits_it_at_once(
    myqui: User, plan_2023: CommunePlan
) -> None:
    april = period("month", 2023, 4)
    target = plan_2023.items.filter(kind=ItemKind.TARGET).first()
    report = services.enter_report(
        plan_2023,
        april,
        by=myqui,
        expected_version=0,
        narrative={"results": "Tháng 4"},
        targets={target.pk: services.TargetEntry(Decimal(7))},
        tasks={},
        submit=True,
    )
    assert report.status == ReportStatus.SUBMITTED
    assert report.target_results.get().value == 7
    assert ReportSummary.objects.get(report=report).submitted_at is not None


def test_entering_from_no_report_when_one_exists_is_a_conflict(
    myqui: User, plan_2023: CommunePlan
) -> None:
    april = period("month", 2023, 4)
    existing = fill(services.open_report(plan_2023, april, by=myqui), myqui)
    with pytest.raises(services.EditConflict) as conflict:
        services.enter_report(
            plan_2023,
            april,
            by=myqui,
            expected_version=0,
            narrative={"results": "Ghi đè"},
            targets={},
            tasks={},
        )
    assert conflict.value.current.pk == existing.pk
    assert ProgressReport.objects.get(pk=existing.pk).results == "Kết quả"


def test_a_refused_entry_leaves_no_report_behind(myqui: User, plan_2023: CommunePlan) -> None:
    april = period("month", 2023, 4)
    foreign = demo_plan("Phú Điền", 2023).items.filter(kind=ItemKind.TARGET).first()
    with pytest.raises(ValidationError):
        services.enter_report(
            plan_2023,
            april,
            by=myqui,
            expected_version=0,
            narrative={},
            targets={foreign.pk: services.TargetEntry(Decimal(5))},
            tasks={},
        )
    assert not ProgressReport.objects.filter(plan=plan_2023, period=april).exists()
    assert not ReportSummary.objects.filter(plan=plan_2023, period=april).exists()


def test_a_stale_save_of_a_report_submitted_since_is_a_conflict(
    myqui: User, plan_2023: CommunePlan
) -> None:
    report = fill(services.open_report(plan_2023, period("month", 2023, 4), by=myqui), myqui)
    seen = report.version
    services.submit_report(report, by=myqui)
    with pytest.raises(services.EditConflict):
        services.save_report(
            report, by=myqui, expected_version=seen, narrative={}, targets={}, tasks={}
        )


def test_the_overdue_periods_of_many_plans_agree_with_each_plans_record() -> None:
    import datetime

    from plans.due import overdue_periods, period_rows

    plans = list(CommunePlan.objects.filter(year=2023, status="approved").select_related("unit"))
    today = datetime.date(2023, 5, 10)
    many = overdue_periods(plans, today)
    assert any(many.values())
    for plan in plans:
        one = [row.period for row in period_rows(plan, today) if row.overdue]
        assert many[plan.pk] == one, plan
