"""Progress pages: who may open them, what the form accepts, pinned query counts."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from org.models import Role
from plans.models import ItemKind, Period, PlanItem, ProgressReport, ReportSummary
from tests.builders import make_user
from tests.conftest import demo_plan

pytestmark = pytest.mark.django_db

# session, user, plan, reports of the plan, periods, the district's period rules, targets,
# results, task progress; the same period last year, that year's plan, its targets, results;
# the period's đôn đốc log; the report's evidence files (all target rows in one)
PROGRESS_QUERIES = 15
# session, user, plan, period, report (+ results, + task progress), targets, tasks, the
# district's period rule, the previous values beside each target, the task states carried
# over, the đôn đốc log, the report's evidence files
REPORT_FORM_QUERIES = 14
# session, user, programme, periods, targets, their allocations, links, commune items, results
ROLLUP_QUERIES = 9


def half_2023() -> Period:
    return Period.objects.get(kind="half", year=2023, index=1)


def form_url(plan, period) -> str:
    return f"/plans/{plan.pk}/reports/{period.pk}/"


def form_data(plan, value: str = "12") -> dict:
    data = {"version": "0", "results": "Kết quả 6 tháng", "submit": "confirmed"}
    for item in plan.items.all():
        if item.kind == ItemKind.TARGET:
            data[f"value_{item.pk}"] = value
        elif item.kind in ("key_task", "breakthrough"):
            data[f"state_{item.pk}"] = "in_progress"
    return data


def test_myqui_submits_the_half_year_report(login) -> None:
    plan = demo_plan("Mỹ Quý", 2023)
    client = login("myqui")
    assert client.get(form_url(plan, half_2023())).status_code == 200
    response = client.post(form_url(plan, half_2023()), form_data(plan))
    assert response.status_code == 302
    report = ProgressReport.objects.get(plan=plan, period=half_2023())
    assert report.status == "submitted"
    assert ReportSummary.objects.get(report=report).submitted_at is not None
    page = client.get(f"/plans/{plan.pk}/progress/?period={half_2023().pk}").content.decode()
    assert "Đã gửi" in page and "Cách đánh giá" in page


@pytest.mark.parametrize("value", ["-1", "abc", "1e40", "\x00"])
def test_a_bad_value_is_refused_and_nothing_is_saved(login, value: str) -> None:
    plan = demo_plan("Mỹ Quý", 2023)
    response = login("myqui").post(form_url(plan, half_2023()), form_data(plan, value))
    assert response.status_code == 400
    assert not ProgressReport.objects.filter(plan=plan, period=half_2023()).exists()


def test_another_communes_pages_are_404(login) -> None:
    plan = demo_plan("Phú Điền", 2022)
    period = Period.objects.get(kind="month", year=2022, index=1)
    client = login("myqui")
    assert client.get(f"/plans/{plan.pk}/progress/").status_code == 404
    assert client.get(form_url(plan, period)).status_code == 404
    before = ProgressReport.objects.filter(plan=plan).count()
    assert client.post(form_url(plan, period), form_data(plan)).status_code == 404
    report = ProgressReport.objects.filter(plan=plan).first()
    assert client.post(f"/plans/reports/{report.pk}/return/", {"reason": "x"}).status_code == 404
    assert ProgressReport.objects.filter(plan=plan).count() == before


@pytest.mark.parametrize("username", ["lanhdao", "kiemtra"])
def test_readers_see_progress_but_cannot_report(login, username: str) -> None:
    plan = demo_plan("Mỹ Quý", 2023)
    client = login(username)
    assert client.get(f"/plans/{plan.pk}/progress/").status_code == 200
    assert client.get(form_url(plan, half_2023())).status_code == 403


def test_commune_staff_cannot_return_or_lock(login) -> None:
    plan = demo_plan("Mỹ Quý", 2022)
    report = ProgressReport.objects.filter(plan=plan, status="submitted").first()
    client = login("myqui")
    assert client.post(f"/plans/reports/{report.pk}/return/", {"reason": "x"}).status_code == 403
    assert client.post(f"/plans/periods/{half_2023().pk}/lock/", {"locked": "1"}).status_code == 403
    assert client.get("/plans/progress/").status_code == 403
    report.refresh_from_db()
    assert report.status == "submitted"


def test_post_only_endpoints_refuse_get(login) -> None:
    client = login("vanphong")
    report = ProgressReport.objects.first()
    assert client.get(f"/plans/reports/{report.pk}/return/").status_code == 405
    assert client.get(f"/plans/periods/{half_2023().pk}/lock/").status_code == 405


def test_the_district_list_shows_who_reported(login) -> None:
    q3 = Period.objects.get(kind="quarter", year=2022, index=3)
    response = login("vanphong").get("/plans/progress/", {"period": q3.pk})
    rows = {row["unit"].name: row for row in response.context["rows"]}
    assert rows["Đốc Binh Kiều"]["summary"] is None
    assert rows["Mỹ Quý"]["summary"].on_time is True
    assert "chưa báo cáo" in response.content.decode()


def test_office_staff_lock_and_unlock_a_period(login) -> None:
    client = login("vanphong")
    period = half_2023()
    from plans.models import schedule

    tháp_mười = demo_plan("Mỹ Quý", 2023).unit.parent
    client.post(f"/plans/periods/{period.pk}/lock/", {"locked": "1"})
    assert schedule(period, tháp_mười.pk).locked
    client.post(f"/plans/periods/{period.pk}/lock/", {"locked": "0"})
    assert not schedule(period, tháp_mười.pk).locked


def count(client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_progress_and_form_queries_stay_fixed_as_targets_grow(client) -> None:
    plan = demo_plan("Mỹ Quý", 2023)
    client.force_login(make_user(plan.unit.parent, role=Role.DISTRICT_STAFF))
    period = Period.objects.get(kind="quarter", year=2023, index=1)
    progress_url = f"/plans/{plan.pk}/progress/?period={period.pk}"
    assert count(client, progress_url) == PROGRESS_QUERIES
    assert count(client, form_url(plan, period)) == REPORT_FORM_QUERIES
    template = plan.items.filter(kind=ItemKind.TARGET).first()
    for n in range(15):
        template.pk, template.code = None, ""
        template.order = 100 + n
        template.text = f"Chỉ tiêu bổ sung {n}"
        template.save()
    for n in range(5):
        PlanItem.objects.create(plan=plan, kind="key_task", order=200 + n, text=f"Nhiệm vụ {n}")
    from plans.services import create_periods

    for year in (2024, 2025):
        create_periods(year)
    assert count(client, progress_url) == PROGRESS_QUERIES
    assert count(client, form_url(plan, period)) == REPORT_FORM_QUERIES


def test_each_target_shows_the_same_target_in_the_same_period_last_year(login) -> None:
    plan = demo_plan("Mỹ Quý", 2023)
    half = half_2023()
    response = login("vanphong").get(f"/plans/{plan.pk}/progress/", {"period": half.pk})
    last_year = {line.item.text: last for line, last in response.context["lines"]}
    assert response.context["last_period"].label == "6 tháng đầu năm 2022"
    rice = last_year["Sản lượng lúa cả năm đạt 57.400 tấn trở lên."]
    assert rice.item.text == "Sản lượng lúa cả năm đạt 57.000 tấn trở lên."
    assert 25_000 < rice.value < 32_000  # half of 2022's harvest
    poor = last_year[
        "Tỷ lệ hộ nghèo giảm còn 1,5% theo chuẩn nghèo đa chiều giai đoạn 2022 – 2025."
    ]
    assert poor.item.text == "Phấn đấu giảm tỷ lệ hộ nghèo xuống còn 1,8%."
    # Three "ha" targets of farming in 2023 against one in 2022: which is which is not known.
    assert last_year["Diện tích cây ăn trái đạt 310 ha."] is None
    assert "6 tháng đầu năm 2022:" in response.content.decode()


def test_a_target_is_matched_to_last_year_only_where_one_stands_out() -> None:
    from plans.progress import same_targets

    def target(pk, field, unit, direction="increase", accumulation="point"):
        return PlanItem(
            pk=pk, field_id=field, measure_unit=unit, direction=direction, accumulation=accumulation
        )

    now = [
        target(1, 2, "tấn", accumulation="cumulative"),
        target(2, 2, "ha", "maintain", "cumulative"),
        target(3, 2, "ha"),
        target(4, 2, "ha"),
        target(5, 7, "%"),
        target(6, 7, "%", "decrease"),
        target(7, 9, "Tỷ đồng "),
    ]
    before = [
        target(11, 2, "tấn", accumulation="cumulative"),
        target(12, 2, "ha"),
        target(15, 7, "%"),
        target(16, 7, "%", "decrease"),
        target(17, 9, "tỷ  đồng"),
        target(18, 8, "tiêu chí"),
    ]
    matches = {pk: other.pk for pk, other in same_targets(now, before).items()}
    assert matches == {1: 11, 5: 15, 6: 16, 7: 17}
    assert same_targets(now, []) == {}


def test_a_plan_of_a_first_year_compares_with_nothing(login) -> None:
    plan = demo_plan("Mỹ Quý", 2022)
    period = Period.objects.get(kind="quarter", year=2022, index=2)
    response = login("vanphong").get(f"/plans/{plan.pk}/progress/", {"period": period.pk})
    assert response.context["last_period"] is None
    assert all(last is None for _line, last in response.context["lines"])


# --- deadlines, the office's entry table, the roll-up --------------------------------------


def test_office_staff_move_a_deadline_and_timeliness_follows(login) -> None:
    half = Period.objects.get(kind="half", year=2022, index=1)
    client = login("vanphong")
    late = ReportSummary.objects.get(period=half, unit__name="Trường Xuân")
    assert late.on_time is False
    client.post(f"/plans/periods/{half.pk}/deadline/", {"deadline": "2022-07-15"})
    from plans.models import schedule

    assert str(schedule(half, late.unit.parent_id).deadline) == "2022-07-15"
    assert str(half.report_deadline) == "2022-06-16"  # 14/6 + 2 working days, elsewhere
    late.refresh_from_db()
    assert late.on_time is True


def test_a_deadline_far_outside_the_period_is_refused(login) -> None:
    half = Period.objects.get(kind="half", year=2022, index=1)
    response = login("vanphong").post(
        f"/plans/periods/{half.pk}/deadline/", {"deadline": "2024-01-01"}, follow=True
    )
    assert "Hạn báo cáo phải từ" in response.content.decode()
    half.refresh_from_db()
    assert str(half.report_deadline) == "2022-06-16"


def test_commune_staff_cannot_move_deadlines(login) -> None:
    half = Period.objects.get(kind="half", year=2022, index=1)
    assert (
        login("myqui")
        .post(f"/plans/periods/{half.pk}/deadline/", {"deadline": "2022-06-25"})
        .status_code
        == 403
    )


def _district_target_taken_up_in(year: int):
    from plans.models import Programme

    programme = Programme.objects.get(unit__code="872", year=year, kind="party")
    return next(
        item
        for item in programme.items.filter(kind=ItemKind.TARGET)
        if item.derived_items.filter(plan__status="approved", plan__year=year).count() >= 3
    )


def test_office_staff_type_one_target_for_many_communes(login) -> None:
    item = _district_target_taken_up_in(2023)
    april = Period.objects.get(kind="month", year=2023, index=4)
    client = login("vanphong")
    page = client.get("/plans/progress/entry/", {"item": item.pk, "period": april.pk})
    rows = page.context["rows"]
    assert len(rows) >= 3
    data = {"item": item.pk, "period": april.pk} | {row["name"]: "5" for row in rows}
    response = client.post("/plans/progress/entry/", data)
    assert response.status_code == 302
    from plans.models import TargetResult

    assert TargetResult.objects.filter(report__period=april, value=5).count() == len(rows)
    assert ReportSummary.objects.filter(period=april).count() == len(rows)


def test_the_entry_table_is_all_or_nothing(login) -> None:
    item = _district_target_taken_up_in(2023)
    april = Period.objects.get(kind="month", year=2023, index=4)
    client = login("vanphong")
    rows = client.get("/plans/progress/entry/", {"item": item.pk, "period": april.pk}).context[
        "rows"
    ]
    data = {"item": item.pk, "period": april.pk} | {row["name"]: "5" for row in rows}
    data[rows[-1]["name"]] = "-5"
    assert client.post("/plans/progress/entry/", data).status_code == 400
    assert not ProgressReport.objects.filter(period=april).exists()


@pytest.mark.parametrize(("username", "status"), [("myqui", 403), ("lanhdao", 403)])
def test_the_entry_table_is_for_office_staff(login, username: str, status: int) -> None:
    assert login(username).get("/plans/progress/entry/").status_code == status


def test_the_rollup_adds_cumulative_targets_and_names_the_communes_behind(login) -> None:
    from plans.models import Programme

    programme = Programme.objects.get(unit__code="872", year=2022, kind="government")
    half = Period.objects.get(kind="half", year=2022, index=1)
    response = login("lanhdao").get(
        f"/plans/programmes/{programme.pk}/rollup/", {"period": half.pk}
    )
    assert response.status_code == 200
    lines = response.context["lines"]
    summed = [line for line in lines if line.rule == "sum" and line.communes]
    assert summed
    for line in summed:
        expected = sum((c.item.target_value for c in line.communes), start=0)
        assert line.planned == expected
        values = [c.value for c in line.communes if c.value is not None]
        assert line.reported == (sum(values, start=0) if values else None)
    assert any(line.attention for line in lines)


def test_each_district_target_says_how_its_communes_combine(login) -> None:
    """Hectares and households add up though they are read at a moment; rates average."""
    from plans.models import Programme

    programme = Programme.objects.get(unit__code="872", year=2022, kind="government")
    targets = list(programme.items.filter(kind=ItemKind.TARGET))
    assert all(t.combination for t in targets)
    rates = [t for t in targets if t.measure_unit.strip() == "%"]
    assert rates and all(t.combination == "average" for t in rates)
    # A point-in-time quantity that adds up: the district says "sum", whatever the communes'
    # accumulation, and the roll-up follows it.
    area = next(t for t in targets if t.combination == "sum" and t.derived_items.exists())
    area.derived_items.update(accumulation="point")
    half = Period.objects.get(kind="half", year=2022, index=1)
    response = login("lanhdao").get(
        f"/plans/programmes/{programme.pk}/rollup/", {"period": half.pk}
    )
    line = next(each for each in response.context["lines"] if each.item == area)
    assert line.rule == "sum" and line.communes
    assert line.planned == sum((c.item.target_value for c in line.communes), start=0)
    assert "Cách tổng hợp: cộng các xã." in response.content.decode()


def test_a_rate_is_weighted_by_the_communes_bases_when_all_give_one(login) -> None:
    from decimal import Decimal

    from plans.models import Programme

    programme = Programme.objects.get(unit__code="872", year=2022, kind="government")
    rate = next(
        t
        for t in programme.items.filter(kind=ItemKind.TARGET, combination="average")
        if t.derived_items.filter(plan__status="approved").count() >= 2
    )
    half = Period.objects.get(kind="half", year=2022, index=1)
    url = f"/plans/programmes/{programme.pk}/rollup/"
    client = login("lanhdao")

    def the_line():
        response = client.get(url, {"period": half.pk})
        return next(each for each in response.context["lines"] if each.item == rate), response

    plain, response = the_line()
    targets = [c.item.target_value for c in plain.communes]
    assert not plain.weighted
    assert plain.planned == (sum(targets, start=Decimal(0)) / len(targets)).quantize(
        Decimal("0.01")
    )
    assert "bình quân giản đơn" in response.content.decode()
    items = [c.item for c in plain.communes]
    for weight, item in enumerate(items, start=1):
        PlanItem.objects.filter(pk=item.pk).update(base=Decimal(100 * weight))
    weighted, response = the_line()
    assert weighted.weighted
    expected = sum(
        (item.target_value * 100 * w for w, item in enumerate(items, start=1)), start=Decimal(0)
    ) / sum(100 * w for w in range(1, len(items) + 1))
    assert weighted.planned == expected.quantize(Decimal("0.01"))
    assert "bình quân gia quyền theo quy mô" in response.content.decode()


@pytest.mark.parametrize(
    ("pairs", "rule", "expected"),
    [
        ([], "sum", (None, False)),
        ([("10", None), ("5", "3")], "sum", ("15", False)),
        ([("80", None), ("90", "100")], "average", ("85.00", False)),
        ([("80", "300"), ("90", "100")], "average", ("82.50", True)),
    ],
)
def test_combine(pairs, rule, expected) -> None:
    from decimal import Decimal

    from plans.rollup import combine

    given = [(Decimal(v), Decimal(b) if b else None) for v, b in pairs]
    value, weighted = combine(given, rule)
    assert (value, weighted) == ((Decimal(expected[0]) if expected[0] else None), expected[1])


def test_rollup_queries_are_fixed(client) -> None:
    from plans.models import Programme

    programme = Programme.objects.get(unit__code="872", year=2022, kind="government")
    client.force_login(make_user(programme.unit, role=Role.LEADER))
    half = Period.objects.get(kind="half", year=2022, index=1)
    url = f"/plans/programmes/{programme.pk}/rollup/?period={half.pk}"
    first = count(client, url)
    assert first == ROLLUP_QUERIES


def test_another_districts_rollup_is_404(login) -> None:
    from plans.models import Programme

    cao_lãnh = Programme.objects.get(unit__code="873", year=2022, kind="government")
    assert login("myqui").get(f"/plans/programmes/{cao_lãnh.pk}/rollup/").status_code == 404
    assert login("vanphong").get(f"/plans/programmes/{cao_lãnh.pk}/rollup/").status_code == 404


# --- two people, one report; a report form saves all or nothing ----------------------------


def draft(data: dict) -> dict:
    """The same form posted with "Lưu nháp" instead of "Gửi báo cáo"."""
    return {name: value for name, value in data.items() if name != "submit"} | {"save": "1"}


def test_a_stale_report_form_gets_the_conflict_page_and_saves_nothing(login) -> None:
    plan = demo_plan("Mỹ Quý", 2023)
    url = form_url(plan, half_2023())
    client = login("myqui")
    client.post(url, draft(form_data(plan, "10")))
    report = ProgressReport.objects.get(plan=plan, period=half_2023())
    opened = client.get(url).context["form"]["version"].value()
    assert opened == report.version
    first = draft(form_data(plan, "11") | {"version": str(opened)})
    assert client.post(url, first).status_code == 302
    second = form_data(plan, "99") | {"version": str(opened), "results": "Bản lưu sau"}
    response = client.post(url, second)
    assert response.status_code == 409
    page = response.content.decode()
    assert "Báo cáo vừa được người khác lưu" in page
    assert "Bản lưu sau" in page and "99" in page
    report.refresh_from_db()
    assert report.status == "draft"
    assert report.results == "Kết quả 6 tháng"
    assert set(report.target_results.values_list("value", flat=True)) == {11}


def test_two_first_entries_of_one_report_do_not_overwrite_each_other(login) -> None:
    plan = demo_plan("Mỹ Quý", 2023)
    url = form_url(plan, half_2023())
    client = login("myqui")
    # Both opened the form before any report existed: version 0.
    assert client.get(url).context["form"]["version"].value() == 0
    assert (
        client.post(url, form_data(plan, "10") | {"results": "Người thứ nhất"}).status_code == 302
    )
    response = client.post(url, form_data(plan, "20") | {"results": "Người thứ hai"})
    assert response.status_code == 409
    report = ProgressReport.objects.get(plan=plan, period=half_2023())
    assert report.results == "Người thứ nhất"
    assert set(report.target_results.values_list("value", flat=True)) == {10}


@pytest.mark.parametrize("version", [None, "", "abc", "-1"])
def test_a_report_form_without_its_version_is_refused(login, version) -> None:
    plan = demo_plan("Mỹ Quý", 2023)
    data = form_data(plan)
    if version is None:
        del data["version"]
    else:
        data["version"] = version
    response = login("myqui").post(form_url(plan, half_2023()), data)
    assert response.status_code == 400
    assert "thiếu số phiên bản" in response.content.decode()
    assert not ProgressReport.objects.filter(plan=plan, period=half_2023()).exists()


def test_a_failed_submit_leaves_no_report_behind(login, monkeypatch) -> None:
    from django.core.exceptions import ValidationError

    from plans.services import reporting

    def refuse(*_args, **_kwargs):
        raise ValidationError("Không gửi được báo cáo lúc này.")

    monkeypatch.setattr(reporting, "submit_report", refuse)
    plan = demo_plan("Mỹ Quý", 2023)
    response = login("myqui").post(form_url(plan, half_2023()), form_data(plan))
    assert response.status_code == 400
    assert "Không gửi được báo cáo lúc này." in response.content.decode()
    # Opening and saving happened in the same transaction as the refused submit.
    assert not ProgressReport.objects.filter(plan=plan, period=half_2023()).exists()
    assert not ReportSummary.objects.filter(plan=plan, period=half_2023()).exists()


def test_targets_without_a_field_or_a_unit_match_nothing() -> None:
    from plans.progress import same_targets

    blank = PlanItem(
        pk=1, field_id=None, measure_unit="", direction="increase", accumulation="point"
    )
    old = PlanItem(pk=2, field_id=None, measure_unit="", direction="increase", accumulation="point")
    assert same_targets([blank], [old]) == {}
