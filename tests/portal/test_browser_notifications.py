"""In a real browser, on 10/5/2023: myqui sends the month's report from the inbox, vanphong
returns it with a reason, and myqui is told: the menu counts the notification, which reads
with the reason and leads back to the form."""

from __future__ import annotations

import datetime
import re
from unittest import mock

import pytest
from django.core.management import call_command
from django.utils import timezone
from playwright.sync_api import expect

from plans.models import CommunePlan, ItemKind, Period
from tests.browser import axe_violations, sign_in, sign_out
from tests.conftest import BROWSER

pytestmark = BROWSER

MAY_2023 = datetime.datetime(2023, 5, 10, 2, tzinfo=datetime.UTC)
REASON = "Sản lượng lúa tháng 5 chưa khớp với số liệu thống kê"


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("plain_static_names")
def test_a_returned_report_reaches_the_commune_with_its_reason(live_server, page) -> None:
    call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115 - flushed database
    base = live_server.url
    plan = CommunePlan.objects.get(unit__name="Mỹ Quý", year=2023)
    may = Period.objects.get(kind="month", year=2023, index=5)
    rice = plan.items.filter(kind=ItemKind.TARGET).order_by("order").first()
    with mock.patch.object(timezone, "now", return_value=MAY_2023):
        sign_in(page, base, "myqui")
        expect(page.locator("#notice-count .badge")).to_have_count(0)
        page.locator("section.todo").get_by_role("link", name="Báo cáo Tháng 5/2023").click()
        page.locator(f"#id_value_{rice.pk}").fill("1.500")
        page.get_by_role("button", name="Gửi báo cáo").click()
        page.get_by_role("button", name="Xác nhận gửi").click()
        expect(page.get_by_text("Đã gửi báo cáo.")).to_be_visible()
        sign_out(page)

        sign_in(page, base, "vanphong")
        page.goto(f"{base}/plans/{plan.pk}/progress/?period={may.pk}")
        page.get_by_label(re.compile(r"^Lý do")).fill(REASON)
        page.get_by_role("button", name="Trả lại báo cáo").click()
        sign_out(page)

        sign_in(page, base, "myqui")
        badge = page.locator("#notice-count .badge")
        expect(badge).to_be_visible()
        assert badge.inner_text().split()[0] == "1"
        page.locator("nav.topnav").get_by_role("link", name="Thông báo").click()
        item = page.locator("li.notice--unread")
        expect(item).to_contain_text("Báo cáo bị trả lại")
        expect(item).to_contain_text(REASON)
        assert axe_violations(page) == []
        item.get_by_role("link").click()
        page.wait_for_url(f"**/plans/{plan.pk}/reports/{may.pk}/")
        expect(page.get_by_text(REASON).first).to_be_visible()
        page.goto(f"{base}/notifications/")
        expect(page.locator("li.notice--unread")).to_have_count(0)
