"""A commune's reporting day in a real browser, on 10/5/2023: home says what is due and what
came back, the report form opens on the period owed with last period's figures and task
states, the reporting record reads in time order with late and overdue periods marked."""

from __future__ import annotations

import datetime
from unittest import mock

import pytest
from django.core.management import call_command
from django.utils import timezone
from playwright.sync_api import expect

from org.models import User
from plans import services
from plans.models import CommunePlan, ProgressReport
from tests.browser import sign_in
from tests.conftest import BROWSER

pytestmark = BROWSER

MAY_2023 = datetime.datetime(2023, 5, 10, 2, tzinfo=datetime.UTC)


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("plain_static_names")
def test_myqui_is_told_what_is_due_and_reports_from_where_it_left_off(live_server, page) -> None:
    call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115 - flushed database
    base = live_server.url
    plan = CommunePlan.objects.get(unit__name="Mỹ Quý", year=2023)
    quarter = ProgressReport.objects.get(plan=plan, period__kind="quarter", period__index=1)
    services.return_report(
        quarter, by=User.objects.get(username="vanphong"), reason="Sản lượng lúa chưa khớp"
    )
    with mock.patch.object(timezone, "now", return_value=MAY_2023):
        sign_in(page, base, "myqui")
        todo = page.locator("section.todo")
        assert todo.get_by_role("heading", name="Việc cần làm").is_visible()
        due = todo.locator("li").filter(has_text="Báo cáo Tháng 5/2023")
        assert "hạn 16/05/2023" in due.inner_text()
        assert "quá hạn" in todo.locator("li").filter(has_text="Báo cáo Tháng 4/2023").inner_text()
        returned = todo.locator("li").filter(has_text="Sửa và gửi lại báo cáo Quý I/2023")
        assert "Sản lượng lúa chưa khớp" in returned.inner_text()
        assert todo.locator("li").filter(has_text="Lãnh đạo").count() >= 1  # a directive
        # The menu counts them (fetched after the page), and leads to the inbox's own page.
        badge = page.locator("nav a[href='/inbox/'] .badge")
        expect(badge).to_be_visible()
        assert int(badge.inner_text().split()[0]) >= todo.locator("li").count()
        page.locator("nav.topnav").get_by_role("link", name="Việc cần làm").click()
        page.wait_for_url("**/inbox/")
        assert page.locator("section.todo li").filter(has_text="Báo cáo Tháng 5/2023").count() == 1
        page.go_back()

        # One click to the form of the period owed, which starts from last month's report.
        due.get_by_role("link").click()
        assert page.get_by_role("heading", name="Xã Mỹ Quý (Mỹ Quí) – Tháng 5/2023").is_visible()
        assert page.get_by_text("Kỳ trước:").count() == 13
        states = page.locator("select[name^=state_]")
        assert states.count() == 10  # all "Đang thực hiện" in March's report
        assert {states.nth(n).input_value() for n in range(10)} == {"in_progress"}
        rice = page.get_by_role("group", name="1. Giữ ổn định diện tích gieo trồng lúa")
        rice.get_by_label("Giá trị đạt được (ha)").fill("1.520,5")
        rice.get_by_label("Minh chứng", exact=True).fill("Báo cáo của Hợp tác xã Mỹ Quý")

        # Sending asks first, and a rate above 100 % must be confirmed with the reason shown.
        rate = plan.items.filter(kind="target", measure_unit="%").order_by("order")[0]
        box = page.get_by_role("group", name=f"{rate.order}. {rate.text}")
        box.get_by_label("Giá trị đạt được").fill("150")
        page.get_by_role("button", name="Gửi báo cáo").click()
        confirm = page.get_by_role("alert").filter(has_text="Gửi báo cáo Tháng 5/2023?")
        assert "150 % vượt quá 100 %" in confirm.inner_text()
        assert rice.get_by_label("Giá trị đạt được (ha)").input_value() == "1.520,5"
        box.get_by_label("Giá trị đạt được").fill("98")
        page.get_by_role("button", name="Gửi báo cáo").click()
        assert "vượt quá 100 %" not in page.get_by_role("alert").first.inner_text()
        page.get_by_role("button", name="Xác nhận gửi").click()
        assert page.get_by_text("Đã gửi báo cáo.").is_visible()

        # The reporting record: in time order, the returned and overdue periods marked.
        page.goto(f"{base}/plans/{plan.pk}/progress/")
        chips = page.locator("ul.periods > li")
        labels = [chips.nth(n).locator("a").inner_text().split("\n")[0] for n in range(5)]
        assert labels == [
            "Tháng 1/2023",
            "Tháng 2/2023",
            "Tháng 3/2023",
            "Quý I/2023",
            "Tháng 4/2023",
        ]
        assert "period--overdue" in chips.nth(4).locator("a").get_attribute("class")
        assert "trả lại" in chips.nth(3).inner_text()
        chips.nth(0).get_by_role("link").click()
        assert page.get_by_role("link", name="Xem báo cáo").is_visible()
        chips = page.locator("ul.periods > li")
        chips.nth(3).get_by_role("link").click()
        assert page.get_by_text("Sản lượng lúa chưa khớp").is_visible()
