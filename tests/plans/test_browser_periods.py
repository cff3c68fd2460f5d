"""In a real browser, at phone width: vanphong opens 2027 with 3 working days, then gives
Trường Xuân a later half-year deadline with a reason, and its late report becomes on time."""

from __future__ import annotations

import datetime

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from plans.models import Period, ReportSummary, schedule
from tests.browser import sign_in
from tests.conftest import BROWSER

pytestmark = BROWSER


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("plain_static_names")
def test_an_office_opens_a_year_and_extends_one_commune_s_deadline(live_server, page) -> None:
    call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115 - flushed database
    base = live_server.url
    page.set_viewport_size({"width": 390, "height": 844})
    problems: list[str] = []
    page.on("console", lambda msg: problems.append(msg.text) if msg.type == "error" else None)
    half = Period.objects.get(kind="half", year=2022, index=1)

    sign_in(page, base, "vanphong")
    page.goto(f"{base}/plans/progress/?period={half.pk}")
    page.get_by_role("link", name="Mở năm báo cáo").click()
    page.get_by_label("Năm").fill("2027")
    page.get_by_label("Hạn báo cáo (số ngày làm việc sau ngày chốt số liệu)").fill("3")
    page.get_by_role("button", name="Lưu").click()
    expect(page.get_by_text("Đã mở năm 2027: 19 kỳ báo cáo")).to_be_visible()
    january = Period.objects.get(kind="month", year=2027, index=1)
    office = ReportSummary.objects.filter(unit__name="Trường Xuân").first().unit.parent
    assert schedule(january, office.pk).deadline == datetime.date(2027, 1, 19)

    page.goto(f"{base}/plans/progress/?period={half.pk}")
    row = page.get_by_role("row").filter(has_text="Trường Xuân")
    expect(row).to_contain_text("trễ hạn")
    page.get_by_role("link", name="Gia hạn cho một xã").click()
    page.get_by_label("Xã").select_option(label="Xã Trường Xuân")
    page.get_by_label("Hạn mới").fill("2022-06-30")
    page.get_by_label("Lý do gia hạn").fill("Bão lũ,\nmất điện ba ngày")
    page.get_by_role("button", name="Lưu").click()
    expect(page.get_by_text("Đã gia hạn 6 tháng đầu năm 2022 cho Xã Trường Xuân")).to_be_visible()
    expect(page.get_by_role("row").filter(has_text="Trường Xuân")).to_contain_text("đúng hạn")
    page.goto(f"{base}/plans/periods/{half.pk}/extend/")
    expect(page.get_by_role("row").filter(has_text="Trường Xuân")).to_contain_text("mất điện")
    assert problems == []
