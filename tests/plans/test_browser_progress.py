"""In a real browser: myqui fills in and submits the half-year report; vanphong sees it."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from plans.models import CommunePlan, ItemKind, Period
from tests.browser import sign_in, sign_out
from tests.conftest import BROWSER

pytestmark = BROWSER


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("plain_static_names")
def test_myqui_submits_the_half_year_report_and_vanphong_sees_it(live_server, page) -> None:
    call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115 - flushed database
    base = live_server.url
    plan = CommunePlan.objects.get(unit__name="Mỹ Quý", year=2023)
    half = Period.objects.get(kind="half", year=2023, index=1)
    problems: list[str] = []
    page.on("console", lambda msg: problems.append(msg.text) if msg.type == "error" else None)

    # Before: Mỹ Quí has not reported the first half of 2023.
    sign_in(page, base, "vanphong")
    page.goto(f"{base}/plans/progress/?period={half.pk}")
    row = page.get_by_role("row").filter(has_text="Mỹ Quý")
    assert "chưa báo cáo" in row.inner_text()
    sign_out(page)

    sign_in(page, base, "myqui")
    page.goto(f"{base}/plans/{plan.pk}/progress/?period={half.pk}")
    page.get_by_role("link", name="Nhập báo cáo").click()
    for n, item in enumerate(plan.items.filter(kind=ItemKind.TARGET).order_by("order")):
        page.locator(f"#id_value_{item.pk}").fill(
            str(item.target_value.normalize() if n % 2 else 0)
        )
    page.get_by_label("Kết quả đạt được").fill(
        "Sáu tháng đầu năm, xã hoàn thành cơ bản các chỉ tiêu."
    )
    page.get_by_role("button", name="Gửi báo cáo").click()
    page.get_by_role("button", name="Xác nhận gửi").click()
    assert page.get_by_text("Đã gửi báo cáo.").is_visible()
    assert page.locator(".badge-status--achieved").count() >= 1
    assert page.locator(".badge-status--behind").count() >= 1
    sign_out(page)

    # After: the district list shows the report (submitted after the 2023 deadline: late).
    sign_in(page, base, "vanphong")
    page.goto(f"{base}/plans/progress/?period={half.pk}")
    row = page.get_by_role("row").filter(has_text="Mỹ Quý")
    assert "trễ hạn" in row.inner_text()
    assert problems == []


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("plain_static_names")
def test_a_yearly_total_held_at_its_level_is_on_track_at_half_of_it_by_mid_year(
    live_server, page
) -> None:
    """A "Duy trì" cumulative total (the year's sown area of rice, 8 900 ha over its seasons):
    half of it by the end of June is on schedule, not "Chậm" as a level slipping would be."""
    call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115 - flushed database
    base = live_server.url
    plan = CommunePlan.objects.get(unit__name="Mỹ Quý", year=2023)
    rice = plan.items.get(kind=ItemKind.TARGET, direction="maintain", accumulation="cumulative")
    half = Period.objects.get(kind="half", year=2023, index=1)

    sign_in(page, base, "myqui")
    page.goto(f"{base}/plans/{plan.pk}/progress/?period={half.pk}")
    page.get_by_role("link", name="Nhập báo cáo").click()
    box = page.get_by_role("group", name=f"{rice.order}. {rice.text}")
    box.get_by_label("Giá trị đạt được (ha)").fill(str(rice.target_value / 2).replace(".", ","))
    page.get_by_role("button", name="Gửi báo cáo").click()
    page.get_by_role("button", name="Xác nhận gửi").click()
    assert page.get_by_text("Đã gửi báo cáo.").is_visible()

    row = page.get_by_role("row").filter(has_text=rice.text)
    assert row.locator(".badge-status").inner_text() == "Đúng tiến độ"
    assert "Duy trì" in row.inner_text()
