"""Progress pages: who may open them, what the form accepts, pinned query counts."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from plans.models import ItemKind, Period, PlanItem, ProgressReport, ReportSummary
from portal.models import Role
from tests.builders import make_user
from tests.conftest import demo_plan

pytestmark = pytest.mark.django_db

# session, user, plan, reports of the plan, periods, targets, results, task progress
PROGRESS_QUERIES = 8
# session, user, plan, period, report (+ results, + task progress), targets, tasks
REPORT_FORM_QUERIES = 9


def half_2023() -> Period:
    return Period.objects.get(kind="half", year=2023, index=1)


def form_url(plan, period) -> str:
    return f"/plans/{plan.pk}/reports/{period.pk}/"


def form_data(plan, value: str = "12") -> dict:
    data = {"version": "", "results": "Kết quả 6 tháng", "submit": "1"}
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
    client.post(f"/plans/periods/{period.pk}/lock/", {"locked": "1"})
    period.refresh_from_db()
    assert period.locked
    client.post(f"/plans/periods/{period.pk}/lock/", {"locked": "0"})
    period.refresh_from_db()
    assert not period.locked


def count(client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_progress_and_form_queries_stay_fixed_as_targets_grow(client) -> None:
    plan = demo_plan("Mỹ Quý", 2022)
    client.force_login(make_user(plan.unit.parent, role=Role.DISTRICT_STAFF))
    period = Period.objects.get(kind="quarter", year=2022, index=2)
    progress_url = f"/plans/{plan.pk}/progress/?period={period.pk}"
    assert count(client, progress_url) == PROGRESS_QUERIES
    assert count(client, form_url(plan, period)) == REPORT_FORM_QUERIES
    template = plan.items.filter(kind=ItemKind.TARGET).first()
    for n in range(15):
        template.pk = None
        template.order = 100 + n
        template.text = f"Chỉ tiêu bổ sung {n}"
        template.save()
    for n in range(5):
        PlanItem.objects.create(plan=plan, kind="key_task", order=200 + n, text=f"Nhiệm vụ {n}")
    assert count(client, progress_url) == PROGRESS_QUERIES
    assert count(client, form_url(plan, period)) == REPORT_FORM_QUERIES
