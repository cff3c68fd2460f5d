"""What commune staff are told is due: on their home page, and the reasons a plan or a
report came back, on every page they fix it from."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from org.models import User
from plans import services
from plans.models import CommunePlan, PlanStatus, ProgressReport
from tests.conftest import demo_plan

pytestmark = pytest.mark.django_db


def office() -> User:
    return User.objects.get(username="vanphong")


def lists(page) -> dict[str, list]:
    """The page's inbox: each list's key → its items."""
    return {group.key: group.items for group in page.context["inbox"]}


def test_the_commune_home_lists_the_report_due_the_late_ones_and_directives(
    login, may_2023
) -> None:
    page = login("myqui").get("/?year=2023")
    todo = lists(page)
    plan = demo_plan("Mỹ Quý", 2023)
    [due] = todo["reports"]
    assert due.text == "Báo cáo Tháng 5/2023" and due.deadline == datetime.date(2023, 5, 16)
    assert due.url.startswith(f"/plans/{plan.pk}/reports/") and not due.overdue
    assert [item.text for item in todo["overdue"]] == ["Báo cáo Tháng 4/2023"]
    assert todo["directives"], "the demo's unanswered directive to Mỹ Quí"
    assert "Việc cần làm" in page.text and "hạn 16/05/2023" in page.text
    # Each is one click away.
    assert login("myqui").get(due.url).status_code == 200
    assert login("myqui").get(todo["directives"][0].url).status_code == 200


def test_office_and_leaders_get_none_of_a_communes_lists(login) -> None:
    for username in ("vanphong", "lanhdao", "kiemtra", "admin"):
        todo = lists(login(username).get("/?year=2023"))
        assert not {"plans", "reports", "overdue", "directives", "commitments"} & set(todo)


def test_the_to_do_list_costs_a_fixed_number_of_queries(login, may_2023) -> None:
    client = login("myqui")
    client.get("/?year=2023")
    with CaptureQueriesContext(connection) as before:
        client.get("/?year=2023")
    ProgressReport.objects.filter(plan=demo_plan("Mỹ Quý", 2023)).delete()
    with CaptureQueriesContext(connection) as after:
        client.get("/?year=2023")
    assert len(after) == len(before)


def test_a_returned_plans_reason_shows_on_its_page_the_editor_and_home(login) -> None:
    unit = demo_plan("Mỹ Quý", 2023).unit
    plan = CommunePlan.objects.create(
        unit=unit, year=2024, title="Kế hoạch 2024", status=PlanStatus.SUBMITTED
    )
    plan.items.create(kind="key_task", order=1, text="Xây dựng nông thôn mới nâng cao")
    services.return_plan(plan, by=office(), reason="Thiếu chỉ tiêu nước sạch")
    client = login("myqui")
    for url in (f"/plans/{plan.pk}/", f"/plans/{plan.pk}/edit/", "/?year=2024"):
        page = client.get(url)
        assert "Thiếu chỉ tiêu nước sạch" in page.text, url
    [todo] = lists(client.get("/?year=2024"))["plans"]
    assert todo.url == f"/plans/{plan.pk}/edit/"
    # Resubmitted, the reason has done its job.
    services.submit_plan(CommunePlan.objects.get(pk=plan.pk), by=User.objects.get(username="myqui"))
    assert "Thiếu chỉ tiêu nước sạch" not in client.get(f"/plans/{plan.pk}/").text


def test_a_returned_reports_reason_shows_on_the_form_its_progress_page_and_home(login) -> None:
    plan = demo_plan("Mỹ Quý", 2023)
    report = ProgressReport.objects.get(plan=plan, period__kind="quarter", period__index=1)
    services.return_report(report, by=office(), reason="Số liệu lúa chưa khớp với thống kê")
    client = login("myqui")
    pages = (
        f"/plans/{plan.pk}/reports/{report.period_id}/",
        f"/plans/{plan.pk}/progress/?period={report.period_id}",
        "/?year=2023",
    )
    for url in pages:
        assert "Số liệu lúa chưa khớp với thống kê" in client.get(url).text, url
    todo = lists(client.get("/?year=2023"))["reports"]
    assert any(item.text == "Sửa và gửi lại báo cáo Quý I/2023" for item in todo)
