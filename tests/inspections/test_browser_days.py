"""Days read and show dd/mm/yyyy whatever the browser's language: an English browser's date
picker would show 06/20/2023."""

from __future__ import annotations

import datetime

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from inspections.models import Visit
from tests.browser import sign_in
from tests.conftest import BROWSER

pytestmark = BROWSER


@pytest.mark.browser_context_args(locale="en-US", timezone_id="America/New_York")
@pytest.mark.usefixtures("during_campaign_2023")
@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("plain_static_names")
def test_an_english_browser_types_and_reads_days_the_vietnamese_way(live_server, page) -> None:
    call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115 - flushed database
    assert page.evaluate("navigator.language") == "en-US"
    base = live_server.url
    sign_in(page, base, "kiemtra")
    visit = Visit.objects.get(host__code="30055", date=datetime.date(2023, 2, 16))
    page.goto(f"{base}{visit.get_absolute_url()}edit/")
    day = page.locator("#id_date")
    expect(day).to_have_value("16/02/2023")
    assert day.get_attribute("type") == "text"
    assert day.get_attribute("placeholder") == "dd/mm/yyyy"
    day.fill("06/20/2023")  # the American order is refused, in Vietnamese, with an example
    page.get_by_role("button", name="Lưu").click()
    expect(
        page.get_by_text("Hãy nhập ngày theo dạng ngày/tháng/năm, ví dụ 20/06/2023.")
    ).to_be_visible()
    expect(page.locator("#id_date")).to_have_value("06/20/2023")  # kept as typed
    page.locator("#id_date").fill("17/02/2023")
    page.get_by_role("button", name="Lưu").click()
    expect(page.get_by_text("Đã lưu buổi làm việc.")).to_be_visible()
    assert Visit.objects.get(pk=visit.pk).date == datetime.date(2023, 2, 17)
    expect(page.get_by_text("17/02/2023").first).to_be_visible()
