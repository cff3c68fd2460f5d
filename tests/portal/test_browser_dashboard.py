"""The district dashboard in a real browser: charts drawn, no console or CSP errors."""

from __future__ import annotations

import json
import re

import pytest
from django.core.cache import cache
from django.core.management import call_command
from playwright.sync_api import expect

from tests.browser import sign_in
from tests.conftest import BROWSER

pytestmark = BROWSER


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("plain_static_names")
def test_a_leader_reads_the_dashboard_with_its_charts(
    live_server, page, tmp_path, settings
) -> None:
    call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115 - flushed database
    settings.PAGE_CACHE_SECONDS = 300  # as shipped: the second load is served from the cache
    cache.clear()
    base = live_server.url
    problems: list[str] = []
    page.on("console", lambda msg: problems.append(msg.text) if msg.type == "error" else None)
    page.on("pageerror", lambda error: problems.append(str(error)))

    sign_in(page, base, "lanhdao")
    page.get_by_role("link", name="Bảng điều hành").click()
    page.get_by_label("Năm").fill("2022")
    page.get_by_role("button", name="Xem").click()
    page.wait_for_url("**/dashboard/?*year=2022*")
    page.wait_for_selector("figure.chart--drawn >> nth=1")
    for canvas in page.locator("canvas").all():
        box = canvas.bounding_box()
        assert box and box["width"] > 200 and box["height"] > 200
    assert page.get_by_role("heading", name="Cần quan tâm").is_visible()
    assert page.locator("table.dash-table tbody tr").count() == 13
    page.screenshot(path=tmp_path / "dashboard.png", full_page=True)
    assert (tmp_path / "dashboard.png").stat().st_size > 20_000

    # The cached parts draw the same charts under the page's CSP.
    assert any(":page:dashboard:" in key for key in cache._cache)
    page.reload()
    page.wait_for_selector("figure.chart--drawn >> nth=1")
    assert page.locator("table.dash-table tbody tr").count() == 13

    # Same-named units told apart: the table by full name, the chart axes by short name.
    table = page.locator("table.dash-table")
    expect(table.get_by_role("link", name="Thị trấn Mỹ An", exact=True)).to_be_visible()
    expect(table.get_by_role("link", name="Xã Mỹ An", exact=True)).to_be_visible()
    axis = json.loads(page.locator("#dashboard-data").text_content())
    labels = json.dumps(axis, ensure_ascii=False)
    assert "TT. Mỹ An" in labels and "X. Mỹ An" in labels and '"Mỹ An"' not in labels

    page.locator("table.dash-table").get_by_role("link", name="Xã Mỹ Quý").click()
    assert page.get_by_role("heading", name="Tiến độ chỉ tiêu · Năm 2022").is_visible()

    # The year chosen stays chosen: the dashboard and home open on 2022, not the latest year.
    page.get_by_role("link", name="Bảng điều hành").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("– 2022")
    page.get_by_role("link", name="Đơn vị và kế hoạch").click()
    expect(page.get_by_role("heading", name="Đơn vị và kế hoạch năm 2022")).to_be_visible()

    # A year without plans says exactly that, once, and counts no commune for it.
    page.goto(f"{base}/dashboard/?year=2021")
    expect(
        page.get_by_text("Năm 2021 chưa có xã nào có kế hoạch cụ thể hóa được duyệt")
    ).to_be_visible()
    badge = page.get_by_role("heading", name=re.compile("^Cần quan tâm")).locator(".badge")
    assert int(badge.text_content()) < 13
    expect(page.get_by_text("Không có xã nào chậm nhiều chỉ tiêu")).to_have_count(0)

    # 2023 beside 2022: each commune's share then, the change, directives on time both years.
    page.goto(f"{base}/dashboard/?year=2023")
    row = page.locator("table.dash-table tr", has=page.get_by_role("link", name="Xã Mỹ Quý"))
    expect(row.get_by_text(re.compile(r"cùng kỳ năm trước \d+%"))).to_be_visible()
    expect(row.get_by_text(re.compile(r"\([+-]?\d+ điểm\)"))).to_be_visible()
    expect(page.get_by_role("heading", name="Theo quý")).to_be_visible()
    expect(page.get_by_role("heading", name="Chỉ đạo theo tháng đến hạn")).to_be_visible()
    row.get_by_role("link", name="Xã Mỹ Quý").click()
    comparison = page.locator("p.last-year")
    expect(comparison).to_contain_text("cùng kỳ năm trước (Quý I/2022)")
    expect(comparison).to_contain_text(re.compile(r"xong đúng hạn: \d+/\d+ · năm trước \d+/\d+"))
    assert problems == []
