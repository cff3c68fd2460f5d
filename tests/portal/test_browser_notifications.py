"""In a real browser, on 12/6/2023: myqui sends the half-year report due on 16/6 from the
inbox, vanphong returns it with a reason, and myqui is told — in the portal, where the menu
counts the notification, which reads with the reason and leads back to the form, and by
e-mail."""

from __future__ import annotations

import datetime
import re
from unittest import mock

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone
from playwright.sync_api import expect

from plans.models import CommunePlan, ItemKind, Period
from tests.browser import axe_violations, sign_in, sign_out
from tests.conftest import BROWSER

pytestmark = BROWSER

JUNE_2023 = datetime.datetime(2023, 6, 12, 2, tzinfo=datetime.UTC)
REASON = "Sản lượng lúa 6 tháng chưa khớp với số liệu thống kê"


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("plain_static_names")
def test_a_returned_report_reaches_the_commune_with_its_reason(live_server, page, settings) -> None:
    # e-mail is sent in the request's own process, to Django's test outbox
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115 - flushed database
    base = live_server.url
    plan = CommunePlan.objects.get(unit__name="Mỹ Quý", year=2023)
    half = Period.objects.get(kind="half", year=2023, index=1)
    rice = plan.items.filter(kind=ItemKind.TARGET).order_by("order").first()
    with mock.patch.object(timezone, "now", return_value=JUNE_2023):
        sign_in(page, base, "myqui")
        expect(page.locator("#notice-count .badge")).to_have_count(0)
        due = page.locator("section.todo").get_by_role("link", name="Báo cáo 6 tháng đầu năm 2023")
        expect(due).to_be_visible()
        due.click()
        page.locator(f"#id_value_{rice.pk}").fill("1.500")
        page.get_by_role("button", name="Gửi báo cáo").click()
        page.get_by_role("button", name="Xác nhận gửi").click()
        expect(page.get_by_text("Đã gửi báo cáo.")).to_be_visible()
        sign_out(page)

        sign_in(page, base, "vanphong")
        page.goto(f"{base}/plans/{plan.pk}/progress/?period={half.pk}")
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
        page.wait_for_url(f"**/plans/{plan.pk}/reports/{half.pk}/")
        expect(page.get_by_text(REASON).first).to_be_visible()
        page.goto(f"{base}/notifications/")
        expect(page.locator("li.notice--unread")).to_have_count(0)

    (message,) = [m for m in mail.outbox if "Báo cáo bị trả lại" in m.subject]
    assert message.to == ["myqui@demo.invalid"]
    assert REASON in message.body and "6 tháng đầu năm 2023" in message.subject
