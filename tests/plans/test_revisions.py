"""An approved revision supersedes the plan it revises; the year's reports carry over to it."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from org.models import User
from plans import services
from plans.models import (
    Accumulation,
    CommunePlan,
    ItemKind,
    Period,
    PlanItem,
    PlanStatus,
    Programme,
    ProgressReport,
    ReportSummary,
    TargetResult,
)
from plans.progress import plan_targets, target_lines
from tests.conftest import demo_plan

pytestmark = pytest.mark.django_db


@pytest.fixture
def myqui() -> User:
    return User.objects.get(username="myqui")


@pytest.fixture
def vanphong() -> User:
    return User.objects.get(username="vanphong")


@pytest.fixture
def original() -> CommunePlan:
    """Mỹ Quý's approved 2023 plan, with submitted reports for months 1–3 and Quý I."""
    plan = demo_plan("Mỹ Quý", 2023)
    assert plan.status == PlanStatus.APPROVED
    return plan


def quarter(index: int) -> Period:
    return Period.objects.get(kind="quarter", year=2023, index=index)


def revise(plan: CommunePlan, myqui: User, vanphong: User) -> CommunePlan:
    revision = services.start_revision(
        plan, by=myqui, reason="Theo kết luận của Đoàn công tác", decision="Công văn 45-CV/HU"
    )
    services.submit_plan(revision, by=myqui)
    return services.approve_plan(revision, by=vanphong)


def report(plan: CommunePlan, period: Period, by: User, values: dict[int, Decimal]):
    return services.enter_report(
        plan,
        period,
        by=by,
        expected_version=0,
        narrative={},
        targets={pk: services.TargetEntry(value) for pk, value in values.items()},
        tasks={},
        submit=True,
    )


def cumulative_target(plan: CommunePlan) -> PlanItem:
    return plan.items.filter(kind=ItemKind.TARGET, accumulation=Accumulation.CUMULATIVE).first()


def point_target(plan: CommunePlan) -> PlanItem:
    return plan.items.filter(kind=ItemKind.TARGET, accumulation=Accumulation.POINT).first()


def line(plan: CommunePlan, period: Period, item: PlanItem):
    lines = target_lines(plan, period, plan_targets(plan))
    return next(each for each in lines if each.item.pk == item.pk)


# --- the workflow ------------------------------------------------------------------------


def test_approving_a_revision_supersedes_the_original(original, myqui, vanphong) -> None:
    version = original.version
    revision = revise(original, myqui, vanphong)
    original.refresh_from_db()
    assert (revision.status, original.status) == (PlanStatus.APPROVED, PlanStatus.SUPERSEDED)
    assert original.version == version + 1  # an editor open on the old version must reload
    step = original.status_changes.last()
    assert (step.from_status, step.to_status, step.by) == ("approved", "superseded", vanphong)
    assert "điều chỉnh lần 1" in step.note
    assert original.history.first().status == PlanStatus.SUPERSEDED


def test_a_returned_revision_leaves_the_original_in_force(original, myqui, vanphong) -> None:
    revision = services.start_revision(original, by=myqui, reason="Lý do", decision="CV 1")
    services.submit_plan(revision, by=myqui)
    services.return_plan(revision, by=vanphong, reason="Chưa đủ căn cứ")
    original.refresh_from_db()
    assert original.status == PlanStatus.APPROVED
    services.open_report(original, quarter(2), by=myqui)  # still reported on


def test_a_superseded_plan_is_not_revised_again(original, myqui, vanphong) -> None:
    revise(original, myqui, vanphong)
    original.refresh_from_db()
    with pytest.raises(ValidationError):
        services.start_revision(original, by=myqui, reason="Lần nữa", decision="CV 2")


# --- no more reports on the original -------------------------------------------------------


def test_a_superseded_plan_takes_no_new_report(original, myqui, vanphong) -> None:
    revise(original, myqui, vanphong)
    original.refresh_from_db()
    with pytest.raises(ValidationError, match="đã được điều chỉnh"):
        services.open_report(original, quarter(2), by=myqui)
    assert not ProgressReport.objects.filter(plan=original, period=quarter(2)).exists()


def test_a_superseded_plans_open_report_is_frozen(original, myqui, vanphong) -> None:
    draft = services.open_report(original, quarter(2), by=myqui)
    submitted = ProgressReport.objects.get(plan=original, period=quarter(1))
    revise(original, myqui, vanphong)
    with pytest.raises(ValidationError, match="đã được điều chỉnh"):
        services.save_report(
            draft, by=myqui, expected_version=draft.version, narrative={}, targets={}, tasks={}
        )
    with pytest.raises(ValidationError, match="đã được điều chỉnh"):
        services.submit_report(draft, by=myqui)
    with pytest.raises(ValidationError, match="đã được điều chỉnh"):
        services.return_report(submitted, by=vanphong, reason="Xem lại")
    with pytest.raises(ValidationError, match="đã được điều chỉnh"):
        services.enter_report(
            original,
            quarter(1),
            by=myqui,
            expected_version=submitted.version,
            narrative={},
            targets={},
            tasks={},
        )


def test_the_report_form_of_a_superseded_plan_refuses_entries(
    login, original, myqui, vanphong
) -> None:
    revise(original, myqui, vanphong)
    client = login("myqui")
    url = f"/plans/{original.pk}/reports/{quarter(2).pk}/"
    data = {"version": "0"} | {
        f"state_{item.pk}": "done"
        for item in original.items.filter(kind__in=["key_task", "breakthrough"])
    }
    response = client.post(url, data)
    assert response.status_code == 400
    assert "đã được điều chỉnh" in response.content.decode()
    assert not ProgressReport.objects.filter(plan=original, period=quarter(2)).exists()
    page = client.get(f"/plans/{original.pk}/progress/")
    assert page.status_code == 200
    assert page.context["may_report"] is False


# --- year to date across the revision ----------------------------------------------------


def test_the_revision_counts_the_originals_reports(original, myqui, vanphong) -> None:
    item = cumulative_target(original)
    before = line(original, quarter(1), item)
    assert before.value is not None
    revision = revise(original, myqui, vanphong)
    revised_item = revision.items.get(revises=item)
    # Before reporting anything, the revision already knows Quý I.
    assert line(revision, quarter(1), revised_item).value == before.value
    report(revision, quarter(2), myqui, {revised_item.pk: Decimal(5)})
    assert line(revision, quarter(2), revised_item).value == before.value + 5
    # The maintained summary counts the same way.
    summary = ReportSummary.objects.get(plan=revision, period=quarter(2))
    lines = target_lines(revision, quarter(2), plan_targets(revision))
    assert summary.targets_no_data == sum(1 for each in lines if each.status == "no_data")


def test_a_point_target_reads_the_originals_level_for_its_period(original, myqui, vanphong) -> None:
    item = point_target(original)
    level = line(original, quarter(1), item).value
    revision = revise(original, myqui, vanphong)
    assert line(revision, quarter(1), revision.items.get(revises=item)).value == level


def test_the_revisions_own_report_of_a_period_replaces_the_originals(
    original, myqui, vanphong
) -> None:
    item = cumulative_target(original)
    revision = revise(original, myqui, vanphong)
    revised_item = revision.items.get(revises=item)
    report(revision, quarter(1), myqui, {revised_item.pk: Decimal(3)})
    assert line(revision, quarter(1), revised_item).value == 3  # not the sum of both
    report(revision, quarter(2), myqui, {revised_item.pk: Decimal(4)})
    assert line(revision, quarter(2), revised_item).value == 7


def test_a_target_the_revision_added_starts_without_values(original, myqui, vanphong) -> None:
    revision = services.start_revision(original, by=myqui, reason="Lý do", decision="CV 1")
    services.save_plan(
        revision,
        by=myqui,
        expected_version=revision.version,
        header={},
        changes=[
            services.ItemChange(
                item=None,
                values={
                    "kind": ItemKind.TARGET,
                    "text": "Chỉ tiêu mới của bản điều chỉnh",
                    "measure_unit": "ha",
                    "direction": "increase",
                    "target_value": Decimal(10),
                    "accumulation": Accumulation.CUMULATIVE,
                },
            )
        ],
    )
    services.submit_plan(revision, by=myqui)
    services.approve_plan(revision, by=vanphong)
    added = revision.items.get(text="Chỉ tiêu mới của bản điều chỉnh")
    assert line(revision, quarter(1), added).value is None


def test_a_second_revision_counts_both_earlier_plans(original, myqui, vanphong) -> None:
    item = cumulative_target(original)
    first_quarter = line(original, quarter(1), item).value
    first = revise(original, myqui, vanphong)
    first_item = first.items.get(revises=item)
    report(first, quarter(2), myqui, {first_item.pk: Decimal(5)})
    second = revise(first, myqui, vanphong)
    first.refresh_from_db()
    assert first.status == PlanStatus.SUPERSEDED
    second_item = second.items.get(revises=first_item)
    report(second, quarter(3), myqui, {second_item.pk: Decimal(1)})
    assert line(second, quarter(3), second_item).value == first_quarter + 5 + 1


# --- pages that compare communes count the commune once ------------------------------------


def _district_target_of(item: PlanItem):
    return item.source_items.filter(programme__unit__code="872").first()


def test_the_rollup_counts_a_revised_commune_once_with_its_whole_year(
    login, original, myqui, vanphong
) -> None:
    item = next(
        each
        for each in original.items.filter(kind=ItemKind.TARGET, accumulation="cumulative")
        if _district_target_of(each) is not None
    )
    district_target = _district_target_of(item)
    first_quarter = line(original, quarter(1), item).value
    revision = revise(original, myqui, vanphong)
    report(revision, quarter(2), myqui, {revision.items.get(revises=item).pk: Decimal(5)})
    response = login("lanhdao").get(
        f"/plans/programmes/{district_target.programme_id}/rollup/", {"period": quarter(2).pk}
    )
    rollup_line = next(each for each in response.context["lines"] if each.item == district_target)
    mine = [c for c in rollup_line.communes if c.item.plan.unit_id == original.unit_id]
    assert [c.item.plan_id for c in mine] == [revision.pk]
    assert mine[0].value == first_quarter + 5


def test_the_entry_table_offers_only_the_current_plan(login, original, myqui, vanphong) -> None:
    item = next(
        each
        for each in original.items.filter(kind=ItemKind.TARGET)
        if _district_target_of(each) is not None
    )
    district_target = _district_target_of(item)
    revision = revise(original, myqui, vanphong)
    response = login("vanphong").get(
        "/plans/progress/entry/", {"item": district_target.pk, "period": quarter(2).pk}
    )
    plans = [row["item"].plan_id for row in response.context["rows"]]
    assert revision.pk in plans and original.pk not in plans
    assert len(plans) == len(set(row["item"].plan.unit_id for row in response.context["rows"]))


def test_the_district_list_shows_the_revision_and_its_summary(
    login, original, myqui, vanphong
) -> None:
    revision = revise(original, myqui, vanphong)
    client = login("vanphong")

    def row_of(period: Period) -> dict:
        response = client.get("/plans/progress/", {"period": period.pk})
        (row,) = [r for r in response.context["rows"] if r["unit"].pk == original.unit_id]
        return row

    # Quý I was reported on the original: the revision's summary of it shows that report,
    # the link is the revision.
    first = row_of(quarter(1))
    assert first["plan"] == revision
    assert first["summary"].plan_id == revision.pk and first["summary"].on_time is not None
    assert first["summary"].report.plan_id == original.pk
    item = revision.items.filter(kind=ItemKind.TARGET).first()
    report(revision, quarter(1), myqui, {item.pk: Decimal(1)})
    assert row_of(quarter(1))["summary"].plan_id == revision.pk


def test_the_revisions_progress_page_lists_the_originals_reports(
    login, original, myqui, vanphong
) -> None:
    revision = revise(original, myqui, vanphong)
    response = login("vanphong").get(f"/plans/{revision.pk}/progress/", {"period": quarter(1).pk})
    assert response.context["report"].plan_id == original.pk
    assert response.context["may_review"] is False  # the original's report is history
    assert any(line.value is not None for line, _last_year in response.context["lines"])


def test_programmes_and_results_are_untouched_by_superseding(original, myqui, vanphong) -> None:
    results = TargetResult.objects.filter(report__plan=original).count()
    programmes = set(Programme.objects.filter(plans=original).values_list("pk", flat=True))
    revision = revise(original, myqui, vanphong)
    assert TargetResult.objects.filter(report__plan=original).count() == results
    assert set(revision.programmes.values_list("pk", flat=True)) == programmes


def test_a_revised_plans_pages_cost_the_pinned_queries(client, original, myqui, vanphong) -> None:
    from org.models import Role
    from tests.builders import make_user
    from tests.plans.test_report_pages import PROGRESS_QUERIES, ROLLUP_QUERIES, count

    revision = revise(original, myqui, vanphong)
    client.force_login(make_user(original.unit.parent, role=Role.DISTRICT_STAFF))
    assert count(client, f"/plans/{revision.pk}/progress/?period={quarter(1).pk}") == (
        PROGRESS_QUERIES
    )
    programme = Programme.objects.get(unit__code="872", year=2023, kind="government")
    url = f"/plans/programmes/{programme.pk}/rollup/?period={quarter(1).pk}"
    assert count(client, url) == ROLLUP_QUERIES


# --- what leaders read keeps the periods reported before the revision ---------------------


def _leaders_figures(plan: CommunePlan, period: Period) -> dict:
    """What the dashboard, the trend, the overview and the commune page say of the commune."""
    import datetime

    from plans.overview import overview_rows
    from portal.dashboards import commune_rows, trend, unit_progress

    unit = plan.unit
    today = datetime.date(2023, 12, 31)
    (row,) = commune_rows([unit], 2023, period, today)
    months = trend([unit], 2023)
    (overview,) = [r for r in overview_rows(period, unit.__class__.objects.filter(pk=unit.pk))]
    page = unit_progress(unit, list(CommunePlan.objects.filter(unit=unit)), 2023)
    return {
        "dashboard": row.summary,
        "trend": [m["period__index"] for m in months],
        "overview": overview["summary"],
        "page": {s.period_id for s in page["summaries"] if s.submitted_at is not None},
    }


def test_leaders_pages_keep_the_periods_reported_before_the_revision(
    original, myqui, vanphong
) -> None:
    before = _leaders_figures(original, quarter(1))
    assert before["dashboard"] is not None and before["trend"] == [1, 2, 3]
    revision = revise(original, myqui, vanphong)
    after = _leaders_figures(revision, quarter(1))
    # Every page still has Quý I and the months, read from the plan now in force …
    assert after["trend"] == [1, 2, 3]
    assert after["page"] == before["page"]
    for summary in (after["dashboard"], after["overview"]):
        assert summary is not None and summary.plan_id == revision.pk
        assert summary.submitted_at == before["dashboard"].submitted_at
        assert summary.on_time == before["dashboard"].on_time
    # … and their counts agree with what the revision's progress page shows.
    lines = target_lines(revision, quarter(1), plan_targets(revision))
    achieved = sum(1 for each in lines if each.status == "achieved")
    assert after["dashboard"].targets_achieved == achieved
    assert after["dashboard"].targets_achieved + after["dashboard"].targets_no_data < len(lines) + 1


def test_a_revisions_own_report_replaces_the_carried_summary(original, myqui, vanphong) -> None:
    revision = revise(original, myqui, vanphong)
    item = cumulative_target(revision)
    own = report(revision, quarter(1), myqui, {item.pk: Decimal(1)})
    summary = ReportSummary.objects.get(plan=revision, period=quarter(1))
    assert summary.report_id == own.pk
    # the later months keep what was carried from the original
    assert (
        ReportSummary.objects.filter(
            plan=revision, period__kind="month", submitted_at__isnull=False
        ).count()
        == 3
    )
